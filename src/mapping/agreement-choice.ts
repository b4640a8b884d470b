import type { CwAgreement } from '../connectwise/connectwise.types';

export type AgreementChoice =
  | { agreementId: number; agreementName: string; problem: null }
  | { agreementId: null; agreementName: null; problem: 'none_active' | 'choose' };

/** Active = open in ConnectWise: status Active (or absent) and not cancelled. */
export const isActiveAgreement = (a: CwAgreement) =>
  !a.cancelledFlag && (!a.agreementStatus || a.agreementStatus === 'Active');

/**
 * The agreement a company's additions go to: chosen for the user only when exactly one active agreement (of the
 * configured type, if any) exists; with several the user picks; with none the row is flagged.
 */
export function chooseAgreement(agreements: CwAgreement[], agreementType: string | null): AgreementChoice {
  const active = agreements.filter(isActiveAgreement);
  const candidates = agreementType
    ? active.filter((a) => (a.type?.name ?? '').toLowerCase() === agreementType.toLowerCase())
    : active;
  if (candidates.length === 1)
    return { agreementId: candidates[0].id, agreementName: candidates[0].name, problem: null };
  return { agreementId: null, agreementName: null, problem: active.length === 0 ? 'none_active' : 'choose' };
}
