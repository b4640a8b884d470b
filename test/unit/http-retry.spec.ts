import { limiter, parseRetryAfter, retry, RetryOptions } from '../../src/common/http-retry';

class Transient extends Error {
  constructor(readonly afterMs?: number) {
    super('transient');
  }
}

/** A retry harness with a virtual clock: sleeps advance time instantly and are recorded. */
function harness(overrides: Partial<RetryOptions> = {}) {
  let clock = 0;
  const sleeps: number[] = [];
  const options: RetryOptions = {
    attempts: 4,
    baseDelayMs: 100,
    maxDelayMs: 1000,
    maxTotalMs: 10_000,
    shouldRetry: (e) => (e instanceof Transient ? { afterMs: e.afterMs } : false),
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
    },
    random: () => 1,
    now: () => clock,
    ...overrides,
  };
  return { options, sleeps };
}

/** Fails with the given errors in turn, then answers 'ok'. */
function failing(...errors: Error[]) {
  const fn = jest.fn(async (_attempt: number) => {
    const next = errors.shift();
    if (next) throw next;
    return 'ok';
  });
  return fn;
}

describe('retry', () => {
  it('returns the first success without waiting', async () => {
    const { options, sleeps } = harness();
    const fn = failing();
    await expect(retry(fn, options)).resolves.toBe('ok');
    expect(fn).toHaveBeenCalledTimes(1);
    expect(sleeps).toEqual([]);
  });

  it('backs off exponentially up to maxDelayMs and passes the attempt number', async () => {
    const { options, sleeps } = harness({ attempts: 6 });
    const fn = failing(new Transient(), new Transient(), new Transient(), new Transient(), new Transient());
    await expect(retry(fn, options)).resolves.toBe('ok');
    expect(sleeps).toEqual([100, 200, 400, 800, 1000]);
    expect(fn.mock.calls.map((c) => c[0])).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('uses full jitter: a random share of the backoff ceiling', async () => {
    const { options, sleeps } = harness({ random: () => 0.25 });
    await retry(failing(new Transient(), new Transient()), options);
    expect(sleeps).toEqual([25, 50]);
  });

  it('honours a server-given delay instead of the backoff', async () => {
    const { options, sleeps } = harness();
    await expect(retry(failing(new Transient(3000)), options)).resolves.toBe('ok');
    expect(sleeps).toEqual([3000]);
  });

  it('retries at once when the server says 0', async () => {
    const { options, sleeps } = harness();
    await expect(retry(failing(new Transient(0)), options)).resolves.toBe('ok');
    expect(sleeps).toEqual([]);
  });

  it('gives up with the last error after `attempts` tries', async () => {
    const { options } = harness({ attempts: 3 });
    const last = new Transient();
    const fn = failing(new Transient(), new Transient(), last, new Transient());
    await expect(retry(fn, options)).rejects.toBe(last);
    expect(fn).toHaveBeenCalledTimes(3);
  });

  it('does not retry what shouldRetry refuses', async () => {
    const { options, sleeps } = harness();
    const fatal = new Error('400 bad request');
    const fn = failing(fatal);
    await expect(retry(fn, options)).rejects.toBe(fatal);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(sleeps).toEqual([]);
  });

  it('stops instead of waiting past maxTotalMs, also for a long Retry-After', async () => {
    const { options, sleeps } = harness({ maxTotalMs: 5000 });
    const tooLong = new Transient(60_000);
    await expect(retry(failing(tooLong), options)).rejects.toBe(tooLong);
    expect(sleeps).toEqual([]);

    const budget = harness({ maxTotalMs: 2500, attempts: 10 });
    const fn = failing(new Transient(1000), new Transient(1000), new Transient(1000), new Transient(1000));
    await expect(retry(fn, budget.options)).rejects.toBeInstanceOf(Transient);
    expect(budget.sleeps).toEqual([1000, 1000]);
    expect(fn).toHaveBeenCalledTimes(3);
  });

  it('tells onRetry about each wait', async () => {
    const onRetry = jest.fn();
    const { options } = harness({ onRetry });
    const first = new Transient(50);
    await retry(failing(first), options);
    expect(onRetry).toHaveBeenCalledWith(first, 1, 50);
  });

  it('really sleeps with the default timer', async () => {
    const started = Date.now();
    let n = 0;
    const result = await retry(
      async () => {
        if (n++ < 2) throw new Transient(15);
        return n;
      },
      {
        attempts: 5,
        baseDelayMs: 1,
        maxDelayMs: 5,
        maxTotalMs: 1000,
        shouldRetry: (e) => (e instanceof Transient ? { afterMs: e.afterMs } : false),
      },
    );
    expect(result).toBe(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates, and ignores the rest', () => {
    const now = Date.parse('2026-12-03T10:00:00Z');
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Thu, 03 Dec 2026 10:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Thu, 03 Dec 2026 09:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-1', now)).toBeUndefined();
  });
});

describe('limiter', () => {
  const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

  it('runs at most `concurrency` at once, in call order, and passes results and errors through', async () => {
    const limit = limiter(2);
    let active = 0;
    let peak = 0;
    const started: number[] = [];
    const task = (i: number) =>
      limit(async () => {
        started.push(i);
        active++;
        peak = Math.max(peak, active);
        await tick(5);
        active--;
        if (i === 3) throw new Error('task 3 failed');
        return i * 10;
      });
    const results = await Promise.allSettled([0, 1, 2, 3, 4, 5].map(task));
    expect(peak).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([
      0,
      10,
      20,
      'task 3 failed',
      40,
      50,
    ]);
  });

  it('frees the slot when a task throws synchronously', async () => {
    const limit = limiter(1);
    await expect(
      limit(() => {
        throw new Error('sync');
      }),
    ).rejects.toThrow('sync');
    await expect(limit(async () => 'next')).resolves.toBe('next');
  });

  it('does not start queued work before a slot frees', async () => {
    const limit = limiter(1);
    let release!: () => void;
    const first = limit(() => new Promise<void>((resolve) => (release = resolve)));
    const second = jest.fn(async () => 'second');
    const queued = limit(second);
    await tick();
    expect(second).not.toHaveBeenCalled();
    release();
    await first;
    await expect(queued).resolves.toBe('second');
  });

  it('refuses a concurrency below 1', () => {
    expect(() => limiter(0)).toThrow(/at least 1/);
  });
});
