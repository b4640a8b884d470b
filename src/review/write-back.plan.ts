import type { CwAddition } from '../connectwise/connectwise.types';
import type { UsageLine } from '../sync/sync.entities';
import type { TenantSettings } from '../tenants/tenant.entity';
import type { WriteBackOp } from './review.entities';
import { cancelDate, effectiveDate } from './dates';

export interface WriteBackPayload extends Record<string, unknown> {
  agreementId: number;
  productId: number;
  productIdentifier: string;
  additionId: number | null;
  /** The quantity ConnectWise had at the sync: if it has changed since, the line is stale. */
  expectedQty: number | null;
  quantity: number;
  unitPrice?: number | null;
  unitCost?: number | null;
  effectiveDate?: string;
  cancelledDate?: string;
  description?: string;
}

export type Plan = { op: WriteBackOp; payload: WriteBackPayload } | { refused: string };

const isActive = (a: CwAddition, now: Date) =>
  !a.cancelledDate || Date.parse(a.cancelledDate) > now.getTime();

/** What approving a line means in ConnectWise (design §6). Pure: the worker and the tests share it. */
export function planWriteBack(
  line: UsageLine,
  quantity: number | undefined,
  settings: TenantSettings,
  now = new Date(),
): Plan {
  if (line.agreementId == null)
    return { refused: 'No agreement is chosen for this company; pick one on the Accounts screen.' };
  const target = quantity ?? (line.kind === 'cancel' ? 0 : line.vendorQty);
  if (target == null || !Number.isFinite(target) || target < 0)
    return { refused: 'Enter the quantity to bill (0 or more).' };
  const base = {
    agreementId: line.agreementId,
    productId: line.productId,
    productIdentifier: line.productIdentifier,
    additionId: line.additionId,
    expectedQty: line.psaQty,
    quantity: target,
  };
  if (line.kind === 'needs_attention' && (quantity === undefined || line.additionId == null)) {
    return {
      refused:
        line.additionId == null
          ? `${line.reasonText ?? 'Needs attention'} Fix it in ConnectWise, then sync again.`
          : 'Enter the quantity you want billed to approve a line that needs attention.',
    };
  }
  if (line.additionId == null) {
    if (target === 0) return { refused: 'Nothing to add: the quantity is 0.' };
    return {
      op: 'create_addition',
      payload: {
        ...base,
        unitPrice: line.unitPrice,
        unitCost: line.unitCost,
        effectiveDate: effectiveDate(settings.effectiveDate, now),
        description: line.serviceLabel.slice(0, 100),
      },
    };
  }
  if (target === 0 && line.psaQty !== 0) {
    if (settings.zeroQuantityPolicy === 'flag') return { op: 'flag_only', payload: base };
    if (settings.zeroQuantityPolicy === 'cancel')
      return {
        op: 'cancel_addition',
        payload: { ...base, cancelledDate: cancelDate(settings.effectiveDate, now) },
      };
  }
  if (target === line.psaQty)
    return { refused: 'ConnectWise already bills this quantity; nothing to write.' };
  return { op: 'patch_quantity', payload: base };
}

export type Check =
  { ok: true; addition: CwAddition | null } | { ok: false; stale: string } | { ok: false; adopt: CwAddition };

/**
 * Just before writing, against a fresh read of the agreement's additions: is ConnectWise still as the sync saw it?
 * For a new addition, an active one for the product means an earlier attempt (a crash, a timeout, a double click)
 * already created it: adopt it instead of creating a duplicate.
 */
export function checkBeforeWrite(
  op: WriteBackOp,
  p: WriteBackPayload,
  additions: CwAddition[],
  now = new Date(),
): Check {
  if (op === 'create_addition') {
    const existing = additions.filter((a) => a.product?.id === p.productId && isActive(a, now));
    if (!existing.length) return { ok: true, addition: null };
    if (existing.length === 1 && existing[0].quantity === p.quantity)
      return { ok: false, adopt: existing[0] };
    return {
      ok: false,
      stale: `ConnectWise now has ${existing.length === 1 ? `an addition for ${p.productIdentifier} (quantity ${existing[0].quantity})` : `${existing.length} additions for ${p.productIdentifier}`}. Sync again before approving.`,
    };
  }
  const addition = additions.find((a) => a.id === p.additionId);
  // Already cancelled exactly as planned: an earlier attempt got through before we could record it.
  if (
    op === 'cancel_addition' &&
    addition?.cancelledDate &&
    Date.parse(addition.cancelledDate) === Date.parse(p.cancelledDate ?? '')
  ) {
    return { ok: false, adopt: addition };
  }
  if (!addition || !isActive(addition, now))
    return {
      ok: false,
      stale: 'The addition was removed or cancelled in ConnectWise since the sync. Sync again.',
    };
  if (op === 'patch_quantity' && addition.quantity === p.quantity) return { ok: false, adopt: addition };
  if (addition.quantity !== p.expectedQty) {
    return {
      ok: false,
      stale: `ConnectWise changed this addition since the sync (quantity now ${addition.quantity}, was ${p.expectedQty}). Nothing was overwritten; sync again.`,
    };
  }
  return { ok: true, addition };
}
