import {
  AttentionReason,
  LineKind,
  ReconcileAccount,
  ReconcileAddition,
  ReconcileInput,
  ReconcileResult,
  ReconcileSubscription,
  UsageLineDraft,
  classifyStatus,
  monthlyChange,
  reconcile,
} from '../../src/sync/reconcile';

// --- tiny builder -------------------------------------------------------------------------------

const TODAY = '2025-06-15T12:00:00Z';
const ACCOUNT = 100;
const COMPANY = 250;
const AGREEMENT = 731;

const BP = 512; // AR-M365-BP, 22.00
const ETP = 515; // AR-ETP, 3.00
const ARCH = 516; // AR-ARCH, 2.50
const MANAGED_WS = 530; // MSP-MANAGED-WS: no AppRiver service maps to it
const NOT_IN_CATALOG = 999;

const BP_ANNUAL = 1; // Microsoft 365 Business Premium|Annual|Monthly
const BP_MONTHLY = 2; // Microsoft 365 Business Premium|Monthly|Monthly
const ETP_SVC = 3;
const ARCH_SVC = 4;
const SECURETIDE = 9; // not mapped
const ORPHAN_SVC = 10; // mapped to a product missing from the catalog

function account(overrides: Partial<ReconcileAccount> = {}): ReconcileAccount {
  return {
    accountId: ACCOUNT,
    name: 'Contoso Dental Group',
    billable: true,
    notBillableReason: null,
    mapping: {
      companyId: COMPANY,
      companyName: 'Contoso Dental Group',
      agreementId: AGREEMENT,
      excluded: false,
    },
    ...overrides,
  };
}

let keySeq = 0;
function sub(
  serviceId: number,
  quantity: number | null,
  status = 'Active',
  overrides: Partial<ReconcileSubscription> = {},
): ReconcileSubscription {
  return {
    accountId: ACCOUNT,
    serviceId,
    subscriptionKey: `500123-${serviceId}-${++keySeq}`,
    status,
    isTrial: false,
    quantity,
    ...overrides,
  };
}

let additionSeq = 9000;
function add(
  productId: number,
  quantity: number,
  overrides: Partial<ReconcileAddition> = {},
): ReconcileAddition {
  return {
    agreementId: AGREEMENT,
    additionId: ++additionSeq,
    productId,
    quantity,
    unitPrice: null,
    unitCost: null,
    cancelledDate: null,
    ...overrides,
  };
}

function world(parts: Partial<ReconcileInput> = {}): ReconcileInput {
  return {
    today: TODAY,
    settings: { trialsBill: true },
    accounts: [account()],
    services: [
      {
        serviceId: BP_ANNUAL,
        label: 'Microsoft 365 Business Premium|Annual|Monthly',
        mapping: { productId: BP },
      },
      {
        serviceId: BP_MONTHLY,
        label: 'Microsoft 365 Business Premium|Monthly|Monthly',
        mapping: { productId: BP },
      },
      {
        serviceId: ETP_SVC,
        label: 'Advanced Email Threat Protection|Monthly|Monthly',
        mapping: { productId: ETP },
      },
      { serviceId: ARCH_SVC, label: 'Email Archiving|Monthly|Monthly', mapping: { productId: ARCH } },
      { serviceId: SECURETIDE, label: 'SecureTide|Monthly|Monthly', mapping: null },
      {
        serviceId: ORPHAN_SVC,
        label: 'Something New|Monthly|Monthly',
        mapping: { productId: NOT_IN_CATALOG },
      },
    ],
    subscriptions: [],
    additions: [],
    catalog: [
      {
        productId: BP,
        identifier: 'AR-M365-BP',
        description: 'Microsoft 365 Business Premium',
        price: 22,
        cost: 18.7,
      },
      {
        productId: ETP,
        identifier: 'AR-ETP',
        description: 'Advanced Email Threat Protection',
        price: 3,
        cost: 1.5,
      },
      { productId: ARCH, identifier: 'AR-ARCH', description: 'Email Archiving', price: 2.5, cost: 1.2 },
      {
        productId: MANAGED_WS,
        identifier: 'MSP-MANAGED-WS',
        description: 'Managed Workstation',
        price: 45,
        cost: 0,
      },
    ],
    ...parts,
  };
}

function only(result: ReconcileResult): UsageLineDraft {
  expect(result.lines).toHaveLength(1);
  return result.lines[0];
}

// --- every kind and every reason ------------------------------------------------------------------

interface Row {
  name: string;
  subs: ReconcileSubscription[];
  additions: ReconcileAddition[];
  expected: Partial<UsageLineDraft>;
}

