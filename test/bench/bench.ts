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
import * as fs from 'node:fs';
import * as inspector from 'node:inspector';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ConnectWiseClients } from '../../src/connectwise/connectwise.module';
import { eq, inChunks } from '../../src/connectwise/conditions';
import { limiter } from '../../src/common/http-retry';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppConfig, loadConfig } from '../../src/config/config';
import { World } from '../../src/sandbox/world';
import { startTestApp, TestApp } from '../support/app';
import { spawnApp } from '../support/process';
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

function parseOptions() {
  try {
    return {
      customers: intOption('customers', 2000, 1, 100000)!,
      latencyMs: intOption('latency', 20, 0, 10000)!,
      /** Both CW_CONCURRENCY and APPRIVER_CONCURRENCY (the app's limits: 32 and 16). */
      concurrency: intOption('concurrency', undefined, 1, 16),
      seed: intOption('seed', 42, 0, 2 ** 31)!,
      timeoutMinutes: intOption('timeout-min', 90, 1, 24 * 60)!,
      jsonOnly: process.argv.includes('--json-only'),
      /** Writes a V8 CPU profile of each phase into this folder (for finding where the time goes). */
      cpuProfileDir: option('cpu-profile'),
      /** Runs the built app (dist/) as its own process: its RSS alone, as in production (no in-process counters). */
      appProcess: process.argv.includes('--app-process') || option('app-node-options') !== undefined,
      /** NODE_OPTIONS of that process, e.g. "--max-old-space-size=256" (implies --app-process). */
      appNodeOptions: option('app-node-options'),
    };
  } catch (error) {
    console.error(`Benchmark: ${(error as Error).message}`);
    process.exit(2);
  }
}
const OPTIONS = parseOptions();

// ---------------------------------------------------------------------------------------------------------
// Memory: the RSS of the process the app runs in every 100 ms (this one, or the child of --app-process)

/** RSS in bytes from /proc (Linux): VmRSS now, or VmHWM, the peak the kernel saw between our samples too. */
function procMemory(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return kb ? Number(kb[1]) * 1024 : 0;
}
let appPid: number | null = null;

const memory = {
  peak: 0,
  phasePeak: 0,
  heapPeak: 0,
  sample() {
    let rss: number;
    if (appPid === null) {
      const usage = process.memoryUsage();
      rss = usage.rss;
      if (usage.heapUsed > this.heapPeak) this.heapPeak = usage.heapUsed;
    } else {
      try {
        rss = procMemory(appPid, 'VmRSS');
        this.peak = Math.max(this.peak, procMemory(appPid, 'VmHWM'));
      } catch {
        return; // the child has exited
      }
    }
    if (rss > this.peak) this.peak = rss;
    if (rss > this.phasePeak) this.phasePeak = rss;
  },
};
const sampler = setInterval(() => memory.sample(), 100);
sampler.unref();
const mb = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;

/** ts-node's type checker keeps a whole TypeScript program in memory (hundreds of MB of the RSS). */
function tsNodeMode(): string {
  const service = (process as unknown as Record<symbol, { options?: { transpileOnly?: boolean } }>)[
    Symbol.for('ts-node.register.instance')
  ];
  if (!service) return 'not ts-node';
  return service.options?.transpileOnly ? 'transpile-only' : 'type-checking';
}

// ---------------------------------------------------------------------------------------------------------
// Phases: memory peak per phase and, with --cpu-profile DIR, a CPU profile per phase

let profiler: inspector.Session | null = null;
const post = (method: string, params?: object) =>
  new Promise<any>((resolve, reject) =>
    profiler!.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))),
  );

const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
const loopByPhase = new Map<string, { p99Ms: number; maxMs: number }>();

async function phaseStart(name: string): Promise<number> {
  progress(`${name}…`);
  sql.clear();
  loopDelay.reset();
  memory.phasePeak = 0;
  memory.sample();
  if (OPTIONS.cpuProfileDir) {
    if (!profiler) {
      profiler = new inspector.Session();
      profiler.connect();
      await post('Profiler.enable');
    }
    await post('Profiler.start');
  }
  return performance.now();
}

