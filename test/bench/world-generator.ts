/**
 * A deterministic (seeded) sandbox world for the scale benchmark (see README.md next to this file).
 *
 * N resold AppRiver customers with 3..5 subscriptions each (about 4) from the ten demo products, sold under
 * twelve product|term|frequency combinations (Business Premium and Business Standard both annual and monthly),
 * quantities 1..200. One ConnectWise company per customer: about 85 % with exactly the same name, about 10 %
 * with another name but the customer's `ExternalCustomerAccountNumber` as identifier, about 5 % only fuzzy (the
 * company carries a legal suffix such as ", Inc."), plus 10 % unrelated companies. One active agreement per
 * matched company with additions for the AppRiver products: 70 % of the subscriptions have an addition with the
 * same quantity, 20 % a different one (increase/decrease), 10 % none (new), and 15 % of the agreements carry an
 * addition for a product the customer does not have (cancel); 20 % also bill a non-AppRiver service, which the
 * reconciliation must leave alone. The catalog has 5,000 items, one AR-* item per product among them.
 * API keys, members, the AppRiver client and users are the demo world's, so the test flows sign in as usual.
 */
import * as fs from 'node:fs';
import { DEMO_WORLD } from '../../src/config/paths';
import {
  validateWorld,
  World,
  WorldAddition,
  WorldAgreement,
  WorldCatalogItem,
  WorldCompany,
  WorldCustomer,
  WorldSubscription,
} from '../../src/sandbox/world';

export interface GeneratorOptions {
  customers: number;
  latencyMs: number;
  seed?: number;
  catalogSize?: number;
}

export type MatchKind = 'exact_name' | 'external_number' | 'fuzzy';

/** What the generator put in the world, for the benchmark's minimums and sanity checks. */
export interface WorldFacts {
  customers: number;
  billableCustomers: number;
  subscriptions: number;
  companies: number;
  activeCompanies: number;
  catalogItems: number;
  activeCatalogItems: number;
  agreements: number;
  additions: number;
  /** AppRiver service key (`ProductName|Term|Frequency`) -> the AR-* catalog identifier it is billed as. */
  productForService: Record<string, string>;
  matchKinds: Record<MatchKind, number>;
  /** For the fuzzy accounts: AppRiver customer name -> the ConnectWise company it should be mapped to. */
  fuzzyTarget: Record<string, number>;
  /** Companies the import's auto-match maps (exact name or external number), in world order. */
  autoMatchCompanyIds: number[];
  /** An agreement id, for calibrating the simulator's round trip. */
  sampleAgreementId: number;
  /** Lines the reconciliation should produce, by kind. */
  expectedLines: { in_sync: number; increase: number; decrease: number; new: number; cancel: number };
}

interface Product {
  name: string;
  code: string;
  identifier: string;
  /** [SubscriptionTerm, BillingFrequency] variants; one is picked per subscription. */
  terms: [string, string][];
  /** Relative popularity. */
  weight: number;
}

const PRODUCTS: Product[] = [
  {
    name: 'Microsoft 365 Business Premium',
    code: 'O365BP',
    identifier: 'AR-M365-BP',
    terms: [
      ['Annual', 'Monthly'],
      ['Monthly', 'Monthly'],
    ],
    weight: 10,
  },
  {
    name: 'Microsoft 365 Business Standard',
    code: 'O365BS',
    identifier: 'AR-M365-BS',
    terms: [
      ['Annual', 'Monthly'],
      ['Monthly', 'Monthly'],
    ],
    weight: 8,
  },
  {
    name: 'Exchange Online (Plan 1)',
    code: 'EXO1',
    identifier: 'AR-EXO-P1',
    terms: [['Monthly', 'Monthly']],
    weight: 6,
  },
  {
    name: 'Advanced Email Threat Protection',
    code: 'ETP',
    identifier: 'AR-ETP',
    terms: [['Monthly', 'Monthly']],
    weight: 8,
  },
  {
    name: 'Email Archiving',
    code: 'ARCH',
    identifier: 'AR-ARCH',
    terms: [['Monthly', 'Monthly']],
    weight: 5,
  },
  {
    name: 'Security Awareness Training',
    code: 'SAT',
    identifier: 'AR-SAT',
    terms: [['Monthly', 'Monthly']],
    weight: 4,
  },
  {
    name: 'Cloud-to-Cloud Backup',
    code: 'C2CB',
    identifier: 'AR-C2CB',
    terms: [['Monthly', 'Monthly']],
    weight: 4,
  },
  {
    name: 'Microsoft 365 Copilot (Annual term required) (Add-on)',
    code: 'COPILOT',
    identifier: 'AR-COPILOT',
    terms: [['Annual', 'Annual']],
    weight: 2,
  },
  {
    name: 'Microsoft Teams Domestic Calling Plan (customers in US/UK/CA) (Add-on)',
    code: 'TEAMSDCP',
    identifier: 'AR-TEAMS-DCP',
    terms: [['Annual', 'Annual']],
    weight: 2,
  },
  {
    name: 'SecureTide',
    code: 'STIDE',
    identifier: 'AR-SECURETIDE',
    terms: [['Monthly', 'Monthly']],
    weight: 3,
  },
];