const kindRows: Row[] = [
  {
    name: 'in_sync: vendor equals addition',
    subs: [sub(BP_ANNUAL, 20)],
    additions: [add(BP, 20, { additionId: 1 })],
    expected: { kind: 'in_sync', reason: null, vendorQty: 20, psaQty: 20, additionId: 1, revenueChange: 0 },
  },
  {
    name: 'increase: vendor above addition',
    subs: [sub(BP_ANNUAL, 23)],
    additions: [add(BP, 20, { additionId: 1 })],
    expected: { kind: 'increase', vendorQty: 23, psaQty: 20, additionId: 1, revenueChange: 66 },
  },
  {
    name: 'decrease: vendor below addition',
    subs: [sub(BP_ANNUAL, 18)],
    additions: [add(BP, 20, { additionId: 1 })],
    expected: { kind: 'decrease', vendorQty: 18, psaQty: 20, additionId: 1, revenueChange: -44 },
  },
  {
    name: 'new: seats but no addition',
    subs: [sub(BP_ANNUAL, 5)],
    additions: [],
    expected: {
      kind: 'new',
      vendorQty: 5,
      psaQty: null,
      additionId: null,
      additionIds: [],
      revenueChange: 110,
    },
  },
  {
    name: 'cancel: subscription Cancelled, addition still active',
    subs: [sub(BP_ANNUAL, 10, 'Cancelled')],
    additions: [add(BP, 10, { additionId: 1 })],
    expected: {
      kind: 'cancel',
      vendorQty: 0,
      psaQty: 10,
      additionId: 1,
      serviceIds: [BP_ANNUAL],
      revenueChange: -220,
    },
  },
  {
    name: 'cancel: no subscription at all for the product',
    subs: [],
    additions: [add(BP, 10, { additionId: 1 })],
    expected: { kind: 'cancel', vendorQty: 0, psaQty: 10, serviceIds: [], revenueChange: -220 },
  },
  {
    name: 'in_sync: zero-quantity addition, no seats',
    subs: [sub(BP_ANNUAL, 4, 'Canceled')],
    additions: [add(BP, 0, { additionId: 1 })],
    expected: { kind: 'in_sync', vendorQty: 0, psaQty: 0, additionId: 1, revenueChange: 0 },
  },
  {
    name: 'needs_attention multiple_additions',
    subs: [sub(BP_ANNUAL, 47)],
    additions: [add(BP, 40, { additionId: 7 }), add(BP, 5, { additionId: 3 })],
    expected: {
      kind: 'needs_attention',
      reason: 'multiple_additions',
      vendorQty: 47,
      psaQty: 45,
      additionId: null,
      additionIds: [3, 7],
      revenueChange: 0,
      reasonText:
        '2 active additions for AR-M365-BP on this agreement; merge them in ConnectWise, then sync again.',
    },
  },
  {
    name: 'needs_attention unknown_status keeps the billable sum so far',
    subs: [sub(BP_ANNUAL, 5), sub(BP_MONTHLY, 3, 'Frozen')],
    additions: [add(BP, 8, { additionId: 1 })],
    expected: {
      kind: 'needs_attention',
      reason: 'unknown_status',
      vendorQty: 5,
      psaQty: 8,
      additionId: 1,
      serviceIds: [BP_ANNUAL, BP_MONTHLY],
      revenueChange: 0,
    },
  },
  {
    name: 'needs_attention inconclusive_status (Suspended) with an addition',
    subs: [sub(BP_ANNUAL, 30, 'Suspended')],
    additions: [add(BP, 30, { additionId: 1 })],
    expected: {
      kind: 'needs_attention',
      reason: 'inconclusive_status',
      vendorQty: 0,
      psaQty: 30,
      additionId: 1,
      revenueChange: 0,
      reasonText: 'Subscription is Suspended in AppRiver; check it before billing.',
    },
  },
  {
    name: 'needs_attention inconclusive_status (Installing) without an addition',
    subs: [sub(BP_ANNUAL, 14, 'Installing')],
    additions: [],
    expected: { kind: 'needs_attention', reason: 'inconclusive_status', vendorQty: 0, psaQty: null },
  },
  {
    name: 'needs_attention quantity_unknown: null is not zero',
    subs: [sub(BP_ANNUAL, null)],
    additions: [add(BP, 10, { additionId: 1 })],
    expected: {
      kind: 'needs_attention',
      reason: 'quantity_unknown',
      vendorQty: null,
      psaQty: 10,
      additionId: 1,
      revenueChange: 0,
    },
  },
  {
    name: 'needs_attention quantity_unknown without an addition',
    subs: [sub(BP_ANNUAL, 4), sub(BP_MONTHLY, null)],
    additions: [],
    expected: { kind: 'needs_attention', reason: 'quantity_unknown', vendorQty: null, psaQty: null },
  },
];

