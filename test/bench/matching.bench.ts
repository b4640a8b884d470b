/**
 * Benchmark for src/mapping/matching.ts. Prints numbers, asserts nothing.
 *
 *   npx ts-node test/bench/matching.bench.ts [--accounts 10000] [--companies 20000] [--catalog 5000]
 *     [--services 60] [--seed 42] [--runs 1]
 *
 * The synthetic data set is deterministic (seeded PRNG): company-like names from word lists, a few deleted
 * or inactive companies and duplicate names; accounts are mostly exact names, some external numbers, some
 * suffix/punctuation/'&' variants, some word-overlap variants, some with only a website, some unmatched.
 * The first run is cold (includes JIT warm-up), which is what a user sees.
 */
import * as os from 'os';
import * as v8 from 'v8';
import * as vm from 'vm';

import {
  CatalogRef,
  PsaCompanyRef,
  VendorAccountRef,
  VendorServiceRef,
  matchAccounts,
  suggestProducts,
} from '../../src/mapping/matching';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0 || i + 1 >= process.argv.length) return fallback;
  const n = Number(process.argv[i + 1]);
  return Number.isFinite(n) && n >= 0 ? Math.floor(n) : fallback;
}

const ACCOUNTS = arg('accounts', 10000);
const COMPANIES = arg('companies', 20000);
const CATALOG = arg('catalog', 5000);
const SERVICES = arg('services', 60);
const SEED = arg('seed', 42);
const RUNS = Math.max(1, arg('runs', 1));

/** mulberry32 */
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
const rand = prng(SEED);
const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)];
const chance = (p: number): boolean => rand() < p;

const FIRST = [
  'Contoso',
  'Fabrikam',
  'Northwind',
  'Tailspin',
  'Adventure',
  'Woodgrove',
  'Litware',
  'Alpine',
  'Blue',
  'Coho',
  'Fourth',
  'Wide',
  'Proseware',
  'Graphic',
  'Wingtip',
  'Humongous',
  'Lucerne',
  'Margie',
  'Trey',
  'Southridge',
  'Relecloud',
  'Datum',
  'Bellows',
  'Munson',
  'Consolidated',
  'Lamna',
  'Fincher',
  'Nod',
  'Tasmanian',
  'Vanarsdel',
  'Wingspan',
  'Oak',
  'Maple',
  'Cedar',
  'Pine',
  'Granite',
  'River',
  'Harbor',
  'Summit',
  'Valley',
  'Lakeside',
  'Prairie',
  'Coastal',
  'Redwood',
  'Silver',
  'Golden',
  'Iron',
  'Copper',
  'Evergreen',
  'Sunrise',
  'Northstar',
  'Pioneer',
  'Heritage',
  'Liberty',
  'Keystone',
  'Crescent',
  'Riverside',
  'Bayview',
  'Highland',
  'Meadow',
  'Anderson',
  'Baker',
  'Carter',
  'Dawson',
  'Ellis',
  'Foster',
  'Garcia',
  'Hughes',
  'Irving',
  'Jensen',
  'Keller',
  'Lopez',
  'Morgan',
  'Nguyen',
  'Owens',
  'Patel',
  'Quinn',
  'Reyes',
  'Shaw',
  'Turner',
  'Underwood',
  'Vargas',
  'Walsh',
  'Young',
  'Zimmerman',
  'Abbott',
  'Brooks',
  'Chen',
  'Diaz',
  'Evans',
  'Fischer',
  'Grant',
  'Hayes',
];
const MIDDLE = [
  'Dental',
  'Legal',
  'Medical',
  'Family',
  'Home',
  'Auto',
  'Marine',
  'Air',
  'Office',
  'Farm',
  'Pet',
  'Design',
  'Digital',
  'Print',
  'Craft',
  'Coffee',
  'Wine',
  'Brewing',
  'Ski',
  'Toy',
  'Steel',
  'Timber',
  'Solar',
  'Water',
  'Energy',
  'Health',
  'Travel',
  'Freight',
  'Data',
  'Cloud',
  'Fitness',
  'Garden',
  'Stone',
  'Glass',
  'Paper',
];
const LAST = [
  'Group',
  'Partners',
  'Services',
  'Solutions',
  'Associates',
  'Traders',
  'Works',
  'Bank',
  'House',
  'Airlines',
  'Winery',
  'Importers',
  'Institute',
  'Clinic',
  'Consulting',
  'Logistics',
  'Systems',
  'Holdings',
  'Supply',
  'Labs',
  'Studio',
  'Agency',
  'Center',
  'Realty',
  'Construction',
  'Foods',
  'Motors',
  'Pharmacy',
  'Academy',
];
const SUFFIX = ['Inc', 'Inc.', 'LLC', 'Ltd', 'LLP', 'Corp', 'Co', 'GmbH', 'PLC'];
const UNMATCHED_FIRST = ['Zephyr', 'Quasar', 'Nimbus', 'Obsidian', 'Kestrel', 'Juniper', 'Sable', 'Tundra'];

