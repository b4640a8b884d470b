// Pure reconciliation of AppRiver (OpenText Secure Cloud) seat counts against ConnectWise PSA agreement
// additions. No I/O and no clock: everything it needs comes in through ReconcileInput, so a run can be
// replayed exactly from its inputs.

export type LineKind = 'in_sync' | 'increase' | 'decrease' | 'new' | 'cancel' | 'needs_attention';

export type AttentionReason =
  | 'multiple_additions'
  | 'no_agreement'
  | 'inconclusive_status'
  | 'unknown_status'
  | 'quantity_unknown'
  | 'account_not_billable';

export interface ReconcileAccount {
  accountId: number;
  name: string;
  billable: boolean;
  notBillableReason: string | null;
  mapping: { companyId: number; companyName: string; agreementId: number | null; excluded: boolean } | null;
}

export interface ReconcileService {
  serviceId: number;
  label: string;
  mapping: { productId: number } | null;
}

export interface ReconcileSubscription {
  accountId: number;
  serviceId: number;
  subscriptionKey: string;
  status: string;
  isTrial: boolean;
  quantity: number | null;
}

export interface ReconcileAddition {
  agreementId: number;
  additionId: number;
  productId: number;
  quantity: number;
  unitPrice: number | null;
  unitCost: number | null;
  cancelledDate: string | null;
}

export interface ReconcileCatalogItem {
  productId: number;
  identifier: string;
  description: string;
  price: number | null;
  cost: number | null;
}

export interface ReconcileInput {
  /** ISO instant; additions with cancelledDate <= today are inactive. */
  today: string;
  /** trialsBill defaults to true upstream: Trial subscriptions count as billable. */
  settings: { trialsBill: boolean };
  accounts: ReconcileAccount[];
  services: ReconcileService[];
  subscriptions: ReconcileSubscription[];
  additions: ReconcileAddition[];
  catalog: ReconcileCatalogItem[];
}

export interface UsageLineDraft {
  accountId: number;
  companyId: number;
  agreementId: number | null;
  productId: number;
  /** '' if the product is not in the catalog input. */
  productIdentifier: string;
  /** Vendor services that fed this line (sorted). */
  serviceIds: number[];
  /** null when unknown. */
  vendorQty: number | null;
  /** null when there is no active addition. */
  psaQty: number | null;
  kind: LineKind;
  reason: AttentionReason | null;
  /** Plain-language text for billing staff. */
  reasonText: string | null;
  /** The single active addition this line would change (null for new / multiple). */
  additionId: number | null;
  /** All active additions for the product on that agreement (sorted). */
  additionIds: number[];
  /** From the active addition, else the catalog. */
  unitPrice: number | null;
  unitCost: number | null;
  /** (vendorQty - psaQty) * unitPrice per month, rounded to cents; 0 for in_sync and needs_attention. */
  revenueChange: number;
}

export interface UnmappedItem {
  kind: 'account' | 'service';
  accountId: number;
  serviceId: number | null;
  quantity: number;
}

export interface ReconcileResult {
  lines: UsageLineDraft[];
  unmapped: UnmappedItem[];
  counts: Record<LineKind, number>;
}

/** How a subscription status affects billing. 'gone' counts 0; 'unknown' is never treated as 0. */
export type StatusClass = 'billable' | 'gone' | 'inconclusive' | 'unknown';

const BILLABLE_STATUSES = new Set(['active', 'scheduled to uninstall']);
const GONE_STATUSES = new Set(['cancelled', 'canceled']);
const INCONCLUSIVE_STATUSES = new Set([
  'suspended',
  'suspending',
  'installing',
  'not installed',
  'uninstalling',
]);

export function classifyStatus(status: string, isTrial: boolean, trialsBill: boolean): StatusClass {
  const s = status.trim().replace(/\s+/g, ' ').toLowerCase();
  if (GONE_STATUSES.has(s)) return 'gone';
  // AppRiver flags trials both ways (status "Trial" and IsTrial); when trials don't bill, a trial is 0
  // whatever its state.
  if (s === 'trial' || isTrial) {
    if (!trialsBill) return 'gone';
    if (s === 'trial') return 'billable';
  }
  if (BILLABLE_STATUSES.has(s)) return 'billable';
  if (INCONCLUSIVE_STATUSES.has(s)) return 'inconclusive';
  return 'unknown';
}