describe('reconcile: kinds', () => {
  it.each(kindRows)('$name', ({ subs, additions, expected }) => {
    const line = only(reconcile(world({ subscriptions: subs, additions })));
    expect(line).toMatchObject({
      accountId: ACCOUNT,
      companyId: COMPANY,
      agreementId: AGREEMENT,
      productId: BP,
      productIdentifier: 'AR-M365-BP',
      ...expected,
    });
    if (line.kind !== 'needs_attention') expect(line.reason).toBeNull();
    if (line.kind === 'needs_attention') expect(line.reasonText).toEqual(expect.any(String));
  });
});

describe('reconcile: status classes', () => {
  it.each([
    ['Active', 'billable'],
    ['  active ', 'billable'],
    ['Scheduled to Uninstall', 'billable'],
    ['SCHEDULED  TO UNINSTALL', 'billable'],
    ['Cancelled', 'gone'],
    ['Canceled', 'gone'],
    ['Suspended', 'inconclusive'],
    ['Suspending', 'inconclusive'],
    ['Installing', 'inconclusive'],
    ['Not Installed', 'inconclusive'],
    ['Uninstalling', 'inconclusive'],
    ['Frozen', 'unknown'],
    ['', 'unknown'],
  ])('%j is %s', (status, expected) => {
    expect(classifyStatus(status, false, true)).toBe(expected);
  });

  it.each([
    ['Trial', false, true, 'billable'],
    ['Trial', true, true, 'billable'],
    ['Trial', true, false, 'gone'],
    ['trial', false, false, 'gone'],
    ['Active', true, true, 'billable'],
    ['Active', true, false, 'gone'],
    ['Suspended', true, true, 'inconclusive'],
  ])('%s with isTrial=%s, trialsBill=%s is %s', (status, isTrial, trialsBill, expected) => {
    expect(classifyStatus(status, isTrial, trialsBill)).toBe(expected);
  });

  it.each(['Suspended', 'Suspending', 'Installing', 'Not Installed', 'Uninstalling'])(
    '%s subscription is inconclusive, never a cancel',
    (status) => {
      const result = reconcile(
        world({ subscriptions: [sub(BP_ANNUAL, 10, status)], additions: [add(BP, 10)] }),
      );
      expect(only(result)).toMatchObject({ kind: 'needs_attention', reason: 'inconclusive_status' });
    },
  );

  it('Scheduled to Uninstall still bills', () => {
    const result = reconcile(
      world({ subscriptions: [sub(BP_ANNUAL, 3, 'Scheduled to Uninstall')], additions: [add(BP, 3)] }),
    );
    expect(only(result)).toMatchObject({ kind: 'in_sync', vendorQty: 3 });
  });

  it('unknown status is never treated as 0 (no cancel)', () => {
    const result = reconcile(
      world({ subscriptions: [sub(BP_ANNUAL, 10, 'Pending')], additions: [add(BP, 10)] }),
    );
    expect(only(result)).toMatchObject({ kind: 'needs_attention', reason: 'unknown_status', vendorQty: 0 });
    expect(only(result).reasonText).toContain('Pending');
  });

  it.each<[string, boolean, Partial<UsageLineDraft> | null]>([
    ['trialsBill true: trial seats bill', true, { kind: 'in_sync', vendorQty: 12, psaQty: 12 }],
    [
      'trialsBill false: trial counts 0, addition cancelled',
      false,
      { kind: 'cancel', vendorQty: 0, psaQty: 12 },
    ],
  ])('%s', (_name, trialsBill, expected) => {
    const result = reconcile(
      world({
        settings: { trialsBill },
        subscriptions: [sub(ETP_SVC, 12, 'Trial', { isTrial: true })],
        additions: [add(ETP, 12)],
      }),
    );
    expect(only(result)).toMatchObject({ productId: ETP, ...expected });
  });

  it('trialsBill false with no addition: no line and nothing queued', () => {
    const result = reconcile(
      world({
        settings: { trialsBill: false },
        subscriptions: [sub(ETP_SVC, 12, 'Trial', { isTrial: true })],
      }),
    );
    expect(result.lines).toEqual([]);
    expect(result.unmapped).toEqual([]);
  });
});

describe('reconcile: attention precedence', () => {
  it.each<[string, ReconcileSubscription[], ReconcileAddition[], AttentionReason]>([
    [
      'multiple beats unknown, inconclusive, quantity',
      [sub(BP_ANNUAL, null), sub(BP_ANNUAL, 1, 'Frozen'), sub(BP_MONTHLY, 1, 'Suspended')],
      [add(BP, 1), add(BP, 1)],
      'multiple_additions',
    ],
    [
      'unknown beats inconclusive and quantity',
      [sub(BP_ANNUAL, null), sub(BP_ANNUAL, 1, 'Frozen'), sub(BP_MONTHLY, 1, 'Suspended')],
      [add(BP, 1)],
      'unknown_status',
    ],
    [
      'inconclusive beats quantity',
      [sub(BP_ANNUAL, null), sub(BP_MONTHLY, 1, 'Suspended')],
      [add(BP, 1)],
      'inconclusive_status',
    ],
  ])('%s', (_name, subs, additions, reason) => {
    const line = only(reconcile(world({ subscriptions: subs, additions })));
    expect(line).toMatchObject({ kind: 'needs_attention', reason, revenueChange: 0 });
    // A null seat count makes the vendor sum unknown whatever the reason shown.
    expect(line.vendorQty).toBeNull();
  });
});