function companyName(): string {
  const parts = [pick(FIRST)];
  if (chance(0.4)) parts.push(pick(FIRST));
  if (chance(0.6)) parts.push(pick(MIDDLE));
  parts.push(pick(LAST));
  if (chance(0.15)) parts.splice(parts.length - 1, 0, '&', pick(LAST));
  let name = parts.join(' ');
  if (chance(0.35)) name += (chance(0.5) ? ', ' : ' ') + pick(SUFFIX);
  return name;
}

// ---- companies
const companies: PsaCompanyRef[] = [];
const usedNames = new Set<string>();
const usedIdentifiers = new Set<string>();
while (companies.length < COMPANIES) {
  let name = companyName();
  const dupe = chance(0.003) && companies.length > 0; // a few genuine duplicate names (ambiguity)
  if (dupe) name = companies[Math.floor(rand() * companies.length)].name;
  else if (usedNames.has(name.toLowerCase())) continue;
  usedNames.add(name.toLowerCase());
  let identifier = name.replace(/[^A-Za-z0-9]/g, '').slice(0, 24);
  for (let n = 2; usedIdentifiers.has(identifier.toLowerCase()); n++)
    identifier = `${identifier.slice(0, 22)}${n}`;
  usedIdentifiers.add(identifier.toLowerCase());
  const roll = rand();
  companies.push({
    id: 1000 + companies.length,
    identifier,
    name,
    deletedFlag: roll < 0.02,
    status: roll < 0.02 ? 'Inactive' : roll < 0.05 ? 'Inactive' : roll < 0.06 ? 'Not Approved' : 'Active',
  });
}

// ---- accounts
function variant(name: string): string {
  const base = name.replace(/,?\s+(Inc\.?|LLC|Ltd|LLP|Corp|Co|GmbH|PLC)$/, '');
  const r = rand();
  if (name.includes('&') && r < 0.3) return name.replace('&', 'and');
  if (r < 0.5) return base; // suffix dropped
  if (r < 0.75) return `${base}, ${pick(SUFFIX)}`; // different suffix / punctuation
  return base.replace(/ /g, chance(0.5) ? '-' : '  ').toUpperCase() + '.'; // punctuation + case
}

const accounts: VendorAccountRef[] = [];
const kinds: Record<string, number> = {};
for (let i = 0; i < ACCOUNTS; i++) {
  const c = companies[Math.floor(rand() * companies.length)];
  const r = c ? rand() : 1; // no companies: every account is unmatched
  let name: string;
  let externalNumber: string | null = null;
  let website: string | null = null;
  let kind: string;
  if (r < 0.62) {
    kind = 'exact_name';
    name = chance(0.1) ? c.name.toUpperCase() : c.name;
  } else if (r < 0.72) {
    kind = 'external_number';
    name = companyName();
    externalNumber = chance(0.7) ? c.identifier : String(c.id);
  } else if (r < 0.84) {
    kind = 'suffix_variant';
    name = variant(c.name);
  } else if (r < 0.9) {
    kind = 'word_overlap';
    const words = c.name.replace(/,?\s+(Inc\.?|LLC|Ltd|LLP|Corp|Co|GmbH|PLC)$/, '').split(' ');
    name =
      chance(0.5) && words.length > 2 ? words.slice(0, -1).join(' ') : `${words.join(' ')} ${pick(LAST)}`;
  } else if (r < 0.93) {
    kind = 'website_only';
    name = `${pick(UNMATCHED_FIRST)} ${pick(LAST)} (${c.identifier.slice(0, 4)})`;
    website = `https://www.${c.identifier.toLowerCase()}.example/`;
  } else {
    kind = 'unmatched';
    name = `${pick(UNMATCHED_FIRST)} ${pick(UNMATCHED_FIRST)} ${pick(LAST)}`;
  }
  if (!website && chance(0.3)) website = `${name.toLowerCase().replace(/[^a-z0-9]/g, '')}.example`;
  kinds[kind] = (kinds[kind] ?? 0) + 1;
  accounts.push({ accountId: 1 + i, name, externalNumber, website });
}