/** A non-AppRiver service some agreements also bill (demo catalog item 530). */
const MANAGED_WORKSTATION = 'MSP-MANAGED-WS';

const PLACES = (
  'Alder Amber Apex Arbor Aspen Atlas Aurora Bay Beacon Birch Blue Bright Brook Canyon Cedar Charter Cobalt ' +
  'Coral Crest Crystal Cypress Delta Eagle East Ember Evergreen Falcon Fern Forest Fox Golden Granite Green ' +
  'Harbor Hawk Hazel Heritage Highland Horizon Iron Ivy Juniper Keystone Lake Laurel Liberty Linden Maple ' +
  'Meadow Mesa Metro Midland Mill Mission Monarch North Oak Ocean Olive Orchard Pacific Park Pine Pioneer ' +
  'Prairie Quarry Rapid Raven Red Ridge River Rock Rose Sage Silver Sky Spring Spruce Stone Summit Sun ' +
  'Tide Timber Trail Valley Vista Willow Wind'
).split(' ');
const NOUNS = (
  'Accounting Advisors Analytics Architects Auto Bakery Bank Bistro Builders Capital Care Clinic Coffee ' +
  'Construction Consulting Dental Design Dynamics Electric Energy Engineering Farms Fitness Foods Freight ' +
  'Furniture Health Holdings Hospitality Imaging Insurance Interiors Labs Landscaping Law Logistics Marine ' +
  'Media Medical Motors Optics Outfitters Partners Pharmacy Plumbing Printing Properties Realty Renewables ' +
  'Robotics Roofing Security Software Solutions Studios Supply Systems Technologies Textiles Therapy Tools ' +
  'Travel Ventures Veterinary Vineyards Wellness Works'
).split(' ');
// No legal-form words here ("Company" is one): "Oak Realty Company" would look like "Oak Realty" + suffix and
// make a fuzzy account's suggestion ambiguous.
const KINDS = 'Group Associates Collective Network Services Center Partners Studio Team'.split(' ');
const LEGAL_SUFFIXES = [', Inc.', ' LLC', ', Ltd.', ' Corp.'];
const CATALOG_WORDS = (
  'Onsite Remote Labor Hourly Project Firewall Switch Router Access Point Laptop Desktop Monitor Dock ' +
  'Cable Rack Server Storage Backup Appliance Warranty License Support Block Retainer Audit Training ' +
  'Install Setup Migration Phone Handset Headset Printer Toner Camera Sensor Battery UPS'
).split(' ');