describe('reconcile: additions and dates', () => {
  it.each<[string, string | null, LineKind, number | null]>([
    ['no cancelled date: active', null, 'in_sync', 10],
    ['cancelled date in the future: still active', '2027-06-30T00:00:00Z', 'in_sync', 10],
    ['cancelled one second after today: still active', '2025-06-15T12:00:01Z', 'in_sync', 10],
    ['cancelled exactly today: inactive', TODAY, 'new', null],
    ['cancelled date in the past: inactive, seats are new', '2025-03-31T00:00:00Z', 'new', null],
  ])('%s', (_name, cancelledDate, kind, psaQty) => {
    const result = reconcile(
      world({ subscriptions: [sub(BP_ANNUAL, 10)], additions: [add(BP, 10, { cancelledDate })] }),
    );
    expect(only(result)).toMatchObject({ kind, psaQty });
  });

  it('an inactive addition next to an active one is not counted', () => {
    const result = reconcile(
      world({
        subscriptions: [sub(BP_ANNUAL, 12)],
        additions: [add(BP, 8, { cancelledDate: '2025-01-01T00:00:00Z' }), add(BP, 10, { additionId: 42 })],
      }),
    );
    expect(only(result)).toMatchObject({ kind: 'increase', psaQty: 10, additionId: 42, additionIds: [42] });
  });

  it('additions on other agreements are ignored', () => {
    const result = reconcile(
      world({ subscriptions: [sub(BP_ANNUAL, 5)], additions: [add(BP, 5, { agreementId: 732 })] }),
    );
    expect(only(result)).toMatchObject({ kind: 'new', psaQty: null });
  });

  it('an addition for a product no service maps to is never touched', () => {
    const result = reconcile(
      world({ subscriptions: [sub(BP_ANNUAL, 20)], additions: [add(BP, 20), add(MANAGED_WS, 18)] }),
    );
    expect(only(result)).toMatchObject({ productId: BP, kind: 'in_sync' });
  });
});

describe('reconcile: summing', () => {
  it('sums several subscriptions of one service', () => {
    const result = reconcile(
      world({ subscriptions: [sub(BP_ANNUAL, 10), sub(BP_ANNUAL, 11)], additions: [add(BP, 21)] }),
    );
    expect(only(result)).toMatchObject({ kind: 'in_sync', vendorQty: 21, serviceIds: [BP_ANNUAL] });
  });

  it('sums Annual and Monthly services mapped to one product', () => {
    const result = reconcile(
      world({ subscriptions: [sub(BP_MONTHLY, 4), sub(BP_ANNUAL, 15)], additions: [add(BP, 15)] }),
    );
    expect(only(result)).toMatchObject({
      kind: 'increase',
      vendorQty: 19,
      psaQty: 15,
      serviceIds: [BP_ANNUAL, BP_MONTHLY],
      revenueChange: 88,
    });
  });

  it('cancelled subscriptions add nothing to the sum', () => {
    const result = reconcile(
      world({
        subscriptions: [sub(BP_ANNUAL, 15), sub(BP_MONTHLY, 4, 'Cancelled')],
        additions: [add(BP, 15)],
      }),
    );
    expect(only(result)).toMatchObject({
      kind: 'in_sync',
      vendorQty: 15,
      serviceIds: [BP_ANNUAL, BP_MONTHLY],
    });
  });

  it("other accounts' subscriptions are not summed in", () => {
    const result = reconcile(
      world({
        subscriptions: [sub(BP_ANNUAL, 10), sub(BP_ANNUAL, 99, 'Active', { accountId: 555 })],
        additions: [add(BP, 10)],
      }),
    );
    expect(result.lines.filter((l) => l.accountId === ACCOUNT)).toEqual([
      expect.objectContaining({ kind: 'in_sync', vendorQty: 10 }),
    ]);
  });
});