// As test/bench/matching.bench.ts does: a full collection at the end of each phase tells live memory from garbage
// V8 has not collected yet (RSS and heapUsed include both).
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as (() => void) | undefined;
const afterGc = new Map<string, { heapUsedMb: number; rssMb: number }>();
const sqlByPhase = new Map<string, { total: number; top: Record<string, number> }>();

async function phaseEnd(name: string): Promise<void> {
  progress(`${name} done`);
  memory.sample();
  sqlByPhase.set(name, takeSql());
  loopByPhase.set(name, {
    p99Ms: round(loopDelay.percentile(99) / 1e6, 1),
    maxMs: round(loopDelay.max / 1e6, 1),
  });
  if (collectGarbage && appPid === null) {
    collectGarbage();
    const { heapUsed, rss } = process.memoryUsage();
    afterGc.set(name, { heapUsedMb: mb(heapUsed), rssMb: mb(rss) });
  }
  if (!profiler || !OPTIONS.cpuProfileDir) return;
  const { profile } = await post('Profiler.stop');
  fs.mkdirSync(OPTIONS.cpuProfileDir, { recursive: true });
  const file = path.join(OPTIONS.cpuProfileDir, `${name.replace(/[^a-z0-9]+/gi, '-')}.cpuprofile`);
  fs.writeFileSync(file, JSON.stringify(profile));
}

// ---------------------------------------------------------------------------------------------------------
// SQL statements per phase (verb + table), counted through TypeORM's logger hook: the database work is CPU on
// the same thread as everything else, so it shows up in wall times.