/** What one account's subscriptions say about one product. */
interface ProductAggregate {
  serviceIds: Set<number>;
  billableSum: number;
  quantityUnknown: boolean;
  inconclusiveStatuses: string[];
  unknownStatuses: string[];
}

const ALL_KINDS: LineKind[] = ['in_sync', 'increase', 'decrease', 'new', 'cancel', 'needs_attention'];

export function reconcile(input: ReconcileInput): ReconcileResult {
  const todayMs = Date.parse(input.today);
  if (Number.isNaN(todayMs)) throw new RangeError(`reconcile: invalid today "${input.today}"`);
  const trialsBill = input.settings.trialsBill;

  const catalogById = new Map<number, ReconcileCatalogItem>();
  for (const item of input.catalog) catalogById.set(item.productId, item);

  const productByService = new Map<number, number>();
  for (const service of input.services) {
    if (service.mapping) productByService.set(service.serviceId, service.mapping.productId);
  }
  // Additions of products that no service maps to belong to something else on the agreement: never touched.
  const mappedProducts = new Set(productByService.values());

  const accountsById = new Map<number, ReconcileAccount>();
  for (const account of input.accounts) accountsById.set(account.accountId, account);

  const subsByAccount = new Map<number, ReconcileSubscription[]>();
  for (const sub of input.subscriptions) {
    const list = subsByAccount.get(sub.accountId);
    if (list) list.push(sub);
    else subsByAccount.set(sub.accountId, [sub]);
  }

  // agreementId -> productId -> active additions, mapped products only.
  const activeAdditions = new Map<number, Map<number, ReconcileAddition[]>>();
  for (const addition of input.additions) {
    if (!mappedProducts.has(addition.productId) || !isActive(addition, todayMs)) continue;
    let byProduct = activeAdditions.get(addition.agreementId);
    if (!byProduct) activeAdditions.set(addition.agreementId, (byProduct = new Map()));
    const list = byProduct.get(addition.productId);
    if (list) list.push(addition);
    else byProduct.set(addition.productId, [addition]);
  }

  const lines: UsageLineDraft[] = [];
  const unmapped: UnmappedItem[] = [];
  // Several AppRiver accounts may bill to one agreement (e.g. a customer's subsidiaries): an addition counts
  // the seats of all of them, so lines are decided per (agreement, product), never per account.
  const agreements = new Map<number, AgreementGroup>();

  for (const account of accountsById.values()) {
    const subs = subsByAccount.get(account.accountId) ?? [];
    const mapping = account.mapping;

    if (!mapping) {
      if (account.billable) queueUnmappedAccount(account.accountId, subs, trialsBill, unmapped);
      continue;
    }
    if (mapping.excluded) continue;

    let group: AgreementGroup | undefined;
    if (mapping.agreementId !== null) {
      group = agreements.get(mapping.agreementId);
      if (!group) {
        group = {
          agreementId: mapping.agreementId,
          companyId: mapping.companyId,
          billable: [],
          notBillable: [],
        };
        agreements.set(mapping.agreementId, group);
      }
    }

    if (!account.billable) {
      // The partner API refuses these accounts' subscriptions: we can't tell seats, only flag what is billed.
      group?.notBillable.push(account);
      continue;
    }

    // Fold the account's subscriptions into per-product aggregates; unmapped services go to the queue.
    const aggregates = new Map<number, ProductAggregate>();
    const unmappedServiceQty = new Map<number, number>();
    for (const sub of subs) {
      const statusClass = classifyStatus(sub.status, sub.isTrial, trialsBill);
      const productId = productByService.get(sub.serviceId);
      if (productId === undefined) {
        if (statusClass === 'billable' && isKnownQuantity(sub.quantity) && sub.quantity > 0) {
          unmappedServiceQty.set(sub.serviceId, (unmappedServiceQty.get(sub.serviceId) ?? 0) + sub.quantity);
        }
        continue;
      }
      let agg = aggregates.get(productId);
      if (!agg) aggregates.set(productId, (agg = emptyAggregate()));
      addSubscription(agg, sub, statusClass);
    }
    for (const [serviceId, quantity] of unmappedServiceQty) {
      unmapped.push({ kind: 'service', accountId: account.accountId, serviceId, quantity });
    }

    if (group) {
      group.billable.push({ account, aggregates });
      continue;
    }
    for (const [productId, agg] of aggregates) {
      const vendorQty = agg.quantityUnknown ? null : agg.billableSum;
      // Nothing that could bill (all cancelled / non-billing trials): no agreement needed for it.
      if (vendorQty === 0 && !needsCheck(agg)) continue;
      const product = catalogById.get(productId);
      const text = 'No agreement chosen for this company; pick one on the Accounts screen.';
      const subject = {
        accountId: account.accountId,
        companyId: mapping.companyId,
        agreementId: null,
        productId,
        product,
        serviceIds: agg.serviceIds,
        vendorQty,
        additions: [],
      };
      lines.push(buildLine(subject, 'needs_attention', 'no_agreement', text));
    }
  }

  for (const group of agreements.values()) {
    // The line belongs to the lowest account id: stable from run to run, so dismissals carry over.
    group.billable.sort((a, b) => a.account.accountId - b.account.accountId);
    group.notBillable.sort((a, b) => a.accountId - b.accountId);
    const byProduct = activeAdditions.get(group.agreementId);
    const productIds = new Set<number>(byProduct?.keys() ?? []);
    for (const { aggregates } of group.billable)
      for (const productId of aggregates.keys()) productIds.add(productId);

    for (const productId of productIds) {
      const additions = byProduct?.get(productId) ?? [];
      const product = catalogById.get(productId);
      const base = {
        companyId: group.companyId,
        agreementId: group.agreementId,
        productId,
        product,
        additions,
      };

      const refused = group.notBillable[0];
      if (refused && additions.length > 0) {
        // The addition may include seats we can't see: whatever the other accounts say, a person decides.
        const text =
          `AppRiver does not share seat counts for ${group.billable.length ? `${refused.name}, which bills to this agreement` : 'this account'}` +
          (refused.notBillableReason ? ` (${refused.notBillableReason})` : '') +
          `; check the seats in AppRiver before changing ${productLabel(productId, product)}.`;
        const subject = { ...base, accountId: refused.accountId, serviceIds: [], vendorQty: null };
        lines.push(buildLine(subject, 'needs_attention', 'account_not_billable', text));
        continue;
      }

      const contributors = group.billable.filter((b) => b.aggregates.has(productId));
      const agg = mergeAggregates(contributors.map((c) => c.aggregates.get(productId)!));
      if (!agg && !group.billable.length) continue;
      const owner = (contributors[0] ?? group.billable[0]).account;
      const vendorQty = agg?.quantityUnknown ? null : (agg?.billableSum ?? 0);
      const subject = { ...base, accountId: owner.accountId, serviceIds: agg?.serviceIds ?? [], vendorQty };
      // Whose seats an addition counts, when it is more than one account's.
      const shared =
        contributors.length > 1
          ? `Seats of ${contributors.length} AppRiver accounts on this agreement: ` +
            contributors
              .map(({ account, aggregates }) => {
                const a = aggregates.get(productId)!;
                return `${account.name} ${a.quantityUnknown ? '?' : a.billableSum}`;
              })
              .join(', ') +
            '.'
          : null;
      const line = (kind: LineKind, reason: AttentionReason | null = null, text: string | null = null) =>
        lines.push(buildLine(subject, kind, reason, [text, shared].filter(Boolean).join(' ') || null));
      const decision = decide(agg, additions, vendorQty, productLabel(productId, product));
      if (decision) line(decision.kind, decision.reason, decision.text);
    }
  }

  // Subscriptions of accounts missing from the account list: unmapped, never silently dropped.
  for (const [accountId, subs] of subsByAccount) {
    if (!accountsById.has(accountId)) queueUnmappedAccount(accountId, subs, trialsBill, unmapped);
  }

  lines.sort(
    (a, b) =>
      a.accountId - b.accountId ||
      compareStrings(a.productIdentifier, b.productIdentifier) ||
      a.productId - b.productId,
  );
  unmapped.sort(
    (a, b) =>
      a.accountId - b.accountId || compareStrings(a.kind, b.kind) || (a.serviceId ?? 0) - (b.serviceId ?? 0),
  );

  const counts = Object.fromEntries(ALL_KINDS.map((kind) => [kind, 0])) as Record<LineKind, number>;
  for (const line of lines) counts[line.kind]++;

  return { lines, unmapped, counts };
}

