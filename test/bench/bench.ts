/**
 * The scale benchmark (`npm run bench -- [--customers 2000] [--latency 20] [--concurrency N] [--seed 42]
 * [--json-only]`). See README.md next to this file for what it does and what the columns mean.
 *
 * Generates a world (world-generator.ts), starts the real app in sandbox mode in this process and drives a
 * whole month over HTTP like a user: install, sign in, connect AppRiver (import + auto-match), map services,
 * confirm suggestions, Finish, wait for the sync, approve every actionable line, wait for the write-backs.
 * Prints one JSON document, then readable tables. Asserts nothing; exits non-zero only when the month could
 * not be completed.
 */
// ts-node compiles only the files it loads (no `files`), so the ambient declarations src/ needs are referenced here.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="../../src/types/hbs.d.ts" />
import 'reflect-metadata';
import request from 'supertest';
import { ConnectWiseClients } from '../../src/connectwise/connectwise.module';
import { eq, inChunks } from '../../src/connectwise/conditions';
import { startTestApp, TestApp } from '../support/app';
import { signInAtAppRiver } from '../support/appriver';
import { installDemo, signIn } from '../support/flows';
import { generateWorld, WorldFacts } from './world-generator';

// ---------------------------------------------------------------------------------------------------------
// Options

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : undefined;
}
function intOption(name: string, fallback: number | undefined, min: number, max: number): number | undefined {
  const raw = option(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`--${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  return n;
}

const OPTIONS = {
  customers: intOption('customers', 2000, 1, 100000)!,
  latencyMs: intOption('latency', 20, 0, 10000)!,
  concurrency: intOption('concurrency', undefined, 1, 16),
  seed: intOption('seed', 42, 0, 2 ** 31)!,
  timeoutMinutes: intOption('timeout-min', 90, 1, 24 * 60)!,
  jsonOnly: process.argv.includes('--json-only'),
};

// ---------------------------------------------------------------------------------------------------------
// Memory: process.memoryUsage().rss every 100 ms (the benchmark and the app share this process)

const memory = {
  peak: 0,
  phasePeak: 0,
  sample() {
    const rss = process.memoryUsage().rss;
    if (rss > this.peak) this.peak = rss;
    if (rss > this.phasePeak) this.phasePeak = rss;
  },
};
const sampler = setInterval(() => memory.sample(), 100);
sampler.unref();
const mb = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;

// ---------------------------------------------------------------------------------------------------------
// HTTP

let BASE = '';
let AUTH = '';

class HttpError extends Error {}

async function call<T = any>(method: string, path: string, body?: unknown, expect = [200]): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${BASE}${path}`, {
      method,
      headers: {
        Authorization: AUTH,
        Accept: 'application/json',
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
  } catch (error) {
    throw new HttpError(`${method} ${path}: ${(error as Error).message}`);
  }
  const text = await res.text();
  if (!expect.includes(res.status))
    throw new HttpError(`${method} ${path} answered ${res.status}: ${text.slice(0, 500)}`);
  try {
    return (text ? JSON.parse(text) : null) as T;
  } catch {
    return text as T;
  }
}

/** Status and elapsed milliseconds of one GET, body read to the end. */
async function timedGet(path: string): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const res = await fetch(`${BASE}${path}`, { headers: { Authorization: AUTH } });
  await res.arrayBuffer();
  return { status: res.status, ms: performance.now() - started };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const deadline = () => Date.now() + OPTIONS.timeoutMinutes * 60_000;

// ---------------------------------------------------------------------------------------------------------
// Measuring

type Stats = { total: Record<string, number>; endpoints: Record<string, number> };

interface CallRow {
  endpoint: string;
  actual: number;
  /** null = no minimum defined (setup traffic, tokens). */
  minimum: number | null;
  ratio: number | null;
  note?: string;
}

interface PhaseResult {
  name: string;
  wallMs: number;
  peakRssMb: number;
  calls: CallRow[];
  totals: Record<'appriver' | 'connectwise', { actual: number; minimum: number | null }>;
  /** ConnectWise calls per client operation (in-process counters), to tell apart calls to the same endpoint. */
  cwOperations: Record<string, number>;
  extra?: Record<string, unknown>;
}

let cwCounters: () => Record<string, number> = () => ({});

async function resetStats(): Promise<Record<string, number>> {
  await call('DELETE', '/sandbox/stats');
  return cwCounters();
}

function diff(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(after)) if (v - (before[k] ?? 0)) out[k] = v - (before[k] ?? 0);
  return out;
}

/** Rows for every endpoint seen, plus every endpoint with a minimum even if it was never called. */
function callRows(
  stats: Stats,
  minimums: Record<string, number>,
  notes: Record<string, string> = {},
): Pick<PhaseResult, 'calls' | 'totals'> {
  const keys = [...new Set([...Object.keys(minimums), ...Object.keys(stats.endpoints)])].sort();
  const calls = keys.map((endpoint) => {
    const actual = stats.endpoints[endpoint] ?? 0;
    const minimum = endpoint in minimums ? minimums[endpoint] : null;
    return {
      endpoint,
      actual,
      minimum,
      ratio: minimum ? round(actual / minimum, 2) : null,
      ...(notes[endpoint] ? { note: notes[endpoint] } : {}),
    };
  });
  const totals = {} as PhaseResult['totals'];
  for (const system of ['appriver', 'connectwise'] as const) {
    const rows = calls.filter((c) => c.endpoint.startsWith(`${system} `));
    const hasMin = Object.keys(minimums).some((k) => k.startsWith(`${system} `));
    totals[system] = {
      actual: rows.reduce((s, r) => s + r.actual, 0),
      minimum: hasMin ? rows.reduce((s, r) => s + (r.minimum ?? 0), 0) : null,
    };
  }
  return { calls, totals };
}

function round(n: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

function latencySummary(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    requests: samples.length,
    p50Ms: round(percentile(sorted, 0.5), 1),
    p95Ms: round(percentile(sorted, 0.95), 1),
    maxMs: round(sorted[sorted.length - 1] ?? NaN, 1),
  };
}

const AR = {
  customers: 'appriver GET /customers',
  subscriptions: 'appriver GET /customers/{id}/subscriptions',
  detail: 'appriver GET /customers/{id}/subscriptions/{key}',
};
const CW = {
  companies: 'connectwise GET /company/companies',
  catalog: 'connectwise GET /procurement/catalog',
  agreements: 'connectwise GET /finance/agreements',
  additions: 'connectwise GET /finance/agreements/{id}/additions',
  post: 'connectwise POST /finance/agreements/{id}/additions',
  patch: 'connectwise PATCH /finance/agreements/{id}/additions/{id}',
};

// ---------------------------------------------------------------------------------------------------------
// The month

type UsageLine = { id: number; kind: string; reviewStatus: string; agreementId: number | null };
const ACTIONABLE = new Set(['increase', 'decrease', 'new', 'cancel']);

async function main() {
  const report: Record<string, any> = {
    benchmark: 'AppRiver Reconcile scale benchmark',
    options: {
      customers: OPTIONS.customers,
      latencyMs: OPTIONS.latencyMs,
      concurrency: OPTIONS.concurrency ?? 'app defaults',
      seed: OPTIONS.seed,
    },
    environment: { node: process.version, platform: `${process.platform}/${process.arch}` },
    memoryNote:
      'RSS is of the one process that runs both the benchmark (ts-node compiler, generated world) and the app with its simulators.',
  };
  memory.sample();
  const rssAtStart = process.memoryUsage().rss;

  // ---- world ----
  let started = performance.now();
  let generated: ReturnType<typeof generateWorld> | null = generateWorld({
    customers: OPTIONS.customers,
    latencyMs: OPTIONS.latencyMs,
    seed: OPTIONS.seed,
  });
  const facts: WorldFacts = generated.facts;
  report.world = {
    generateMs: Math.round(performance.now() - started),
    customers: facts.customers,
    subscriptions: facts.subscriptions,
    services: Object.keys(facts.productForService).length,
    companies: facts.companies,
    catalogItems: facts.catalogItems,
    activeCatalogItems: facts.activeCatalogItems,
    agreements: facts.agreements,
    additions: facts.additions,
    matchKinds: facts.matchKinds,
    expectedLines: facts.expectedLines,
  };

  // ---- app ----
  const env: Record<string, string> = { APPRIVER_PAGE_SIZE: '1000' };
  if (OPTIONS.concurrency) {
    env.CW_CONCURRENCY = String(OPTIONS.concurrency);
    env.APPRIVER_CONCURRENCY = String(OPTIONS.concurrency);
  }
  started = performance.now();
  const app: TestApp = await startTestApp({ world: generated.world, env });
  generated = null; // the app holds its own copy (loaded from the file startTestApp wrote)
  BASE = app.url;
  const cwConcurrency = app.config.connectwise.concurrency;
  const arConcurrency = app.config.appriver.concurrency;
  report.app = {
    startMs: Math.round(performance.now() - started),
    cwConcurrency,
    appriverConcurrency: arConcurrency,
    appriverPageSize: app.config.appriver.pageSize,
  };
  const phases: PhaseResult[] = [];
  report.phases = phases;

  try {
    // ---- phase 1: install, sign in, connect AppRiver; the import and auto-matching run before "Ready" ----
    await call('DELETE', '/sandbox/stats');
    memory.phasePeak = 0;
    started = performance.now();
    const install = await installDemo(BASE);
    const clients = app.app.get(ConnectWiseClients);
    cwCounters = () => clients.countersFor(install.companyId, install.apiHost);
    let before = cwCounters();
    AUTH = await signIn(BASE);
    await call('PUT', '/api/appriver/credentials', {
      clientId: 'sandbox-client',
      clientSecret: 'sandbox-secret',
    });
    const { url: authorizeStart } = await call<{ url: string }>('POST', '/api/appriver/authorize');
    await request(await signInAtAppRiver(authorizeStart))
      .get('')
      .expect(200);
    for (const until = deadline(); ;) {
      const s = await call('GET', '/api/appriver/status');
      if (s.status === 'ready') break;
      if (s.status === 'error' || s.status === 'reauth_required')
        throw new Error(`The AppRiver connection ended in ${s.status}: ${s.message}`);
      if (Date.now() > until) throw new Error(`The import did not finish in ${OPTIONS.timeoutMinutes} min`);
      await sleep(100);
    }
    let wallMs = performance.now() - started;
    let stats = await call<Stats>('GET', '/sandbox/stats');
    const accountsFirst = await call('GET', '/api/accounts?pageSize=5');
    phases.push({
      name: 'connect + import + auto-match',
      wallMs: Math.round(wallMs),
      peakRssMb: mb(memory.phasePeak),
      ...callRows(
        stats,
        {
          [AR.customers]: Math.ceil(facts.customers / 1000),
          [AR.subscriptions]: facts.billableCustomers,
          [AR.detail]: facts.subscriptions,
          [CW.companies]: Math.ceil(facts.activeCompanies / 1000),
          [CW.catalog]: Math.ceil(facts.activeCatalogItems / 1000),
          [CW.agreements]: facts.autoMatchCompanyIds.length
            ? inChunks('company/id', facts.autoMatchCompanyIds, 1400, eq('cancelledFlag', false)).length
            : 0,
        },
        {
          [CW.companies]: 'auto-match reads every company (pages of 1000)',
          [CW.catalog]: 'service suggestions read the active catalog (pages of 1000)',
          [CW.agreements]: "auto-matched companies' agreements, ids chunked by URL length",
        },
      ),
      cwOperations: diff(cwCounters(), before),
      extra: { accountCounts: accountsFirst.counts },
    });
    // ---- phase 2: mapping (services by Product ID search, confirm suggestions, agreements) ----
    before = await resetStats();
    memory.phasePeak = 0;
    started = performance.now();
    const services = (await call('GET', '/api/services')).items as {
      id: number;
      serviceKey: string;
      mapping: unknown;
    }[];
    const productIds = new Set<number>();
    let servicesMapped = 0;
    for (const s of services) {
      const identifier = facts.productForService[s.serviceKey];
      if (!identifier) continue;
      const found = await call('GET', `/api/psa/products?search=${encodeURIComponent(identifier)}`);
      const item = (found.items as { id: number; identifier: string }[]).find(
        (p) => p.identifier === identifier,
      );
      if (!item) throw new Error(`Product search for ${identifier} did not find it`);
      await call('PUT', `/api/services/${s.id}/mapping`, { psaProductId: item.id });
      productIds.add(item.id);
      servicesMapped++;
    }
    type Account = { id: number; name: string; suggestions: { targetId: number }[] };
    const suggested: Account[] = [];
    for (let page = 1; ; page++) {
      const res = await call('GET', `/api/accounts?filter=suggested&pageSize=200&page=${page}`);
      suggested.push(...(res.items as Account[]));
      if (page * res.pageSize >= res.total || !res.items.length) break;
    }
    let confirmed = 0;
    let confirmedElsewhere = 0;
    for (const a of suggested) {
      const target = a.suggestions[0]?.targetId;
      if (!target) continue;
      if (facts.fuzzyTarget[a.name] !== undefined && facts.fuzzyTarget[a.name] !== target)
        confirmedElsewhere++;
      await call('PUT', `/api/accounts/${a.id}/mapping`, { psaCompanyId: target, method: 'suggestion' });
      confirmed++;
    }
    // Agreements: automatic when the company has one active agreement; otherwise pick the first.
    let review = await call('GET', '/api/setup/review');
    let agreementsPicked = 0;
    for (const a of review.accounts as { accountId: number; name: string; agreement: string | null }[]) {
      if (a.agreement) continue;
      agreementsPicked += await pickAgreement(a.accountId, a.name);
    }
    if (agreementsPicked) review = await call('GET', '/api/setup/review');
    wallMs = performance.now() - started;
    stats = await call<Stats>('GET', '/sandbox/stats');
    phases.push({
      name: 'mapping',
      wallMs: Math.round(wallMs),
      peakRssMb: mb(memory.phasePeak),
      ...callRows(stats, {}),
      cwOperations: diff(cwCounters(), before),
      extra: {
        services: services.length,
        servicesMapped,
        suggestionsConfirmed: confirmed,
        suggestionsNotTheIntendedCompany: confirmedElsewhere,
        agreementsPicked,
        mappedAccounts: review.accounts.length,
        warnings: review.warnings.length,
      },
    });
    const mappedAccounts = review.accounts as {
      accountId: number;
      company: string;
      agreement: string | null;
    }[];
    const mappedAgreements = new Set(
      mappedAccounts.filter((a) => a.agreement).map((a) => `${a.company}\u0000${a.agreement}`),
    ).size;
    const mappedSubscriptions =
      mappedAccounts.length === facts.billableCustomers ? facts.subscriptions : await subscriptionsOfMapped();

    // ---- phase 3: Finish -> the first sync (re-import, read agreements' additions, reconcile) ----
    before = await resetStats();
    memory.phasePeak = 0;
    started = performance.now();
    await call('POST', '/api/setup/finish');
    let sync: any;
    for (const until = deadline(); ;) {
      sync = await call('GET', '/api/sync/status');
      if (sync.state !== 'queued' && sync.state !== 'running') break;
      if (Date.now() > until) throw new Error(`The sync did not finish in ${OPTIONS.timeoutMinutes} min`);
      await sleep(100);
    }
    wallMs = performance.now() - started;
    if (sync.state !== 'succeeded') throw new Error(`The sync ${sync.state}: ${sync.error}`);
    stats = await call<Stats>('GET', '/sandbox/stats');
    const syncMinimums = {
      [AR.customers]: Math.ceil(facts.customers / 1000),
      [AR.subscriptions]: mappedAccounts.length,
      [AR.detail]: mappedSubscriptions,
      [CW.additions]: mappedAgreements,
      [CW.catalog]: inChunks('id', [...productIds], 1400).length,
    };
    const syncPhase: PhaseResult = {
      name: 'sync',
      wallMs: Math.round(wallMs),
      peakRssMb: mb(memory.phasePeak),
      ...callRows(stats, syncMinimums, {
        [AR.subscriptions]: 'one per billable mapped customer',
        [AR.detail]: 'one per subscription of a mapped customer',
        [CW.additions]: 'one per mapped agreement',
        [CW.catalog]: 'mapped products by id, chunked by URL length',
      }),
      cwOperations: diff(cwCounters(), before),
      extra: { appReportedDurationMs: sync.counts?.durationMs ?? null, counts: sync.counts },
    };
    const arCalls = syncPhase.totals.appriver;
    const cwCalls = syncPhase.totals.connectwise;
    const bound = (ar: number, cw: number) =>
      (ar * OPTIONS.latencyMs) / arConcurrency + (cw * OPTIONS.latencyMs) / cwConcurrency;
    const boundMin = bound(arCalls.minimum ?? 0, cwCalls.minimum ?? 0);
    const boundActual = bound(arCalls.actual, cwCalls.actual);
    syncPhase.extra!.latencyBound = {
      formula:
        'AppRiver calls × latency ÷ AppRiver concurrency + ConnectWise calls × latency ÷ ConnectWise concurrency',
      withMinimumCallsMs: Math.round(boundMin),
      withActualCallsMs: Math.round(boundActual),
      wallOverBoundMinimum: boundMin ? round(wallMs / boundMin, 2) : null,
      wallOverBoundActual: boundActual ? round(wallMs / boundActual, 2) : null,
    };
    phases.push(syncPhase);

    // ---- review latency: the usage list API and the rendered fragment ----
    const first = await call('GET', '/api/usage?pageSize=50');
    const pages = Math.max(1, Math.ceil(first.total / 50));
    const sorts = [
      'company',
      'difference',
      'revenue',
      'service',
      '-company',
      '-difference',
      '-revenue',
      '-service',
    ];
    const apiSamples: number[] = [];
    const fragmentSamples: number[] = [];
    let fragmentProblem: string | null = null;
    for (let i = 0; i < 200; i++) {
      const page = 1 + ((i * 7919) % pages);
      const r = await timedGet(`/api/usage?page=${page}&sort=${sorts[i % sorts.length]}`);
      if (r.status !== 200) throw new Error(`GET /api/usage?page=${page} answered ${r.status}`);
      apiSamples.push(r.ms);
    }
    for (let i = 0; i < 200; i++) {
      const page = 1 + ((i * 7919) % pages);
      const r = await timedGet(`/screens/usage?page=${page}&sort=${sorts[i % sorts.length]}`);
      if (r.status !== 200) {
        // Another part of the project renders it; a missing (404) or broken fragment is reported, not fatal.
        fragmentProblem =
          r.status === 404
            ? 'n/a (GET /screens/usage answered 404: the fragment does not exist yet)'
            : `n/a (GET /screens/usage?page=${page} answered ${r.status} after ${fragmentSamples.length} good responses)`;
        break;
      }
      fragmentSamples.push(r.ms);
    }
    const allLines = (first.summary?.kinds ?? {}) as Record<string, number>;
    report.review = {
      lines: Object.values(allLines).reduce((s, n) => s + n, 0),
      listedLines: first.total,
      pages,
      api: latencySummary(apiSamples),
      fragment: fragmentProblem ?? latencySummary(fragmentSamples),
    };

    // ---- phase 4: approve every actionable line; phase 5: the write-backs ----
    before = await resetStats();
    memory.phasePeak = 0;
    started = performance.now();
    const actionable: UsageLine[] = [];
    for (let page = 1; ; page++) {
      const res = await call('GET', `/api/usage?pageSize=500&page=${page}`);
      for (const l of res.items as UsageLine[])
        if (ACTIONABLE.has(l.kind) && l.reviewStatus === 'pending') actionable.push(l);
      if (page * res.pageSize >= res.total || !res.items.length) break;
    }
    const listMs = performance.now() - started;
    const results: Record<string, number> = {};
    const approvedIds = new Set<number>();
    for (let i = 0; i < actionable.length; i += 1000) {
      const chunk = actionable.slice(i, i + 1000).map((l) => l.id);
      const res = await call('POST', '/api/usage/approve', { lineIds: chunk });
      for (const r of res.results as { lineId: number; result: string }[]) {
        results[r.result] = (results[r.result] ?? 0) + 1;
        if (r.result === 'approved') approvedIds.add(r.lineId);
      }
    }
    const approveMs = performance.now() - started;
    const approvePeak = memory.phasePeak;
    memory.phasePeak = 0;
    for (const until = deadline(); ;) {
      const res = await call('GET', '/api/usage?status=approved&pageSize=10');
      if (res.total === 0) break;
      if (Date.now() > until)
        throw new Error(`Write-backs still pending after ${OPTIONS.timeoutMinutes} min`);
      await sleep(100);
    }
    const writeBackMs = performance.now() - started - approveMs;
    stats = await call<Stats>('GET', '/sandbox/stats');
    const approvedLines = actionable.filter((l) => approvedIds.has(l.id));
    const approvedCount = approvedLines.length;
    const byKind = (kinds: string[]) => approvedLines.filter((l) => kinds.includes(l.kind)).length;
    const agreementsWithWrites = new Set(approvedLines.map((l) => l.agreementId).filter((a) => a != null))
      .size;
    const outcome: Record<string, number> = {};
    for (const status of ['written', 'stale', 'failed', 'approved']) {
      outcome[status] = (await call('GET', `/api/usage?status=${status}&pageSize=10`)).total;
    }
    phases.push({
      name: 'approve',
      wallMs: Math.round(approveMs),
      peakRssMb: mb(approvePeak),
      calls: [],
      totals: {
        appriver: { actual: 0, minimum: null },
        connectwise: { actual: 0, minimum: null },
      },
      cwOperations: {},
      extra: {
        listMs: Math.round(listMs),
        actionableLines: actionable.length,
        approveRequests: Math.ceil(actionable.length / 1000),
        results,
        note: 'Write-backs start while approving; their calls are all counted under write-back.',
      },
    });
    const writeMinimums = {
      [CW.post]: byKind(['new']),
      [CW.patch]: byKind(['increase', 'decrease', 'cancel']),
      [CW.additions]: agreementsWithWrites,
    };
    phases.push({
      name: 'write-back',
      wallMs: Math.round(writeBackMs),
      peakRssMb: mb(memory.phasePeak),
      ...callRows(stats, writeMinimums, {
        [CW.post]: 'one per approved new line',
        [CW.patch]: 'one per approved increase/decrease/cancel line',
        [CW.additions]: 'one re-read per agreement with writes (stale/adopt check)',
      }),
      cwOperations: diff(cwCounters(), before),
      extra: {
        approvedLines: approvedCount,
        agreementsWithWrites,
        outcome,
        totalFromFirstApprovalMs: Math.round(approveMs + writeBackMs - listMs),
        note: 'Wall time from the last approve response until no line is "approved".',
      },
    });
    report.memory = {
      peakRssMb: mb(memory.peak),
      rssAtStartMb: mb(rssAtStart),
      note: 'rssAtStart = Node + ts-node (with its TypeScript compiler) + the loaded modules, before the world is generated.',
    };
  } finally {
    await app.close().catch(() => undefined);
  }

  clearInterval(sampler);
  console.log(JSON.stringify(report, null, 2));
  if (!OPTIONS.jsonOnly) printTables(report);
}

/** For an account whose company has several active agreements (none in the generated world): take the first. */
async function pickAgreement(accountId: number, name: string): Promise<number> {
  const found = await call(
    'GET',
    `/api/accounts?filter=mapped&pageSize=200&search=${encodeURIComponent(name)}`,
  );
  const view = found.items.find((a: { id: number }) => a.id === accountId);
  const companyId = view?.mapping?.psaCompanyId;
  if (!companyId) return 0;
  const agreements = (await call('GET', `/api/psa/companies/${companyId}/agreements`)).items as {
    id: number;
  }[];
  if (!agreements.length) return 0;
  await call('PUT', `/api/accounts/${accountId}/mapping`, {
    psaCompanyId: companyId,
    agreementId: agreements[0].id,
  });
  return 1;
}

/** Subscriptions of mapped accounts, summed over the mapped-accounts list (only when not every account is mapped). */
async function subscriptionsOfMapped(): Promise<number> {
  let total = 0;
  for (let page = 1; ; page++) {
    const res = await call('GET', `/api/accounts?filter=mapped&pageSize=200&page=${page}`);
    for (const a of res.items as { subscriptions: number; billable: boolean }[])
      if (a.billable) total += a.subscriptions;
    if (page * res.pageSize >= res.total || !res.items.length) return total;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Tables

function table(headers: string[], rows: (string | number)[][], rightAlign = new Set<number>()): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (rightAlign.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join(
    '\n',
  );
}

const fmtRatio = (actual: number, minimum: number | null) =>
  minimum === null ? '—' : minimum === 0 ? (actual ? 'extra' : '—') : (actual / minimum).toFixed(2);
const seconds = (ms: number) => (ms / 1000).toFixed(1);

function printTables(report: Record<string, any>) {
  const o = report.options;
  const w = report.world;
  const out: string[] = [];
  out.push('');
  out.push(
    `AppRiver Reconcile benchmark: ${o.customers} customers, latency ${o.latencyMs} ms, ` +
      `concurrency ConnectWise ${report.app.cwConcurrency} / AppRiver ${report.app.appriverConcurrency}, seed ${o.seed}`,
  );
  out.push(
    `World: ${w.subscriptions} subscriptions, ${w.services} services, ${w.companies} companies ` +
      `(exact ${w.matchKinds.exact_name}, external number ${w.matchKinds.external_number}, fuzzy ${w.matchKinds.fuzzy}), ` +
      `${w.agreements} agreements with ${w.additions} additions, catalog ${w.catalogItems}`,
  );
  out.push('');
  const phases = report.phases as PhaseResult[];
  out.push(
    table(
      ['phase', 'wall s', 'peak RSS MB', 'AppRiver calls', 'ConnectWise calls'],
      phases.map((p) => [
        p.name,
        seconds(p.wallMs),
        p.peakRssMb,
        p.totals.appriver.actual,
        p.totals.connectwise.actual,
      ]),
      new Set([1, 2, 3, 4]),
    ),
  );
  for (const p of phases) {
    if (!p.calls.length) continue;
    out.push('');
    out.push(`External calls: ${p.name}`);
    const rows = p.calls.map((c) => [
      c.endpoint,
      c.actual,
      c.minimum ?? '—',
      fmtRatio(c.actual, c.minimum),
      c.note ?? '',
    ]);
    for (const system of ['appriver', 'connectwise'] as const) {
      const t = p.totals[system];
      if (t.actual || t.minimum)
        rows.push([`total ${system}`, t.actual, t.minimum ?? '—', fmtRatio(t.actual, t.minimum), '']);
    }
    out.push(
      table(['endpoint', 'actual', 'minimum', 'ratio', 'what the minimum is'], rows, new Set([1, 2, 3])),
    );
    const ops = Object.entries(p.cwOperations);
    if (ops.length)
      out.push(`  ConnectWise calls by client operation: ${ops.map(([k, v]) => `${k} ${v}`).join(', ')}`);
  }
  const sync = phases.find((p) => p.name === 'sync');
  if (sync) {
    const b = sync.extra!.latencyBound as any;
    out.push('');
    out.push('Sync latency bound (calls × latency ÷ concurrency, AppRiver + ConnectWise)');
    out.push(
      table(
        ['calls used', 'bound s', 'sync wall s', 'wall ÷ bound'],
        [
          ['minimum', seconds(b.withMinimumCallsMs), seconds(sync.wallMs), b.wallOverBoundMinimum ?? '—'],
          ['actual', seconds(b.withActualCallsMs), seconds(sync.wallMs), b.wallOverBoundActual ?? '—'],
        ],
        new Set([1, 2, 3]),
      ),
    );
  }
  const r = report.review;
  out.push('');
  out.push(
    `Review (${r.lines} lines in the run, ${r.listedLines} listed outside in-sync, ${r.pages} pages of 50)`,
  );
  const fragment = typeof r.fragment === 'string' ? null : r.fragment;
  out.push(
    table(
      ['request', 'n', 'p50 ms', 'p95 ms', 'max ms'],
      [
        ['GET /api/usage?page=k&sort=s', r.api.requests, r.api.p50Ms, r.api.p95Ms, r.api.maxMs],
        fragment
          ? [
              'GET /screens/usage?page=k&sort=s',
              fragment.requests,
              fragment.p50Ms,
              fragment.p95Ms,
              fragment.maxMs,
            ]
          : ['GET /screens/usage?page=k&sort=s', 'n/a', 'n/a', 'n/a', 'n/a'],
      ],
      new Set([1, 2, 3, 4]),
    ),
  );
  if (!fragment) out.push(`  fragment: ${r.fragment}`);
  const approve = phases.find((p) => p.name === 'approve');
  const write = phases.find((p) => p.name === 'write-back');
  if (approve && write) {
    out.push('');
    out.push(
      `Approve: ${approve.extra!.actionableLines} actionable lines in ${approve.extra!.approveRequests} request(s) ` +
        `(${JSON.stringify(approve.extra!.results)}); outcome ${JSON.stringify(write.extra!.outcome)}`,
    );
  }
  out.push('');
  out.push(
    `Peak RSS ${report.memory.peakRssMb} MB (RSS before generating the world: ${report.memory.rssAtStartMb} MB). ` +
      'The benchmark and the app share one process.',
  );
  console.log(out.join('\n'));
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`Benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
    if (error instanceof Error && !(error instanceof HttpError) && error.stack) console.error(error.stack);
    process.exit(1);
  },
);