describe('reconcile: account mapping', () => {
  it('excluded account produces nothing', () => {
    const mapping = { companyId: COMPANY, companyName: 'Contoso', agreementId: AGREEMENT, excluded: true };
    const result = reconcile(
      world({
        accounts: [account({ mapping })],
        subscriptions: [sub(BP_ANNUAL, 21), sub(SECURETIDE, 10)],
        additions: [add(BP, 20)],
      }),
    );
    expect(result.lines).toEqual([]);
    expect(result.unmapped).toEqual([]);
  });

  it('no agreement: one line per product with seats, psaQty null', () => {
    const mapping = { companyId: COMPANY, companyName: 'Contoso', agreementId: null, excluded: false };
    const result = reconcile(
      world({
        accounts: [account({ mapping })],
        subscriptions: [
          sub(BP_ANNUAL, 20),
          sub(BP_MONTHLY, 1),
          sub(ETP_SVC, 25),
          sub(ARCH_SVC, 9, 'Cancelled'),
        ],
        additions: [add(BP, 20)],
      }),
    );
    expect(result.lines).toEqual([
      expect.objectContaining({ productId: ETP, vendorQty: 25 }),
      expect.objectContaining({ productId: BP, vendorQty: 21, serviceIds: [BP_ANNUAL, BP_MONTHLY] }),
    ]);
    for (const line of result.lines) {
      expect(line).toMatchObject({
        kind: 'needs_attention',
        reason: 'no_agreement',
        reasonText: 'No agreement chosen for this company; pick one on the Accounts screen.',
        agreementId: null,
        psaQty: null,
        additionId: null,
        additionIds: [],
        revenueChange: 0,
      });
    }
  });

  it('no agreement with an unknown seat count: still flagged, vendorQty null', () => {
    const mapping = { companyId: COMPANY, companyName: 'Contoso', agreementId: null, excluded: false };
    const result = reconcile(
      world({ accounts: [account({ mapping })], subscriptions: [sub(BP_ANNUAL, null)] }),
    );
    expect(only(result)).toMatchObject({ reason: 'no_agreement', vendorQty: null });
  });

  it('account not billable: flags active additions of mapped products only', () => {
    const result = reconcile(
      world({
        accounts: [account({ billable: false, notBillableReason: 'Referred customer' })],
        subscriptions: [sub(BP_ANNUAL, 12)],
        additions: [
          add(BP, 12, { additionId: 5, unitPrice: 21 }),
          add(ETP, 12, { cancelledDate: '2025-01-01T00:00:00Z' }),
          add(MANAGED_WS, 18),
        ],
      }),
    );
    const line = only(result);
    expect(line).toMatchObject({
      productId: BP,
      kind: 'needs_attention',
      reason: 'account_not_billable',
      vendorQty: null,
      psaQty: 12,
      additionId: 5,
      additionIds: [5],
      unitPrice: 21,
      serviceIds: [],
      revenueChange: 0,
    });
    expect(line.reasonText).toContain('Referred customer');
    expect(result.unmapped).toEqual([]);
  });

  it('account not billable without additions: no lines', () => {
    const result = reconcile(
      world({
        accounts: [account({ billable: false, notBillableReason: 'Partner' })],
        subscriptions: [sub(BP_ANNUAL, 5)],
      }),
    );
    expect(result.lines).toEqual([]);
    expect(result.unmapped).toEqual([]);
  });
});

