import { chooseAgreement } from '../../src/mapping/agreement-choice';
import type { CwAgreement } from '../../src/connectwise/connectwise.types';

const agreement = (id: number, over: Partial<CwAgreement> = {}): CwAgreement => ({
  id,
  name: `Agreement ${id}`,
  company: { id: 1 },
  agreementStatus: 'Active',
  cancelledFlag: false,
  type: { name: 'Managed Services' },
  ...over,
});

describe('chooseAgreement', () => {
  it.each<[string, CwAgreement[], string | null, ReturnType<typeof chooseAgreement>]>([
    ['one active', [agreement(1)], null, { agreementId: 1, agreementName: 'Agreement 1', problem: null }],
    [
      'one active beside a cancelled one (Litware)',
      [agreement(1, { cancelledFlag: true, agreementStatus: 'Cancelled' }), agreement(2)],
      null,
      { agreementId: 2, agreementName: 'Agreement 2', problem: null },
    ],
    [
      'two active (Adventure Works): the user chooses',
      [agreement(1), agreement(2)],
      null,
      { agreementId: null, agreementName: null, problem: 'choose' },
    ],
    ['none at all', [], null, { agreementId: null, agreementName: null, problem: 'none_active' }],
    [
      'only expired ones',
      [agreement(1, { agreementStatus: 'Expired' })],
      null,
      { agreementId: null, agreementName: null, problem: 'none_active' },
    ],
    [
      'two active, one of the configured type',
      [agreement(1, { type: { name: 'Cloud' } }), agreement(2)],
      'cloud',
      { agreementId: 1, agreementName: 'Agreement 1', problem: null },
    ],
    [
      'active but none of the configured type',
      [agreement(1)],
      'Cloud',
      { agreementId: null, agreementName: null, problem: 'choose' },
    ],
  ])('%s', (_name, agreements, type, expected) => {
    expect(chooseAgreement(agreements, type)).toEqual(expected);
  });
});
