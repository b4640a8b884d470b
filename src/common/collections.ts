/** Items grouped by a key, in their original order within each group. */
export function group<T, K>(items: T[], key: (t: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

/**
 * Lets other requests run between chunks of a long loop: better-sqlite3 answers synchronously, so a loop of
 * queries would otherwise hold the event loop (every tenant's requests) until it ends.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** fn over items in chunks of size, the event loop free between chunks (see yieldToEventLoop). */
export async function forEachChunk<T>(
  items: T[],
  size: number,
  fn: (chunk: T[]) => Promise<unknown>,
): Promise<void> {
  for (let i = 0; i < items.length; i += size) {
    if (i > 0) await yieldToEventLoop();
    await fn(items.slice(i, i + size));
  }
}