describe('reconcile: several accounts billed on one agreement', () => {
  // Contoso's two AppRiver tenants (head office and a clinic) both bill to agreement 731.
  const CLINIC = 101;
  const clinic = (overrides: Partial<ReconcileAccount> = {}) =>
    account({ accountId: CLINIC, name: 'Contoso Clinic', ...overrides });
  const both = (parts: Partial<ReconcileInput>) =>
    reconcile(world({ accounts: [clinic(), account()], ...parts }));

  it.each<[string, number, number, number, LineKind]>([
    ['their seats together match the addition: in sync, nothing to decrease', 20, 10, 30, 'in_sync'],
    ['together more than the addition: one increase to the total', 20, 12, 30, 'increase'],
    ['together fewer than the addition: one decrease to the total', 20, 5, 30, 'decrease'],
  ])('%s', (_, head, clinicSeats, billed, kind) => {
    const result = both({
      subscriptions: [sub(BP_ANNUAL, head), sub(BP_MONTHLY, clinicSeats, 'Active', { accountId: CLINIC })],
      additions: [add(BP, billed, { additionId: 77 })],
    });
    expect(only(result)).toMatchObject({
      accountId: ACCOUNT,
      agreementId: AGREEMENT,
      productId: BP,
      kind,
      vendorQty: head + clinicSeats,
      psaQty: billed,
      additionId: 77,
      serviceIds: [BP_ANNUAL, BP_MONTHLY],
      reasonText: `Seats of 2 AppRiver accounts on this agreement: Contoso Dental Group ${head}, Contoso Clinic ${clinicSeats}.`,
    });
  });

  it("a product only one of them uses is that account's line, with no note", () => {
    const result = both({
      subscriptions: [sub(BP_ANNUAL, 20), sub(ARCH_SVC, 9, 'Active', { accountId: CLINIC })],
      additions: [add(BP, 20)],
    });
    expect(result.lines).toEqual([
      expect.objectContaining({ accountId: ACCOUNT, productId: BP, kind: 'in_sync', reasonText: null }),
      expect.objectContaining({ accountId: CLINIC, productId: ARCH, kind: 'new', vendorQty: 9 }),
    ]);
  });

  it('seats gone from both: one cancel, not one per account', () => {
    const result = both({
      subscriptions: [sub(ETP_SVC, 0, 'Cancelled'), sub(ETP_SVC, 4, 'Cancelled', { accountId: CLINIC })],
      additions: [add(ETP, 14)],
    });
    expect(only(result)).toMatchObject({ accountId: ACCOUNT, kind: 'cancel', vendorQty: 0, psaQty: 14 });
  });

  it('an inconclusive status in either account holds the shared line for a person', () => {
    const result = both({
      subscriptions: [sub(BP_ANNUAL, 20), sub(BP_ANNUAL, 10, 'Suspended', { accountId: CLINIC })],
      additions: [add(BP, 30)],
    });
    expect(only(result)).toMatchObject({ kind: 'needs_attention', reason: 'inconclusive_status' });
    expect(only(result).reasonText).toMatch(
      /^Subscription is Suspended in AppRiver; check it before billing\. Seats of 2/,
    );
  });

  it('an account whose seats AppRiver refuses makes the shared addition a decision for a person', () => {
    const result = both({
      accounts: [account(), clinic({ billable: false, notBillableReason: 'Referred customer' })],
      subscriptions: [sub(BP_ANNUAL, 20), sub(ETP_SVC, 20)],
      additions: [add(BP, 30)],
    });
    expect(result.lines).toEqual([
      // Nothing is billed for ETP yet, so the visible seats are new whatever the other account has.
      expect.objectContaining({ accountId: ACCOUNT, productId: ETP, kind: 'new', vendorQty: 20 }),
      expect.objectContaining({
        accountId: CLINIC,
        productId: BP,
        kind: 'needs_attention',
        reason: 'account_not_billable',
      }),
    ]);
    expect(result.lines[1].reasonText).toContain(
      'Contoso Clinic, which bills to this agreement (Referred customer)',
    );
  });

  it('the line goes to the lowest account id whatever the input order', () => {
    const subscriptions = [sub(BP_ANNUAL, 20), sub(BP_ANNUAL, 12, 'Active', { accountId: CLINIC })];
    const additions = [add(BP, 30)];
    const a = reconcile(world({ accounts: [account(), clinic()], subscriptions, additions }));
    const b = reconcile(
      world({ accounts: [clinic(), account()], subscriptions: [...subscriptions].reverse(), additions }),
    );
    expect(b.lines).toEqual(a.lines);
    expect(only(a).accountId).toBe(ACCOUNT);
  });
});

describe('reconcile: unmapped queue', () => {
  it('billable account without mapping is queued with its billable seat total', () => {
    const result = reconcile(
      world({
        accounts: [account({ mapping: null })],
        subscriptions: [
          sub(BP_ANNUAL, 12),
          sub(SECURETIDE, 3),
          sub(ETP_SVC, 7, 'Cancelled'),
          sub(ARCH_SVC, 2, 'Frozen'),
        ],
        additions: [add(BP, 12)],
      }),
    );
    expect(result.lines).toEqual([]);
    expect(result.unmapped).toEqual([{ kind: 'account', accountId: ACCOUNT, serviceId: null, quantity: 15 }]);
  });

  it.each<[string, Partial<ReconcileAccount>, ReconcileSubscription[]]>([
    ['not billable', { mapping: null, billable: false }, [sub(BP_ANNUAL, 12)]],
    ['only cancelled seats', { mapping: null }, [sub(BP_ANNUAL, 12, 'Cancelled')]],
    ['zero seats', { mapping: null }, [sub(BP_ANNUAL, 0)]],
  ])('unmapped account not queued when %s', (_name, overrides, subs) => {
    const result = reconcile(world({ accounts: [account(overrides)], subscriptions: subs }));
    expect(result.unmapped).toEqual([]);
  });

  it('billable seats of an unmapped service are queued per service, mapped ones still reconcile', () => {
    const result = reconcile(
      world({
        subscriptions: [
          sub(BP_ANNUAL, 20),
          sub(SECURETIDE, 10),
          sub(SECURETIDE, 5),
          sub(SECURETIDE, 7, 'Cancelled'),
        ],
        additions: [add(BP, 20)],
      }),
    );
    expect(only(result)).toMatchObject({ productId: BP, kind: 'in_sync' });
    expect(result.unmapped).toEqual([
      { kind: 'service', accountId: ACCOUNT, serviceId: SECURETIDE, quantity: 15 },
    ]);
  });

  it('subscriptions of an account missing from the account list are queued, not dropped', () => {
    const result = reconcile(world({ subscriptions: [sub(BP_ANNUAL, 6, 'Active', { accountId: 777 })] }));
    expect(result.unmapped).toEqual([{ kind: 'account', accountId: 777, serviceId: null, quantity: 6 }]);
  });
});