/** mulberry32: small, fast and the same on every machine. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateWorld(options: GeneratorOptions): { world: World; facts: WorldFacts } {
  const n = Math.max(1, Math.floor(options.customers));
  const rand = prng(options.seed ?? 42);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)];
  const demo = JSON.parse(fs.readFileSync(DEMO_WORLD, 'utf8')) as World;

  // ---- unique company-like names ----
  const usedNames = new Set<string>();
  const uniqueName = (): string => {
    for (let attempt = 0; ; attempt++) {
      let name = `${pick(PLACES)} ${pick(NOUNS)}${rand() < 0.5 ? ` ${pick(KINDS)}` : ''}`;
      if (attempt >= 20) name = `${name} ${attempt}`;
      const key = name.toLowerCase();
      if (!usedNames.has(key)) {
        usedNames.add(key);
        return name;
      }
    }
  };
  const usedIdentifiers = new Set<string>();
  const identifierFor = (name: string): string => {
    const base = name.replace(/[^A-Za-z0-9]+/g, '').slice(0, 20);
    let id = base;
    for (let i = 2; usedIdentifiers.has(id.toLowerCase()); i++) id = `${base}${i}`;
    usedIdentifiers.add(id.toLowerCase());
    return id;
  };
  const uuid = (): string => {
    const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16)).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
  };

  // ---- catalog: the demo items (AR-* among them) plus filler up to catalogSize ----
  const catalogSize = Math.max(demo.connectwise.catalog.length, options.catalogSize ?? 5000);
  const catalog: WorldCatalogItem[] = demo.connectwise.catalog.map((c) => ({ ...c }));
  const demoIds = new Set(catalog.map((c) => c.id));
  for (let id = 1; catalog.length < catalogSize; id++) {
    if (demoIds.has(id)) continue;
    const description = `${pick(CATALOG_WORDS)} ${pick(CATALOG_WORDS)} ${pick(CATALOG_WORDS)} model ${id}`;
    const price = int(5, 2000);
    catalog.push({
      id,
      identifier: `CAT-${String(id).padStart(5, '0')}`,
      description,
      price,
      cost: Math.round(price * 0.7 * 100) / 100,
      inactiveFlag: rand() < 0.02,
    });
  }
  catalog.sort((a, b) => a.id - b.id);
  const catalogByIdentifier = new Map(catalog.map((c) => [c.identifier, c]));
  const productItem = (p: Product) => {
    const item = catalogByIdentifier.get(p.identifier);
    if (!item) throw new Error(`The demo catalog has no ${p.identifier}`);
    return item;
  };
  const workstation = catalogByIdentifier.get(MANAGED_WORKSTATION)!;
  const totalWeight = PRODUCTS.reduce((s, p) => s + p.weight, 0);
  const weightedProduct = (exclude: Set<Product>): Product => {
    for (;;) {
      let r = rand() * totalWeight;
      for (const p of PRODUCTS) {
        r -= p.weight;
        if (r < 0) {
          if (!exclude.has(p)) return p;
          break;
        }
      }
    }
  };

  // ---- customers, companies, agreements ----
  const customers: WorldCustomer[] = [];
  const companies: WorldCompany[] = [];
  const agreements: WorldAgreement[] = [];
  const productForService: Record<string, string> = {};
  const matchKinds: Record<MatchKind, number> = { exact_name: 0, external_number: 0, fuzzy: 0 };
  const fuzzyTarget: Record<string, number> = {};
  const autoMatchCompanyIds: number[] = [];
  const expectedLines = { in_sync: 0, increase: 0, decrease: 0, new: 0, cancel: 0 };
  let companyId = 10001;
  let agreementId = 200001;
  let additionId = 3000001;
  let subscriptions = 0;
  let additions = 0;
  const addition = (productId: number, quantity: number, unitPrice: number, unitCost: number) => {
    additions++;
    return {
      id: additionId++,
      productId,
      quantity,
      lessIncluded: 0,
      unitPrice,
      unitCost,
      billCustomer: 'Billable',
      effectiveDate: '2025-07-01T00:00:00Z',
      cancelledDate: null,
    } satisfies WorldAddition;
  };

  for (let i = 0; i < n; i++) {
    const name = uniqueName();
    const customerNumber = String(500000 + i);
    const domain = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '')}${i}.example`;
    const r = rand();
    const kind: MatchKind = r < 0.85 ? 'exact_name' : r < 0.95 ? 'external_number' : 'fuzzy';
    matchKinds[kind]++;
    const companyName =
      kind === 'exact_name' ? name : kind === 'fuzzy' ? `${name}${pick(LEGAL_SUFFIXES)}` : uniqueName();
    const company: WorldCompany = {
      id: companyId++,
      identifier: identifierFor(companyName),
      name: companyName,
      deletedFlag: false,
      status: 'Active',
    };
    companies.push(company);
    if (kind === 'fuzzy') fuzzyTarget[name] = company.id;
    else autoMatchCompanyIds.push(company.id);

    const count = int(3, 5);
    const chosen = new Set<Product>();
    while (chosen.size < count) chosen.add(weightedProduct(chosen));
    const subs: WorldSubscription[] = [];
    const agreementAdditions: WorldAddition[] = [];
    for (const p of chosen) {
      const [term, frequency] = pick(p.terms);
      productForService[`${p.name}|${term}|${frequency}`] = p.identifier;
      const quantity = int(1, 200);
      const total = quantity + (rand() < 0.1 ? int(1, 5) : 0);
      subs.push({
        SubscriptionKey: `${customerNumber}-${p.code}-1-${domain}`,
        ProductName: p.name,
        SubscriptionTerm: term,
        BillingFrequency: frequency,
        SubscriptionStatus: 'Active',
        IsTrial: false,
        SubscriptionQuantity: quantity,
        TotalLicenses: total,
        AssignedLicenses: Math.max(0, quantity - int(0, 3)),
      });
      subscriptions++;
      const item = productItem(p);
      const d = rand();
      if (d < 0.7) {
        agreementAdditions.push(addition(item.id, quantity, item.price, item.cost));
        expectedLines.in_sync++;
      } else if (d < 0.9) {
        let billed = quantity + (rand() < 0.5 ? -int(1, 10) : int(1, 10));
        if (billed < 1) billed = quantity + int(1, 10);
        agreementAdditions.push(addition(item.id, billed, item.price, item.cost));
        expectedLines[billed > quantity ? 'decrease' : 'increase']++;
      } else {
        expectedLines.new++;
      }
    }
    if (rand() < 0.15) {
      const extra = weightedProduct(chosen);
      const item = productItem(extra);
      agreementAdditions.push(addition(item.id, int(1, 50), item.price, item.cost));
      expectedLines.cancel++;
    }
    if (rand() < 0.2)
      agreementAdditions.push(addition(workstation.id, int(1, 80), workstation.price, workstation.cost));
    agreements.push({
      id: agreementId++,
      name: `${companyName} - Managed Services`,
      companyId: company.id,
      type: 'Managed Services',
      agreementStatus: 'Active',
      cancelledFlag: false,
      prorateFlag: true,
      additions: agreementAdditions,
    });
    customers.push({
      CustomerId: uuid(),
      CustomerNumber: customerNumber,
      Name: name,
      CustomerType: 'Resold',
      IsClosed: false,
      ...(kind === 'external_number' ? { ExternalCustomerAccountNumber: company.identifier } : {}),
      Website: domain,
      subscriptions: subs,
    });
  }
  // Companies that have nothing to do with AppRiver (every PSA has many more companies than one vendor's).
  const unrelated = Math.round(n * 0.1);
  for (let i = 0; i < unrelated; i++) {
    const name = uniqueName();
    companies.push({
      id: companyId++,
      identifier: identifierFor(name),
      name,
      deletedFlag: false,
      status: 'Active',
    });
  }

  const raw = {
    name: `bench-${n}`,
    connectwise: {
      companyId: demo.connectwise.companyId,
      site: demo.connectwise.site,
      codebase: demo.connectwise.codebase,
      apiKeys: demo.connectwise.apiKeys,
      members: demo.connectwise.members,
      companies,
      catalog,
      agreements,
    },
    appriver: {
      clients: demo.appriver.clients,
      users: demo.appriver.users,
      customers,
    },
    faults: { latencyMs: Math.max(0, Math.floor(options.latencyMs)) },
  };
  const world = validateWorld(raw, `generated world (${n} customers)`);
  return {
    world,
    facts: {
      customers: n,
      billableCustomers: n,
      subscriptions,
      companies: companies.length,
      activeCompanies: companies.filter((c) => !c.deletedFlag).length,
      catalogItems: catalog.length,
      activeCatalogItems: catalog.filter((c) => !c.inactiveFlag).length,
      agreements: agreements.length,
      additions,
      productForService,
      matchKinds,
      fuzzyTarget,
      autoMatchCompanyIds,
      sampleAgreementId: agreements[0].id,
      expectedLines,
    },
  };
}
