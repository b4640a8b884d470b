import * as fs from 'node:fs';

// The sandbox world: everything the simulated ConnectWise and AppRiver know (see README, "Sandbox worlds").

export interface WorldApiKey {
  publicKey: string;
  privateKey: string;
  permissions: string[];
}
export interface WorldMember {
  identifier: string;
  email: string;
  memberHash: string;
  agreementsEdit: 'None' | 'My' | 'All';
}
export interface WorldCompany {
  id: number;
  identifier: string;
  name: string;
  deletedFlag: boolean;
  status: string;
}
export interface WorldCatalogItem {
  id: number;
  identifier: string;
  description: string;
  price: number;
  cost: number;
  inactiveFlag: boolean;
}
export interface WorldAddition {
  id: number;
  productId: number;
  quantity: number;
  lessIncluded: number;
  unitPrice: number;
  unitCost: number;
  billCustomer: 'Billable' | 'DoNotBill' | 'NoCharge';
  effectiveDate: string | null;
  cancelledDate: string | null;
}
export interface WorldAgreement {
  id: number;
  name: string;
  companyId: number;
  type: string;
  agreementStatus: string;
  cancelledFlag: boolean;
  prorateFlag: boolean;
  additions: WorldAddition[];
}
export interface WorldSubscription {
  SubscriptionKey: string;
  ProductName: string;
  SubscriptionTerm: string;
  BillingFrequency: string;
  SubscriptionStatus: string;
  IsTrial: boolean;
  SubscriptionQuantity?: number;
  TotalLicenses?: number;
  AssignedLicenses?: number;
}
export interface WorldCustomer {
  CustomerId: string;
  CustomerNumber: string;
  Name: string;
  CustomerType: string;
  IsClosed: boolean;
  ExternalCustomerAccountNumber?: string | null;
  Website?: string | null;
  subscriptions: WorldSubscription[];
}
export interface WorldFaults {
  latencyMs: number;
  connectwise: { rateLimitEvery: number; retryAfterSeconds: number; serverErrorEvery: number };
  appriver: {
    rateLimitEvery: number;
    retryAfterSeconds: number;
    serverErrorEvery: number;
    subscriptionsAsBareArray: boolean;
    accessTokenSeconds: number;
  };
}
export interface World {
  name: string;
  connectwise: {
    companyId: string;
    site: string;
    codebase: string;
    apiKeys: WorldApiKey[];
    members: WorldMember[];
    companies: WorldCompany[];
    catalog: WorldCatalogItem[];
    agreements: WorldAgreement[];
  };
  appriver: {
    clients: { clientId: string; clientSecret: string }[];
    users: { username: string; password: string; roles: string[] }[];
    customers: WorldCustomer[];
  };
  faults: WorldFaults;
}

export const NO_FAULTS: WorldFaults = {
  latencyMs: 0,
  connectwise: { rateLimitEvery: 0, retryAfterSeconds: 1, serverErrorEvery: 0 },
  appriver: {
    rateLimitEvery: 0,
    retryAfterSeconds: 1,
    serverErrorEvery: 0,
    subscriptionsAsBareArray: false,
    accessTokenSeconds: 300,
  },
};