/** The accounts mapped to one agreement, with what each one's subscriptions say per product. */
interface AgreementGroup {
  agreementId: number;
  companyId: number;
  billable: { account: ReconcileAccount; aggregates: Map<number, ProductAggregate> }[];
  notBillable: ReconcileAccount[];
}

function emptyAggregate(): ProductAggregate {
  return {
    serviceIds: new Set(),
    billableSum: 0,
    quantityUnknown: false,
    inconclusiveStatuses: [],
    unknownStatuses: [],
  };
}

function addSubscription(agg: ProductAggregate, sub: ReconcileSubscription, statusClass: StatusClass): void {
  agg.serviceIds.add(sub.serviceId);
  if (statusClass === 'billable') {
    // null is not zero: a seat count we didn't get must not bill (or cancel) anything.
    if (isKnownQuantity(sub.quantity)) agg.billableSum += sub.quantity;
    else agg.quantityUnknown = true;
  } else if (statusClass === 'inconclusive') {
    agg.inconclusiveStatuses.push(sub.status.trim());
  } else if (statusClass === 'unknown') {
    agg.unknownStatuses.push(sub.status.trim());
  }
}

function mergeAggregates(aggregates: ProductAggregate[]): ProductAggregate | undefined {
  if (aggregates.length <= 1) return aggregates[0];
  const merged = emptyAggregate();
  for (const a of aggregates) {
    for (const id of a.serviceIds) merged.serviceIds.add(id);
    merged.billableSum += a.billableSum;
    merged.quantityUnknown ||= a.quantityUnknown;
    merged.inconclusiveStatuses.push(...a.inconclusiveStatuses);
    merged.unknownStatuses.push(...a.unknownStatuses);
  }
  return merged;
}