const sql = new Map<string, number>();
function countSql(dataSource: DataSource): void {
  const logger = dataSource.logger;
  const original = logger.logQuery.bind(logger);
  logger.logQuery = (query, parameters, runner) => {
    const key = sqlKind(query);
    sql.set(key, (sql.get(key) ?? 0) + 1);
    return original(query, parameters, runner);
  };
}
function sqlKind(query: string): string {
  const q = query.trimStart();
  const write = /^(INSERT INTO|UPDATE|DELETE FROM)\s+["`]?(\w+)/i.exec(q);
  if (write) return `${write[1].split(' ')[0].toUpperCase()} ${write[2]}`;
  const read = /^SELECT\b[\s\S]*?\bFROM\s+["`]?(\w+)/i.exec(q);
  if (read) return `SELECT ${read[1]}`;
  return (/^(\w+)/.exec(q)?.[1] ?? '?').toUpperCase();
}
function takeSql(): { total: number; top: Record<string, number> } {
  const entries = [...sql].sort((a, b) => b[1] - a[1]);
  sql.clear();
  return {
    total: entries.reduce((s, [, n]) => s + n, 0),
    top: Object.fromEntries(entries.slice(0, 12)),
  };
}

// ---------------------------------------------------------------------------------------------------------
// HTTP

let BASE = '';
let AUTH = '';

class HttpError extends Error {}

/** undici says only "fetch failed"; the reason is in `cause`. */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return [(error as Error).message, cause?.code, cause?.message].filter(Boolean).join(': ');
}

async function call<T = any>(method: string, url: string, body?: unknown, expect = [200]): Promise<T> {
  let res: Response;
  for (let attempt = 1; ; attempt++) {
    try {
      res = await fetch(`${BASE}${url}`, {
        method,
        headers: {
          Authorization: AUTH,
          Accept: 'application/json',
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
      break;
    } catch (error) {
      // A GET is safe to repeat, as a browser would (e.g. a kept-alive socket the server closed meanwhile).
      if (method !== 'GET' || attempt >= 3) throw new HttpError(`${method} ${url}: ${networkReason(error)}`);
      progress(`retrying ${method} ${url} after ${networkReason(error)}`);
      await sleep(200);
    }
  }
  const text = await res.text();
  if (!expect.includes(res.status))
    throw new HttpError(`${method} ${url} answered ${res.status}: ${text.slice(0, 500)}`);
  try {
    return (text ? JSON.parse(text) : null) as T;
  } catch {
    return text as T;
  }
}

/** Status and elapsed milliseconds of one GET, body read to the end. */
async function timedGet(url: string): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const res = await fetch(`${BASE}${url}`, { headers: { Authorization: AUTH } });
  await res.arrayBuffer();
  return { status: res.status, ms: performance.now() - started };
}

/** Progress on stderr, so that long runs show where they are (stdout carries only the report). */
function progress(message: string): void {
  if (!OPTIONS.jsonOnly)
    process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
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
  /** heapUsed and RSS right after a full garbage collection at the end of the phase. */
  afterGc?: { heapUsedMb: number; rssMb: number };
  /** How long the event loop was blocked (the app, its simulators and the benchmark share it). */
  eventLoop?: { p99Ms: number; maxMs: number };
  /** SQL statements the app ran during the phase (the most frequent kinds). */
  sql?: { total: number; top: Record<string, number> };
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

/** Calls that have no minimum: OAuth token exchanges and refreshes (their number depends on token lifetimes). */
const NO_MINIMUM = new Set(['appriver POST /auth/token']);

/**
 * Rows for every endpoint seen, plus every endpoint with a minimum even if it was never called. In a phase with
 * minimums, any other endpoint called is extra work (minimum 0), except the token endpoint.
 */
function callRows(
  stats: Stats,
  minimums: Record<string, number>,
  notes: Record<string, string> = {},
): Pick<PhaseResult, 'calls' | 'totals'> {
  const measured = Object.keys(minimums).length > 0;
  const keys = [...new Set([...Object.keys(minimums), ...Object.keys(stats.endpoints)])].sort();
  const calls = keys.map((endpoint) => {
    const actual = stats.endpoints[endpoint] ?? 0;
    const minimum =
      endpoint in minimums ? minimums[endpoint] : measured && !NO_MINIMUM.has(endpoint) ? 0 : null;
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
    // Totals compare like with like: calls to endpoints without a minimum (tokens) are left out of both.
    const counted = measured ? rows.filter((r) => r.minimum !== null) : rows;
    totals[system] = {
      actual: counted.reduce((s, r) => s + r.actual, 0),
      minimum: measured ? counted.reduce((s, r) => s + (r.minimum ?? 0), 0) : null,
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

/**
 * The simulator's own round trip: n reads of one agreement's additions straight from the simulated ConnectWise
 * (same server, same latency, no app code on the client side beyond fetch), `concurrency` at a time. Per call
 * per slot, in ms: the floor any client gets in this process, i.e. the latency plus the simulator, the HTTP stack
 * and timer granularity. AppRiver's simulator runs on the same server and stack.
 */
async function simulatorRoundTrip(
  app: BenchApp,
  agreementId: number,
  concurrency: number,
  n = 200,
): Promise<number> {
  const cw = app.config.connectwise;
  const key = 'sandbox-public:sandbox-private';
  const headers = {
    Authorization: `Basic ${Buffer.from(`acme+${key}`).toString('base64')}`,
    clientId: cw.clientId,
    Accept: 'application/json',
  };
  const url = `${app.url}/v2025_1/apis/3.0/finance/agreements/${agreementId}/additions?page=1&pageSize=1000`;
  const one = async () => {
    const res = await fetch(url, { headers });
    await res.text();
    if (res.status !== 200) throw new Error(`Calibration read answered ${res.status}`);
  };
  await one();
  const limit = limiter(concurrency);
  const started = performance.now();
  await Promise.all(Array.from({ length: n }, () => limit(one)));
  return ((performance.now() - started) * concurrency) / n;
}

// ---------------------------------------------------------------------------------------------------------
// The app: in this process (counters, heap and CPU profiles available) or, with --app-process, its own process

interface BenchApp {
  url: string;
  config: AppConfig;
  /** Only when the app runs in this process. */
  nest?: NestExpressApplication;
  close(): Promise<void>;
}

async function startApp(world: World, env: Record<string, string>): Promise<BenchApp> {
  if (!OPTIONS.appProcess) {
    const t: TestApp = await startTestApp({ world, env });
    return { url: t.url, config: t.config, nest: t.app, close: () => t.close() };
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'arr-bench-'));
  const worldFile = path.join(dataDir, 'world.json');
  fs.writeFileSync(worldFile, JSON.stringify(world));
  const appEnv = { SANDBOX_WORLD: worldFile, SANDBOX_PERSIST: '0', ...env };
  const child = await spawnApp(
    dataDir,
    { ...appEnv, NODE_OPTIONS: OPTIONS.appNodeOptions ?? '' },
    { built: true },
  );
  appPid = child.child.pid ?? null;
  // The same settings the child validated, for the concurrency and client id the report needs.
  const config = loadConfig({ SANDBOX: '1', DATA_DIR: dataDir, HOST: '127.0.0.1', ...appEnv });
  return {
    url: child.url,
    config,
    close: async () => {
      await child.kill('SIGTERM');
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

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
    environment: {
      node: process.version,
      platform: `${process.platform}/${process.arch}`,
      tsNode: tsNodeMode(),
      cpus: os.cpus().length,
      loadAverageAtStart: os.loadavg().map((l) => round(l, 2)),
    },
    memoryNote: OPTIONS.appProcess
      ? 'RSS is of the app process alone (node dist/src/main.js with its simulators); SQL and client counters, heap ' +
        'after GC and CPU profiles need the app in this process (run without --app-process).'
      : 'RSS is of the one process that runs the benchmark (with ts-node) and the app with its simulators.',
  };
  memory.sample();
  const rssAtStart = process.memoryUsage().rss;

  // ---- world ----
  progress(`generating a world of ${OPTIONS.customers} customers…`);
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
  progress('starting the app…');
  started = performance.now();
  const app = await startApp(generated.world, env);
  generated = null; // the app holds its own copy (loaded from the file written for it)
  BASE = app.url;
  if (app.nest) countSql(app.nest.get(DataSource));
  memory.sample();
  const rssAfterStart = appPid === null ? process.memoryUsage().rss : procMemory(appPid, 'VmRSS');
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
  // Before the month (the stats are reset when it starts): what one call costs with no app code in the way.
  const floor = {
    appriverMs: round(await simulatorRoundTrip(app, facts.sampleAgreementId, arConcurrency), 1),
    connectwiseMs: round(await simulatorRoundTrip(app, facts.sampleAgreementId, cwConcurrency), 1),
  };
  report.simulatorRoundTrip = {
    ...floor,
    note:
      'ms per call per concurrency slot for 200 direct reads from the simulated ConnectWise at the AppRiver and ' +
      'the ConnectWise concurrency: the latency plus what the in-process simulator, HTTP stack and timers add.',
  };

  try {
    // ---- phase 1: install (permission probes, hosted screens, menu entry) and sign in as jsmith ----
    await call('DELETE', '/sandbox/stats');
    started = await phaseStart('install + sign-in');
    const install = await installDemo(BASE);
    const clients = app.nest?.get(ConnectWiseClients);
    if (clients) cwCounters = () => clients.countersFor(install.companyId, install.apiHost);
    AUTH = await signIn(BASE);
    let wallMs = performance.now() - started;
    await phaseEnd('install + sign-in');
    let stats = await call<Stats>('GET', '/sandbox/stats');
    phases.push({
      name: 'install + sign-in',
      wallMs: Math.round(wallMs),
      peakRssMb: mb(memory.phasePeak),
      ...callRows(stats, {}),
      cwOperations: cwCounters(),
    });

    // ---- phase 2: connect AppRiver; the import and auto-matching run before the status says "Ready" ----
    let before = await resetStats();
    started = await phaseStart('connect + import + auto-match');
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
    wallMs = performance.now() - started;
    await phaseEnd('connect + import + auto-match');
    stats = await call<Stats>('GET', '/sandbox/stats');
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
          [AR.subscriptions]: 'one per billable customer',
          [AR.detail]: 'one per subscription',
          [CW.companies]: 'auto-match reads every company (pages of 1000)',
          [CW.catalog]: 'service suggestions read the active catalog (pages of 1000)',
          [CW.agreements]: "auto-matched companies' agreements, ids chunked by URL length",
        },
      ),
      cwOperations: diff(cwCounters(), before),
      extra: { accountCounts: accountsFirst.counts },
    });
    // ---- phase 3: mapping (services by Product ID search, confirm suggestions, agreements) ----
    before = await resetStats();
    started = await phaseStart('mapping');
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
    type Account = {
      id: number;
      name: string;
      suggestions: { targetId: number; label: string; score: number }[];
    };
    const suggested: Account[] = [];
    for (let page = 1; ; page++) {
      const res = await call('GET', `/api/accounts?filter=suggested&pageSize=200&page=${page}`);
      suggested.push(...(res.items as Account[]));
      if (page * res.pageSize >= res.total || !res.items.length) break;
    }
    let confirmed = 0;
    const confirmedElsewhere: string[] = [];
    for (const a of suggested) {
      const target = a.suggestions[0]?.targetId;
      if (!target) continue;
      if (facts.fuzzyTarget[a.name] !== undefined && facts.fuzzyTarget[a.name] !== target)
        confirmedElsewhere.push(
          `${a.name}: first suggestion ${target}, intended ${facts.fuzzyTarget[a.name]} ` +
            `(${a.suggestions.map((x) => `${x.label} ${x.score}`).join('; ')})`,
        );
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
    await phaseEnd('mapping');
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
        suggestionsNotTheIntendedCompany: confirmedElsewhere.length,
        ...(confirmedElsewhere.length ? { notIntended: confirmedElsewhere.slice(0, 5) } : {}),
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

    // ---- phase 4: Finish -> the first sync (re-import, read agreements' additions, reconcile) ----
    before = await resetStats();
    started = await phaseStart('sync');
    await call('POST', '/api/setup/finish');
    let sync: any;
    // When each step of the run was first seen (polled every 100 ms), to tell import time from the rest.
    const stepSeen: { step: string; atMs: number }[] = [];
    for (const until = deadline(); ;) {
      sync = await call('GET', '/api/sync/status');
      const step = sync.state === 'running' ? (sync.step ?? 'running') : sync.state;
      if (stepSeen[stepSeen.length - 1]?.step !== step) {
        stepSeen.push({ step, atMs: Math.round(performance.now() - started) });
        progress(`sync: ${step}`);
      }
      if (sync.state !== 'queued' && sync.state !== 'running') break;
      if (Date.now() > until) throw new Error(`The sync did not finish in ${OPTIONS.timeoutMinutes} min`);
      await sleep(100);
    }
    wallMs = performance.now() - started;
    await phaseEnd('sync');
    if (sync.state !== 'succeeded') throw new Error(`The sync ${sync.state}: ${sync.error}`);
    stats = await call<Stats>('GET', '/sandbox/stats');
    const syncMinimums = {
      [AR.customers]: Math.ceil(facts.customers / 1000),
      [AR.subscriptions]: mappedAccounts.length,
      [AR.detail]: mappedSubscriptions,
      [CW.additions]: mappedAgreements,
      [CW.catalog]: inChunks('id', [...productIds], 1400).length,
      [CW.companies]: 0,
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
        [CW.companies]: 'companies are not needed: every account is already decided',
      }),
      cwOperations: diff(cwCounters(), before),
      extra: {
        appReportedDurationMs: sync.counts?.durationMs ?? null,
        counts: sync.counts,
        steps: stepSeen.map((s, i) => ({
          step: s.step,
          ms: i + 1 < stepSeen.length ? stepSeen[i + 1].atMs - s.atMs : null,
        })),
      },
    };
    const arCalls = syncPhase.totals.appriver;
    const cwCalls = syncPhase.totals.connectwise;
    const bound = (ar: number, cw: number) =>
      (ar * OPTIONS.latencyMs) / arConcurrency + (cw * OPTIONS.latencyMs) / cwConcurrency;
    const boundMin = bound(arCalls.minimum ?? 0, cwCalls.minimum ?? 0);
    const boundActual = bound(arCalls.actual, cwCalls.actual);
    const boundFloor =
      ((arCalls.minimum ?? 0) * floor.appriverMs) / arConcurrency +
      ((cwCalls.minimum ?? 0) * floor.connectwiseMs) / cwConcurrency;
    syncPhase.extra!.latencyBound = {
      formula:
        'AppRiver calls × latency ÷ AppRiver concurrency + ConnectWise calls × latency ÷ ConnectWise concurrency',
      withMinimumCallsMs: Math.round(boundMin),
      withActualCallsMs: Math.round(boundActual),
      wallOverBoundMinimum: boundMin ? round(wallMs / boundMin, 2) : null,
      wallOverBoundActual: boundActual ? round(wallMs / boundActual, 2) : null,
      withSimulatorRoundTripMs: Math.round(boundFloor),
      wallOverSimulatorRoundTrip: boundFloor ? round(wallMs / boundFloor, 2) : null,
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

    // ---- phase 5: approve every actionable line; phase 6: the write-backs ----
    before = await resetStats();
    started = await phaseStart('approve');
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
    await phaseEnd('approve');
    await phaseStart('write-back');
    // The list query costs the app tens of ms at 40,000 lines: polling it every 100 ms would slow the very
    // writes it waits for, so a long write-back is polled once a second (a person's screen polls every 2 s).
    const pollMs = approvedIds.size > 1000 ? 1000 : 100;
    for (const until = deadline(); ;) {
      const res = await call('GET', '/api/usage?status=approved&pageSize=10');
      if (res.total === 0) break;
      if (Date.now() > until)
        throw new Error(`Write-backs still pending after ${OPTIONS.timeoutMinutes} min`);
      await sleep(pollMs);
    }
    const writeBackMs = performance.now() - started - approveMs;
    await phaseEnd('write-back');
    stats = await call<Stats>('GET', '/sandbox/stats');
    const approvedLines = actionable.filter((l) => approvedIds.has(l.id));
    const approvedCount = approvedLines.length;
    const byKind = (kinds: string[]) => approvedLines.filter((l) => kinds.includes(l.kind)).length;
    const agreementsWithWrites = new Set(approvedLines.map((l) => l.agreementId).filter((a) => a != null))
      .size;
    const outcome: Record<string, number> = {};
    const problems: string[] = [];
    for (const status of ['written', 'stale', 'failed', 'approved']) {
      const res = await call('GET', `/api/usage?status=${status}&pageSize=10`);
      outcome[status] = res.total;
      if (status === 'stale' || status === 'failed')
        for (const l of res.items)
          problems.push(`${status}: ${l.companyName} ${l.productIdentifier} (${l.kind}): ${l.error}`);
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
        ...(problems.length ? { problems } : {}),
        totalFromFirstApprovalMs: Math.round(approveMs + writeBackMs - listMs),
        latencyBoundMs: Math.round((stats.total.connectwise * OPTIONS.latencyMs) / cwConcurrency),
        /** The same bound at the simulator round trip measured before the month (what the app itself adds). */
        roundTripBoundMs: Math.round((stats.total.connectwise * floor.connectwiseMs) / cwConcurrency),
        note: 'Wall time from the last approve response until no line is "approved".',
      },
    });
    report.memory = app.nest
      ? {
          process: 'benchmark + app (one process)',
          peakRssMb: mb(memory.peak),
          peakHeapUsedMb: mb(memory.heapPeak),
          rssAtStartMb: mb(rssAtStart),
          note:
            'rssAtStart = Node + ts-node + the loaded modules, before the world is generated. Under type-checking ' +
            'ts-node it includes the TypeScript compiler; TS_NODE_TRANSPILE_ONLY=true npm run bench leaves it out.',
        }
      : {
          process: 'app (node dist/src/main.js, its own process)',
          peakRssMb: mb(memory.peak),
          rssAfterStartMb: mb(rssAfterStart),
          note:
            "The app's VmHWM (peak RSS as the kernel counts it), simulators with the generated world included; " +
            'rssAfterStart is the app idle with the world loaded.',
        };
  } finally {
    await app.close().catch(() => undefined);
  }

  clearInterval(sampler);
  for (const p of phases) {
    p.afterGc = afterGc.get(p.name);
    // Counted in this process: of the app only when it runs here.
    if (OPTIONS.appProcess) continue;
    p.sql = sqlByPhase.get(p.name);
    p.eventLoop = loopByPhase.get(p.name);
  }
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
  const e = report.environment;
  out.push(
    `Machine: Node ${e.node}, ${e.cpus} CPU(s), load average at start ${e.loadAverageAtStart.join(' ')}; ts-node ${e.tsNode}`,
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
      [
        'phase',
        'wall s',
        'peak RSS MB',
        'heap after GC MB',
        'AppRiver calls',
        'ConnectWise calls',
        'SQL stmts',
        'loop blocked max ms',
      ],
      phases.map((p) => [
        p.name,
        seconds(p.wallMs),
        p.peakRssMb,
        p.afterGc?.heapUsedMb ?? '—',
        p.totals.appriver.actual,
        p.totals.connectwise.actual,
        p.sql?.total ?? '—',
        p.eventLoop?.maxMs ?? '—',
      ]),
      new Set([1, 2, 3, 4, 5, 6, 7]),
    ),
  );
  out.push('');
  if (phases.some((p) => p.sql)) out.push('SQL statements by phase (most frequent kinds)');
  for (const p of phases) {
    if (!p.sql) continue;
    const top = Object.entries(p.sql.top)
      .slice(0, 6)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
    out.push(`  ${p.name}: ${p.sql.total}${top ? ` (${top})` : ''}`);
  }
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
    const steps = (sync.extra!.steps as { step: string; ms: number | null }[])
      .filter((s) => s.ms !== null)
      .map((s) => `${s.step} ${seconds(s.ms!)} s`)
      .join(', ');
    out.push(`Sync steps (as polled): ${steps}`);
    out.push('Sync latency bound (calls × latency ÷ concurrency, AppRiver + ConnectWise)');
    const f = report.simulatorRoundTrip;
    out.push(
      `  simulator round trip with no app code: ${f.appriverMs} ms per call at concurrency ${report.app.appriverConcurrency}, ` +
        `${f.connectwiseMs} ms at ${report.app.cwConcurrency} (latency ${report.options.latencyMs} ms)`,
    );
    out.push(
      table(
        ['calls used', 'bound s', 'sync wall s', 'wall ÷ bound'],
        [
          ['minimum', seconds(b.withMinimumCallsMs), seconds(sync.wallMs), b.wallOverBoundMinimum ?? '—'],
          ['actual', seconds(b.withActualCallsMs), seconds(sync.wallMs), b.wallOverBoundActual ?? '—'],
          [
            'minimum, at the measured simulator round trip',
            seconds(b.withSimulatorRoundTripMs),
            seconds(sync.wallMs),
            b.wallOverSimulatorRoundTrip ?? '—',
          ],
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
    const x = write.extra as {
      totalFromFirstApprovalMs: number;
      latencyBoundMs: number;
      roundTripBoundMs: number;
      problems?: string[];
    };
    const ratio = (wall: number, bound: number) => (bound ? `, ratio ${(wall / bound).toFixed(2)}` : '');
    out.push(
      `Write-back: ${seconds(x.totalFromFirstApprovalMs)} s from the first approval to the last write; ` +
        `latency bound (ConnectWise calls × latency ÷ ConnectWise concurrency) ${seconds(x.latencyBoundMs)} s` +
        ratio(x.totalFromFirstApprovalMs, x.latencyBoundMs) +
        `; at the measured simulator round trip ${seconds(x.roundTripBoundMs)} s, ` +
        `${seconds(write.wallMs)} s after the last approve response` +
        ratio(write.wallMs, x.roundTripBoundMs),
    );
    for (const problem of x.problems ?? []) out.push(`  ${problem}`);
  }
  out.push('');
  const m = report.memory;
  out.push(
    m.rssAfterStartMb === undefined
      ? `Peak RSS ${m.peakRssMb} MB (RSS before generating the world: ${m.rssAtStartMb} MB; ` +
          `ts-node ${report.environment.tsNode}). The benchmark and the app share one process.`
      : `Peak RSS of the app process ${m.peakRssMb} MB (node dist/src/main.js with its simulators; ` +
          `${m.rssAfterStartMb} MB idle after start).`,
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