describe('reconcile: prices and revenue', () => {
  it.each<[string, Partial<ReconcileAddition>, number | null, number | null, number]>([
    ['price and cost from the addition', { unitPrice: 21.5, unitCost: 17 }, 21.5, 17, 21.5],
    ['catalog when the addition has none', { unitPrice: null, unitCost: null }, 22, 18.7, 22],
    ['addition price 0 is a price, not missing', { unitPrice: 0, unitCost: 0 }, 0, 0, 0],
  ])('%s', (_name, prices, unitPrice, unitCost, revenueChange) => {
    const result = reconcile(
      world({ subscriptions: [sub(BP_ANNUAL, 21)], additions: [add(BP, 20, prices)] }),
    );
    expect(only(result)).toMatchObject({ kind: 'increase', unitPrice, unitCost, revenueChange });
  });

  it('new line takes the catalog price', () => {
    const result = reconcile(world({ subscriptions: [sub(ETP_SVC, 7)] }));
    expect(only(result)).toMatchObject({ kind: 'new', unitPrice: 3, unitCost: 1.5, revenueChange: 21 });
  });

  it('product missing from the catalog: empty identifier, no price, no revenue', () => {
    const result = reconcile(world({ subscriptions: [sub(ORPHAN_SVC, 7)] }));
    expect(only(result)).toMatchObject({
      kind: 'new',
      productId: NOT_IN_CATALOG,
      productIdentifier: '',
      unitPrice: null,
      unitCost: null,
      revenueChange: 0,
    });
  });

  it('multiple additions: shared price kept, differing prices fall back to the catalog', () => {
    const same = reconcile(
      world({
        subscriptions: [sub(BP_ANNUAL, 5)],
        additions: [add(BP, 2, { unitPrice: 20 }), add(BP, 2, { unitPrice: 20 })],
      }),
    );
    expect(only(same).unitPrice).toBe(20);
    const differ = reconcile(
      world({
        subscriptions: [sub(BP_ANNUAL, 5)],
        additions: [add(BP, 2, { unitPrice: 20 }), add(BP, 2, { unitPrice: 21 })],
      }),
    );
    expect(only(differ).unitPrice).toBe(22);
  });

  it.each<[number, number, number | null, number]>([
    [21, 20, 22, 22],
    [18, 20, 22, -44],
    [3, 0, 1.115, 3.35], // 3.345 exactly: half away from zero, no binary drift
    [0, 3, 1.115, -3.35],
    [1, 0, 1.005, 1.01],
    [3, 0, 0.1, 0.3],
    [1, 0, 0.004, 0],
    [1, 2, 0.004, 0], // never -0
    [7, 0, 12.3456, 86.42],
    [100000, 0, 19.99, 1999000],
    [5, 3, null, 0],
  ])('monthlyChange(%d, %d, %p) = %d', (vendorQty, psaQty, unitPrice, expected) => {
    expect(monthlyChange(vendorQty, psaQty, unitPrice)).toBe(expected);
  });

  it('revenueChange is rounded to cents on a line', () => {
    const result = reconcile(
      world({ subscriptions: [sub(BP_ANNUAL, 10)], additions: [add(BP, 13, { unitPrice: 1.115 })] }),
    );
    expect(only(result)).toMatchObject({ kind: 'decrease', revenueChange: -3.35 });
  });
});