/** design.md §5: what one (agreement, product) needs; null when there is nothing to show (0 seats, no addition). */
function decide(
  agg: ProductAggregate | undefined,
  additions: ReconcileAddition[],
  vendorQty: number | null,
  label: string,
): { kind: LineKind; reason: AttentionReason | null; text: string | null } | null {
  const attention = (reason: AttentionReason, text: string) => ({
    kind: 'needs_attention' as const,
    reason,
    text,
  });
  const change = (kind: LineKind) => ({ kind, reason: null, text: null });
  if (additions.length > 1)
    return attention(
      'multiple_additions',
      `${additions.length} active additions for ${label} on this agreement; merge them in ConnectWise, then sync again.`,
    );
  if (agg && agg.unknownStatuses.length > 0)
    return attention(
      'unknown_status',
      `AppRiver reports an unrecognised status (${distinct(agg.unknownStatuses)}); ` +
        'check the subscription in AppRiver before billing.',
    );
  if (agg && agg.inconclusiveStatuses.length > 0) {
    const statuses = distinct(agg.inconclusiveStatuses);
    return attention(
      'inconclusive_status',
      agg.inconclusiveStatuses.length === 1
        ? `Subscription is ${statuses} in AppRiver; check it before billing.`
        : `Subscriptions are ${statuses} in AppRiver; check them before billing.`,
    );
  }
  if (vendorQty === null)
    return attention(
      'quantity_unknown',
      'AppRiver did not report a seat count for this subscription; check it in AppRiver, then sync again.',
    );
  if (additions.length === 0) return vendorQty > 0 ? change('new') : null;
  const psaQty = additions[0].quantity;
  if (vendorQty === psaQty) return change('in_sync');
  if (vendorQty === 0) return change('cancel');
  return change(vendorQty > psaQty ? 'increase' : 'decrease');
}

/** One (account, product) pair on its way to becoming a line. */
interface LineSubject {
  accountId: number;
  companyId: number;
  agreementId: number | null;
  productId: number;
  product: ReconcileCatalogItem | undefined;
  serviceIds: Iterable<number>;
  vendorQty: number | null;
  /** Active additions for the product on the agreement. */
  additions: ReconcileAddition[];
}

function buildLine(
  subject: LineSubject,
  kind: LineKind,
  reason: AttentionReason | null,
  reasonText: string | null,
): UsageLineDraft {
  const { accountId, companyId, agreementId, productId, product, serviceIds, vendorQty, additions } = subject;
  const psaQty = additions.length === 0 ? null : additions.reduce((sum, a) => sum + a.quantity, 0);
  const single = additions.length === 1 ? additions[0] : undefined;
  // With several additions, their price only counts if they all agree on it.
  const addPrice = commonValue(additions.map((a) => a.unitPrice));
  const addCost = commonValue(additions.map((a) => a.unitCost));
  const unitPrice = addPrice ?? product?.price ?? null;
  const unitCost = addCost ?? product?.cost ?? null;
  const changes = kind === 'increase' || kind === 'decrease' || kind === 'new' || kind === 'cancel';
  return {
    accountId,
    companyId,
    agreementId,
    productId,
    productIdentifier: product?.identifier ?? '',
    serviceIds: [...new Set(serviceIds)].sort((a, b) => a - b),
    vendorQty,
    psaQty,
    kind,
    reason,
    reasonText,
    additionId: single ? single.additionId : null,
    additionIds: additions.map((a) => a.additionId).sort((a, b) => a - b),
    unitPrice,
    unitCost,
    revenueChange: changes && vendorQty !== null ? monthlyChange(vendorQty, psaQty ?? 0, unitPrice) : 0,
  };
}

