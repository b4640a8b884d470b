// Retry with backoff and a small concurrency limiter, shared by the ConnectWise and AppRiver clients.
// Both are pure (no Nest, no I/O of their own) so they can be unit-tested with tiny delays.

export interface RetryPolicy {
  /** Total attempts, the first one included (1 = never retry). */
  attempts: number;
  /** Backoff before retry n is a random delay in [0, min(maxDelayMs, baseDelayMs·2^(n-1))] ("full jitter"). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Budget for the whole call, waits included: a retry whose wait would end past it is not made. */
  maxTotalMs: number;
}

export interface RetryOptions extends RetryPolicy {
  /** `false` = give up with this error; otherwise retry, after `afterMs` when the server said how long to wait. */
  shouldRetry(error: unknown, attempt: number): false | { afterMs?: number };
  /** Told before each wait, e.g. to log "retrying in 800 ms". */
  onRetry?(error: unknown, attempt: number, delayMs: number): void;
  /** Injected by tests. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function retry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const started = now();
  const attempts = Math.max(1, Math.floor(options.attempts));
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= attempts) throw error;
      const decision = options.shouldRetry(error, attempt);
      if (decision === false) throw error;
      const backoff = random() * Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
      // A server-given delay is honoured as is (waiting less only earns another 429); if it does not fit in
      // the budget we stop now rather than sleep and fail anyway.
      const delay = Math.max(0, Math.round(decision.afterMs ?? backoff));
      if (now() - started + delay > options.maxTotalMs) throw error;
      options.onRetry?.(error, attempt, delay);
      if (delay > 0) await sleep(delay);
    }
  }
}

/**
 * Milliseconds to wait from a `Retry-After` header: delta-seconds or an HTTP date (RFC 9110 §10.2.3).
 * `undefined` when absent or unreadable, so callers fall back to their own backoff.
 */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (value == null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP date always names its month; without this, Date.parse would read "-1" as a year.
  const date = /[A-Za-z]{3}/.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

export type Limiter = <T>(fn: () => Promise<T>) => Promise<T>;

/** At most `concurrency` functions run at once; the rest wait in call order (a small p-limit). */
export function limiter(concurrency: number): Limiter {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new Error(`Concurrency must be a whole number of at least 1, got ${concurrency}`);
  }
  let active = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    active--;
    const next = waiting.shift();
    if (next) next();
  };
  return <T>(fn: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const run = () => {
        active++;
        // Promise.resolve().then() also turns a synchronous throw in fn into a rejection.
        Promise.resolve().then(fn).then(resolve, reject).finally(release);
      };
      if (active < concurrency) run();
      else waiting.push(run);
    });
}