export class WorldError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`The sandbox world ${file} is not valid:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

// A tiny schema language: each check pushes "json.path: what is wrong" and returns nothing.
type Check = (value: unknown, at: string, out: string[]) => void;
const describe = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v);
const str: Check = (v, at, out) =>
  void (typeof v !== 'string' || v === ''
    ? out.push(`${at}: expected a non-empty string, got ${describe(v)}`)
    : 0);
const anyStr: Check = (v, at, out) =>
  void (typeof v !== 'string' ? out.push(`${at}: expected a string, got ${describe(v)}`) : 0);
const int: Check = (v, at, out) =>
  void (!Number.isInteger(v) ? out.push(`${at}: expected an integer, got ${JSON.stringify(v)}`) : 0);
const nonNegInt: Check = (v, at, out) =>
  void (!Number.isInteger(v) || (v as number) < 0
    ? out.push(`${at}: expected an integer ≥ 0, got ${JSON.stringify(v)}`)
    : 0);
const num: Check = (v, at, out) =>
  void (typeof v !== 'number' || !Number.isFinite(v) || v < 0
    ? out.push(`${at}: expected a number ≥ 0, got ${JSON.stringify(v)}`)
    : 0);
const bool: Check = (v, at, out) =>
  void (typeof v !== 'boolean' ? out.push(`${at}: expected true or false, got ${JSON.stringify(v)}`) : 0);
const oneOf =
  (...allowed: string[]): Check =>
  (v, at, out) =>
    void (!allowed.includes(v as string)
      ? out.push(`${at}: expected one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`)
      : 0);
const nullable =
  (inner: Check): Check =>
  (v, at, out) =>
    v === null ? undefined : inner(v, at, out);
const isoDate: Check = (v, at, out) =>
  void (typeof v !== 'string' ||
  !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(v) ||
  isNaN(Date.parse(v))
    ? out.push(`${at}: expected an ISO 8601 UTC date like 2025-07-01T00:00:00Z, got ${JSON.stringify(v)}`)
    : 0);
const arr =
  (item: Check): Check =>
  (v, at, out) => {
    if (!Array.isArray(v)) return void out.push(`${at}: expected an array, got ${describe(v)}`);
    v.forEach((x, i) => item(x, `${at}[${i}]`, out));
  };
const obj =
  (required: Record<string, Check>, optional: Record<string, Check> = {}): Check =>
  (v, at, out) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v))
      return void out.push(`${at}: expected an object, got ${describe(v)}`);
    const o = v as Record<string, unknown>;
    for (const [k, check] of Object.entries(required)) {
      if (!(k in o)) out.push(`${at}.${k}: missing`);
      else check(o[k], `${at}.${k}`, out);
    }
    for (const [k, check] of Object.entries(optional))
      if (k in o && o[k] !== undefined) check(o[k], `${at}.${k}`, out);
    for (const k of Object.keys(o))
      if (!(k in required) && !(k in optional)) out.push(`${at}.${k}: unknown key`);
  };

const subscription = obj(
  {
    SubscriptionKey: str,
    ProductName: str,
    SubscriptionTerm: str,
    BillingFrequency: str,
    SubscriptionStatus: str,
    IsTrial: bool,
  },
  { SubscriptionQuantity: num, TotalLicenses: num, AssignedLicenses: num },
);
const faultsSchema = obj(
  {},
  {
    latencyMs: nonNegInt,
    connectwise: obj(
      {},
      { rateLimitEvery: nonNegInt, retryAfterSeconds: nonNegInt, serverErrorEvery: nonNegInt },
    ),
    appriver: obj(
      {},
      {
        rateLimitEvery: nonNegInt,
        retryAfterSeconds: nonNegInt,
        serverErrorEvery: nonNegInt,
        subscriptionsAsBareArray: bool,
        accessTokenSeconds: nonNegInt,
      },
    ),
  },
);
const worldSchema = obj(
  {
    name: anyStr,
    connectwise: obj({
      companyId: str,
      site: str,
      codebase: str,
      apiKeys: arr(obj({ publicKey: str, privateKey: str, permissions: arr(str) })),
      members: arr(
        obj({ identifier: str, email: anyStr, memberHash: str, agreementsEdit: oneOf('None', 'My', 'All') }),
      ),
      companies: arr(obj({ id: int, identifier: str, name: str, deletedFlag: bool, status: str })),
      catalog: arr(
        obj({ id: int, identifier: str, description: str, price: num, cost: num, inactiveFlag: bool }),
      ),
      agreements: arr(
        obj({
          id: int,
          name: str,
          companyId: int,
          type: str,
          agreementStatus: oneOf('Active', 'Cancelled', 'Expired', 'Inactive'),
          cancelledFlag: bool,
          prorateFlag: bool,
          additions: arr(
            obj({
              id: int,
              productId: int,
              quantity: num,
              lessIncluded: num,
              unitPrice: num,
              unitCost: num,
              billCustomer: oneOf('Billable', 'DoNotBill', 'NoCharge'),
              effectiveDate: nullable(isoDate),
              cancelledDate: nullable(isoDate),
            }),
          ),
        }),
      ),
    }),
    appriver: obj({
      clients: arr(obj({ clientId: str, clientSecret: str })),
      users: arr(obj({ username: str, password: str, roles: arr(str) })),
      customers: arr(
        obj(
          {
            CustomerId: str,
            CustomerNumber: str,
            Name: str,
            CustomerType: str,
            IsClosed: bool,
            subscriptions: arr(subscription),
          },
          { ExternalCustomerAccountNumber: nullable(anyStr), Website: nullable(anyStr) },
        ),
      ),
    }),
  },
  { faults: faultsSchema },
);

function duplicates<T>(
  items: T[],
  key: (t: T) => unknown,
  at: (i: number) => string,
  what: string,
  out: string[],
) {
  const seen = new Map<unknown, number>();
  items.forEach((item, i) => {
    const k = key(item);
    if (seen.has(k))
      out.push(`${at(i)}: duplicate ${what} ${JSON.stringify(k)} (also at index ${seen.get(k)})`);
    else seen.set(k, i);
  });
}

/** Cross-references the schema cannot express: unique ids, agreements pointing at companies, additions at products. */
function checkReferences(w: World, out: string[]) {
  const cw = w.connectwise;
  duplicates(
    cw.companies,
    (c) => c.id,
    (i) => `connectwise.companies[${i}].id`,
    'company id',
    out,
  );
  duplicates(
    cw.catalog,
    (c) => c.id,
    (i) => `connectwise.catalog[${i}].id`,
    'catalog id',
    out,
  );
  duplicates(
    cw.agreements,
    (a) => a.id,
    (i) => `connectwise.agreements[${i}].id`,
    'agreement id',
    out,
  );
  duplicates(
    cw.members,
    (m) => m.identifier.toLowerCase(),
    (i) => `connectwise.members[${i}].identifier`,
    'member',
    out,
  );
  duplicates(
    w.appriver.customers,
    (c) => c.CustomerId,
    (i) => `appriver.customers[${i}].CustomerId`,
    'CustomerId',
    out,
  );
  const additions = cw.agreements.flatMap((a, ai) =>
    a.additions.map((x, xi) => ({ x, at: `connectwise.agreements[${ai}].additions[${xi}]` })),
  );
  duplicates(
    additions,
    (a) => a.x.id,
    (i) => `${additions[i].at}.id`,
    'addition id',
    out,
  );
  const companies = new Set(cw.companies.map((c) => c.id));
  const products = new Set(cw.catalog.map((c) => c.id));
  cw.agreements.forEach((a, ai) => {
    if (!companies.has(a.companyId))
      out.push(`connectwise.agreements[${ai}].companyId: no company ${a.companyId}`);
    a.additions.forEach((x, xi) => {
      if (!products.has(x.productId))
        out.push(`connectwise.agreements[${ai}].additions[${xi}].productId: no catalog item ${x.productId}`);
    });
  });
  w.appriver.customers.forEach((c, ci) =>
    duplicates(
      c.subscriptions,
      (s) => s.SubscriptionKey,
      (i) => `appriver.customers[${ci}].subscriptions[${i}].SubscriptionKey`,
      'SubscriptionKey',
      out,
    ),
  );
}

/** Validates a parsed world; throws WorldError with one line per problem. */
export function validateWorld(raw: unknown, file = 'world'): World {
  const out: string[] = [];
  worldSchema(raw, '$', out);
  const problems = out.map((p) => p.replace(/^\$\.?/, ''));
  if (problems.length) {
    // Report broken references too when the shape allows it, so one run lists everything to fix.
    try {
      checkReferences(raw as World, problems);
    } catch {
      // the shape is too broken to follow references; the shape problems come first anyway
    }
    throw new WorldError(file, problems);
  }
  const w = raw as World;
  const faults = (w as { faults?: Partial<WorldFaults> }).faults ?? {};
  const world: World = {
    ...w,
    faults: {
      latencyMs: faults.latencyMs ?? 0,
      connectwise: { ...NO_FAULTS.connectwise, ...faults.connectwise },
      appriver: { ...NO_FAULTS.appriver, ...faults.appriver },
    },
  };
  checkReferences(world, problems);
  if (problems.length) throw new WorldError(file, problems);
  return world;
}

export function loadWorld(file: string): World {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new WorldError(file, [`cannot read the file: ${(error as Error).message}`]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new WorldError(file, [`not valid JSON: ${(error as Error).message}`]);
  }
  return validateWorld(raw, file);
}
