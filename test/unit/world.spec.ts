import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadWorld, validateWorld, WorldError } from '../../src/sandbox/world';
import { demoWorld } from '../support/app';

function problemsOf(mutate: (w: any) => void): string[] {
  const w = demoWorld() as any;
  mutate(w);
  try {
    validateWorld(w);
  } catch (error) {
    if (error instanceof WorldError) return error.problems;
    throw error;
  }
  return [];
}

describe('sandbox world loader', () => {
  it('accepts the demo world and fills default faults', () => {
    const world = validateWorld(demoWorld());
    expect(world.connectwise.companies).toHaveLength(15);
    expect(world.appriver.customers).toHaveLength(15);
    expect(world.faults.appriver.accessTokenSeconds).toBe(300);
  });

  it('fills faults when a world leaves them out', () => {
    expect(problemsOf((w) => delete w.faults)).toEqual([]);
  });

  it.each<[string, (w: any) => void, string]>([
    ['a missing key', (w) => delete w.connectwise.site, 'connectwise.site: missing'],
    [
      'an unknown key',
      (w) => (w.connectwise.companies[0].colour = 'red'),
      'connectwise.companies[0].colour: unknown key',
    ],
    [
      'a wrong type',
      (w) => (w.connectwise.companies[1].id = '251'),
      'connectwise.companies[1].id: expected an integer',
    ],
    [
      'a bad enum',
      (w) => (w.connectwise.members[0].agreementsEdit = 'Some'),
      'connectwise.members[0].agreementsEdit: expected one of None, My, All',
    ],
    [
      'a bad date',
      (w) => (w.connectwise.agreements[0].additions[0].effectiveDate = '2025-07-01'),
      'connectwise.agreements[0].additions[0].effectiveDate: expected an ISO 8601',
    ],
    [
      'a negative quantity',
      (w) => (w.appriver.customers[0].subscriptions[0].SubscriptionQuantity = -1),
      'appriver.customers[0].subscriptions[0].SubscriptionQuantity: expected a number ≥ 0',
    ],
    [
      'an agreement of no company',
      (w) => (w.connectwise.agreements[3].companyId = 999),
      'connectwise.agreements[3].companyId: no company 999',
    ],
    [
      'an addition of no product',
      (w) => (w.connectwise.agreements[0].additions[1].productId = 4242),
      'connectwise.agreements[0].additions[1].productId: no catalog item 4242',
    ],
    [
      'a duplicate company id',
      (w) => (w.connectwise.companies[2].id = 250),
      'connectwise.companies[2].id: duplicate company id 250',
    ],
    [
      'a duplicate addition id',
      (w) => (w.connectwise.agreements[1].additions[0].id = 9801),
      'duplicate addition id 9801',
    ],
    ['an unknown fault', (w) => (w.faults.appriver.dropEvery = 2), 'faults.appriver.dropEvery: unknown key'],
  ])('names %s by its JSON path', (_what, mutate, expected) => {
    expect(problemsOf(mutate).join('\n')).toContain(expected);
  });

  it('reports every problem, one line each', () => {
    const found = problemsOf((w) => {
      delete w.name;
      w.connectwise.companies[0].name = 7;
      w.appriver.users[0].roles = 'Billing';
    });
    expect(found).toEqual([
      'name: missing',
      'connectwise.companies[0].name: expected a non-empty string, got number',
      'appriver.users[0].roles: expected an array, got string',
    ]);
  });

  it('explains an unreadable or non-JSON file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arr-world-'));
    const file = path.join(dir, 'broken.json');
    fs.writeFileSync(file, '{ "name": ');
    expect(() => loadWorld(file)).toThrow(/not valid JSON/);
    expect(() => loadWorld(path.join(dir, 'absent.json'))).toThrow(/cannot read the file/);
  });
});