function queueUnmappedAccount(
  accountId: number,
  subs: ReconcileSubscription[],
  trialsBill: boolean,
  unmapped: UnmappedItem[],
): void {
  let quantity = 0;
  for (const sub of subs) {
    if (classifyStatus(sub.status, sub.isTrial, trialsBill) !== 'billable') continue;
    if (isKnownQuantity(sub.quantity) && sub.quantity > 0) quantity += sub.quantity;
  }
  if (quantity > 0) unmapped.push({ kind: 'account', accountId, serviceId: null, quantity });
}

function isActive(addition: ReconcileAddition, todayMs: number): boolean {
  if (addition.cancelledDate === null) return true;
  const cancelledMs = Date.parse(addition.cancelledDate);
  // An unreadable date can't prove the addition ended; treating it as active avoids billing a duplicate.
  return Number.isNaN(cancelledMs) || cancelledMs > todayMs;
}

// Negative or non-finite seat counts are garbage, not a number we can bill on.
function isKnownQuantity(quantity: number | null): quantity is number {
  return quantity !== null && Number.isFinite(quantity) && quantity >= 0;
}

function needsCheck(agg: ProductAggregate): boolean {
  return agg.quantityUnknown || agg.inconclusiveStatuses.length > 0 || agg.unknownStatuses.length > 0;
}

function commonValue(values: (number | null)[]): number | null {
  if (values.length === 0 || values[0] === null) return null;
  return values.every((v) => v === values[0]) ? values[0] : null;
}

function distinct(values: string[]): string {
  return [...new Set(values)].join(', ');
}

function productLabel(productId: number, product: ReconcileCatalogItem | undefined): string {
  return product?.identifier || `product ${productId}`;
}

function compareStrings(a: string, b: string): number {
  // Code-unit order, not localeCompare: output must not depend on the server's locale.
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * (vendorQty - psaQty) * unitPrice rounded half away from zero to cents, computed in exact decimal
 * arithmetic so prices like 1.115 don't drift a cent through binary floating point.
 */
export function monthlyChange(vendorQty: number, psaQty: number, unitPrice: number | null): number {
  if (unitPrice === null || !Number.isFinite(unitPrice)) return 0;
  const diff = subDecimal(toDecimal(vendorQty), toDecimal(psaQty));
  return toCents(mulDecimal(diff, toDecimal(unitPrice)));
}

/** value = units / 10^scale */
interface Decimal {
  units: bigint;
  scale: number;
}

function toDecimal(n: number): Decimal {
  // String(n) is the shortest text that round-trips, i.e. the decimal the source system meant.
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(n));
  if (!m) throw new RangeError(`reconcile: not a finite number: ${n}`);
  const fraction = m[3] ?? '';
  let units = BigInt(m[2] + fraction);
  let scale = fraction.length - Number(m[4] ?? 0);
  if (scale < 0) {
    units *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { units: m[1] ? -units : units, scale };
}

function subDecimal(a: Decimal, b: Decimal): Decimal {
  const scale = Math.max(a.scale, b.scale);
  return {
    units: a.units * 10n ** BigInt(scale - a.scale) - b.units * 10n ** BigInt(scale - b.scale),
    scale,
  };
}

function mulDecimal(a: Decimal, b: Decimal): Decimal {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

function toCents(d: Decimal): number {
  let cents: bigint;
  if (d.scale <= 2) {
    cents = d.units * 10n ** BigInt(2 - d.scale);
  } else {
    const divisor = 10n ** BigInt(d.scale - 2);
    const remainder = d.units % divisor;
    cents = d.units / divisor;
    const twice = remainder < 0n ? -2n * remainder : 2n * remainder;
    if (twice >= divisor) cents += d.units < 0n ? -1n : 1n;
  }
  // Number(0n) / 100 is +0, never -0.
  return Number(cents) / 100;
}