describe('reconcile: output', () => {
  it('counts every kind, 0 when absent', () => {
    const result = reconcile(
      world({
        subscriptions: [sub(BP_ANNUAL, 21), sub(ETP_SVC, 7)],
        additions: [add(BP, 20), add(ARCH, 25)],
      }),
    );
    expect(result.counts).toEqual({
      in_sync: 0,
      increase: 1,
      decrease: 0,
      new: 1,
      cancel: 1,
      needs_attention: 0,
    });
  });

  it('empty input: no lines, all counts 0', () => {
    const result = reconcile(world({ accounts: [] }));
    expect(result).toEqual({
      lines: [],
      unmapped: [],
      counts: { in_sync: 0, increase: 0, decrease: 0, new: 0, cancel: 0, needs_attention: 0 },
    });
  });

  it('sorts by accountId then productIdentifier, whatever the input order', () => {
    const other = 50;
    const input = world({
      accounts: [
        account(),
        account({
          accountId: other,
          mapping: { companyId: 251, companyName: 'Fabrikam', agreementId: 732, excluded: false },
        }),
      ],
      subscriptions: [
        sub(ORPHAN_SVC, 1),
        sub(BP_ANNUAL, 1),
        sub(ETP_SVC, 1),
        sub(ARCH_SVC, 1),
        sub(ETP_SVC, 2, 'Active', { accountId: other }),
        sub(BP_MONTHLY, 2, 'Active', { accountId: other }),
        sub(SECURETIDE, 4, 'Active', { accountId: other }),
        sub(SECURETIDE, 4),
      ],
    });
    const result = reconcile(input);
    expect(result.lines.map((l) => [l.accountId, l.productIdentifier])).toEqual([
      [other, 'AR-ETP'],
      [other, 'AR-M365-BP'],
      [ACCOUNT, ''],
      [ACCOUNT, 'AR-ARCH'],
      [ACCOUNT, 'AR-ETP'],
      [ACCOUNT, 'AR-M365-BP'],
    ]);
    expect(result.unmapped.map((u) => u.accountId)).toEqual([other, ACCOUNT]);
    const reversed = reconcile({ ...input, subscriptions: [...input.subscriptions].reverse() });
    expect(reversed).toEqual(result);
  });

  it('rejects an unreadable today instead of guessing', () => {
    expect(() => reconcile(world({ today: 'yesterday' }))).toThrow(RangeError);
  });

  it('does not mutate its input', () => {
    const input = world({
      subscriptions: [sub(BP_MONTHLY, 2), sub(BP_ANNUAL, 1)],
      additions: [add(BP, 1), add(BP, 2)],
    });
    const copy = structuredClone(input);
    reconcile(input);
    expect(input).toEqual(copy);
  });

  it('stays fast on 40,000 subscriptions', () => {
    const accounts: ReconcileAccount[] = [];
    const subscriptions: ReconcileSubscription[] = [];
    const additions: ReconcileAddition[] = [];
    for (let i = 0; i < 10000; i++) {
      accounts.push(
        account({
          accountId: i,
          mapping: { companyId: i, companyName: `C${i}`, agreementId: i, excluded: false },
        }),
      );
      for (const serviceId of [BP_ANNUAL, BP_MONTHLY, ETP_SVC, SECURETIDE]) {
        subscriptions.push(sub(serviceId, 5, 'Active', { accountId: i }));
      }
      additions.push(add(BP, 10, { agreementId: i }), add(ETP, 4, { agreementId: i }));
    }
    const started = performance.now();
    const result = reconcile(world({ accounts, subscriptions, additions }));
    expect(performance.now() - started).toBeLessThan(3000);
    expect(result.counts).toMatchObject({ in_sync: 10000, increase: 10000 });
    expect(result.unmapped).toHaveLength(10000);
  });
});

describe('reconcile: realistic scenario (Contoso Dental Group)', () => {
  it('BP 21 vs addition 20 at 22.00 is an increase of +22.00; the rest is in sync', () => {
    const result = reconcile(
      world({
        subscriptions: [
          sub(BP_ANNUAL, 21, 'Active', { subscriptionKey: '500123-O365-1-contosodental.example' }),
          sub(ETP_SVC, 25, 'Active', { subscriptionKey: '500123-ETP-1-contosodental.example' }),
          sub(ARCH_SVC, 25, 'Active', { subscriptionKey: '500123-ARCH-1-contosodental.example' }),
        ],
        additions: [
          add(BP, 20, { additionId: 4101, unitPrice: 22, unitCost: 18.7 }),
          add(ETP, 25, { additionId: 4102, unitPrice: 3, unitCost: 1.5 }),
          add(ARCH, 25, { additionId: 4103, unitPrice: 2.5, unitCost: 1.2 }),
          add(MANAGED_WS, 18, { additionId: 4104, unitPrice: 45, unitCost: 0 }),
        ],
      }),
    );
    expect(result.lines).toEqual([
      expect.objectContaining({ productIdentifier: 'AR-ARCH', kind: 'in_sync', vendorQty: 25, psaQty: 25 }),
      expect.objectContaining({ productIdentifier: 'AR-ETP', kind: 'in_sync', vendorQty: 25, psaQty: 25 }),
      {
        accountId: ACCOUNT,
        companyId: COMPANY,
        agreementId: AGREEMENT,
        productId: BP,
        productIdentifier: 'AR-M365-BP',
        serviceIds: [BP_ANNUAL],
        vendorQty: 21,
        psaQty: 20,
        kind: 'increase',
        reason: null,
        reasonText: null,
        additionId: 4101,
        additionIds: [4101],
        unitPrice: 22,
        unitCost: 18.7,
        revenueChange: 22,
      },
    ]);
    expect(result.counts).toEqual({
      in_sync: 2,
      increase: 1,
      decrease: 0,
      new: 0,
      cancel: 0,
      needs_attention: 0,
    });
    expect(result.unmapped).toEqual([]);
  });
});
