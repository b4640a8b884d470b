import { World, WorldFaults } from './world';

export type SimSystem = 'connectwise' | 'appriver';

/** Faults that can be set at run time on top of the world's (POST /sandbox/faults). */
export interface RuntimeFaults extends WorldFaults {
  /** Every n-th response of any simulated system is delayed by `latencySpikeMs` more (0 = never). */
  latencySpikeEvery: number;
  latencySpikeMs: number;
  /** The next n AppRiver resource responses are 200 with an empty body (then it heals). */
  appriverEmptyBodies: number;
  /** The next n AppRiver resource responses are 502 with an HTML body, as a proxy in front of it would send. */
  appriverHtmlBodies: number;
  /** The next n ConnectWise calls answer 500 (a burst), then it heals. */
  connectwiseServerErrors: number;
}

/** The world's faults plus the run-time-only ones, all off. */
const fromWorld = (world: World): RuntimeFaults => ({
  ...structuredClone(world.faults),
  latencySpikeEvery: 0,
  latencySpikeMs: 0,
  appriverEmptyBodies: 0,
  appriverHtmlBodies: 0,
  connectwiseServerErrors: 0,
});

export type FaultDecision =
  | { kind: 'rate_limit'; retryAfterSeconds: number }
  | { kind: 'server_error' }
  | { kind: 'empty_body' }
  | { kind: 'html_error' }
  | null;

/**
 * Decides, per simulated request, whether it fails and how long it takes. Counting is per system, so
 * "every 5th ConnectWise call" means exactly that regardless of AppRiver traffic.
 */
export class SandboxFaults {
  private faults: RuntimeFaults;
  private readonly counters: Record<SimSystem, number> = { connectwise: 0, appriver: 0 };
  private all = 0;

  constructor(world: World) {
    this.faults = fromWorld(world);
  }

  get current(): RuntimeFaults {
    return structuredClone(this.faults);
  }

  /** Merges a partial update; unknown keys are refused so a typo does not silently test nothing. */
  update(patch: Record<string, unknown>): RuntimeFaults {
    const problems: string[] = [];
    const merged = structuredClone(this.faults) as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(patch)) {
      if (!(key in merged)) problems.push(`${key}: unknown fault`);
      else if (typeof merged[key] === 'object' && merged[key] !== null) {
        const target = merged[key] as Record<string, unknown>;
        for (const [k, v] of Object.entries((value ?? {}) as Record<string, unknown>)) {
          if (!(k in target)) problems.push(`${key}.${k}: unknown fault`);
          else if (typeof v !== typeof target[k])
            problems.push(`${key}.${k}: expected a ${typeof target[k]}`);
          else target[k] = v;
        }
      } else if (typeof value !== 'number' || value < 0) problems.push(`${key}: expected a number ≥ 0`);
      else merged[key] = value;
    }
    if (problems.length) throw new Error(problems.join('; '));
    this.faults = merged as unknown as RuntimeFaults;
    this.restartCounting();
    return this.current;
  }

  reset(world: World): void {
    this.faults = fromWorld(world);
    this.restartCounting();
  }

  /** "Every n-th call" counts from the moment the faults are set, so a scenario fails the same way every run. */
  private restartCounting(): void {
    this.counters.connectwise = 0;
    this.counters.appriver = 0;
    this.all = 0;
  }

  /** Called once per simulated API request (not for pages a person clicks through). */
  next(
    system: SimSystem,
    options: { bodyFaults?: boolean } = {},
  ): { latencyMs: number; fault: FaultDecision } {
    const n = ++this.counters[system];
    this.all++;
    const f = this.faults;
    let latencyMs = f.latencyMs;
    if (f.latencySpikeEvery > 0 && this.all % f.latencySpikeEvery === 0) latencyMs += f.latencySpikeMs;
    const sys = f[system];
    if (sys.rateLimitEvery > 0 && n % sys.rateLimitEvery === 0) {
      return { latencyMs, fault: { kind: 'rate_limit', retryAfterSeconds: sys.retryAfterSeconds } };
    }
    if (sys.serverErrorEvery > 0 && n % sys.serverErrorEvery === 0)
      return { latencyMs, fault: { kind: 'server_error' } };
    if (system === 'connectwise' && f.connectwiseServerErrors > 0) {
      f.connectwiseServerErrors--;
      return { latencyMs, fault: { kind: 'server_error' } };
    }
    const bodyFaults = system === 'appriver' && options.bodyFaults !== false;
    if (bodyFaults && f.appriverEmptyBodies > 0) {
      f.appriverEmptyBodies--;
      return { latencyMs, fault: { kind: 'empty_body' } };
    }
    if (bodyFaults && f.appriverHtmlBodies > 0) {
      f.appriverHtmlBodies--;
      return { latencyMs, fault: { kind: 'html_error' } };
    }
    return { latencyMs, fault: null };
  }
}

/** Call counts per simulated endpoint, e.g. `connectwise GET /finance/agreements/{id}/additions`. */
export class SandboxStats {
  private counts = new Map<string, number>();

  count(system: SimSystem, endpoint: string): void {
    const key = `${system} ${endpoint}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  snapshot(): { total: Record<SimSystem, number>; endpoints: Record<string, number> } {
    const endpoints = Object.fromEntries([...this.counts].sort(([a], [b]) => a.localeCompare(b)));
    const total = { connectwise: 0, appriver: 0 };
    for (const [key, n] of this.counts) total[key.split(' ')[0] as SimSystem] += n;
    return { total, endpoints };
  }

  reset(): void {
    this.counts.clear();
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