// ---- catalog and services
const VENDORS = [
  'Microsoft',
  'AppRiver',
  'OpenText',
  'Zix',
  'Webroot',
  'Carbonite',
  'Acronis',
  'Datto',
  'Cisco',
];
const PRODUCTS = [
  '365 Business Premium',
  '365 Business Standard',
  '365 Business Basic',
  '365 E3',
  '365 E5',
  'Exchange Online (Plan 1)',
  'Exchange Online (Plan 2)',
  'Secure Email Filtering',
  'Email Encryption',
  'Email Archiving',
  'Endpoint Protection',
  'DNS Protection',
  'Backup for Microsoft 365',
  'Security Awareness Training',
  'Teams Phone Standard',
  'Defender for Business',
  'Intune Plan 1',
  'Entra ID P1',
  'Entra ID P2',
  'Project Plan 3',
  'Visio Plan 2',
  'Power BI Pro',
  'Advanced Threat Protection',
  'Web Filtering',
  'Phishing Protection',
];
const EDITIONS = [
  '',
  'Annual',
  'Monthly',
  'NCE',
  'Nonprofit',
  'Academic',
  'Government',
  'Trial',
  'Add-on',
  'EDU',
];
const catalog: CatalogRef[] = [];
for (let i = 0; i < CATALOG; i++) {
  const description = [
    pick(VENDORS),
    pick(PRODUCTS),
    pick(EDITIONS),
    chance(0.3) ? `Tier ${1 + (i % 9)}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  catalog.push({
    id: 5000 + i,
    identifier: `CAT-${String(i).padStart(5, '0')}`,
    description,
    inactiveFlag: chance(0.1),
  });
}
const services: VendorServiceRef[] = [];
for (let i = 0; i < SERVICES; i++) {
  const base =
    i % 3 === 0 && catalog.length
      ? catalog[Math.floor(rand() * catalog.length)].description
      : `${pick(VENDORS)} ${pick(PRODUCTS)}`;
  services.push({
    serviceId: 1 + i,
    productName: i % 7 === 0 ? base.toUpperCase() : base,
    term: chance(0.5) ? 'Annual' : 'Monthly',
    frequency: 'Monthly',
  });
}

// ---- run
// Collect the data generator's garbage before timing, so it is not billed to the matcher.
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as (() => void) | undefined;

function cpuMs(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}

const runs: Record<string, number>[] = [];
let summary: Record<string, number> = {};
for (let run = 0; run < RUNS; run++) {
  collectGarbage?.();
  const cpu0 = process.cpuUsage();
  const wall0 = process.hrtime.bigint();
  const matches = matchAccounts(accounts, companies);
  const cpuAccounts = cpuMs(cpu0);
  const cpu1 = process.cpuUsage();
  const products = suggestProducts(services, catalog);
  const cpuProducts = cpuMs(cpu1);
  const wallMs = Number(process.hrtime.bigint() - wall0) / 1e6;
  const cpuTotal = cpuMs(cpu0);

  summary = {
    auto: matches.filter((m) => m.auto).length,
    autoExternalNumber: matches.filter((m) => m.auto?.method === 'external_number').length,
    autoExactName: matches.filter((m) => m.auto?.method === 'exact_name').length,
    ambiguous: matches.filter((m) => m.ambiguous).length,
    suggested: matches.filter((m) => !m.auto && !m.ambiguous && m.suggestions.length > 0).length,
    none: matches.filter((m) => !m.auto && m.suggestions.length === 0).length,
    servicesWithSuggestions: products.filter((p) => p.suggestions.length > 0).length,
  };
  runs.push({
    run: run + 1,
    cpuMs: Math.round(cpuTotal),
    wallMs: Math.round(wallMs),
    cpuMsAccounts: Math.round(cpuAccounts),
    cpuMsProducts: Math.round(cpuProducts),
  });
}

const report = {
  input: {
    accounts: ACCOUNTS,
    companies: COMPANIES,
    activeCompanies: companies.filter((c) => !c.deletedFlag && c.status.toLowerCase() === 'active').length,
    catalog: CATALOG,
    services: SERVICES,
    seed: SEED,
    accountKinds: kinds,
  },
  machine: { node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown' },
  runs,
  counts: summary,
};
console.log(JSON.stringify(report, null, 2));
const first = runs[0];
console.log(
  `matching: ${ACCOUNTS} accounts x ${COMPANIES} companies + ${SERVICES} services x ${CATALOG} catalog items: ` +
    `${first.cpuMs} ms CPU (${first.cpuMsAccounts} accounts, ${first.cpuMsProducts} products), ${first.wallMs} ms wall; ` +
    `auto ${summary.auto} (external_number ${summary.autoExternalNumber}, exact_name ${summary.autoExactName}), ` +
    `ambiguous ${summary.ambiguous}, suggested ${summary.suggested}, none ${summary.none}; ` +
    `services with suggestions ${summary.servicesWithSuggestions}/${SERVICES}`,
);
