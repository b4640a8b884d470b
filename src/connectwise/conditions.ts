// Building ConnectWise `conditions` safely: values are always quoted/escaped here, never concatenated by callers.

export type CwValue = string | number | boolean | null;

export function literal(value: CwValue): string {
  if (value === null) return 'null';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`Cannot use ${value} in a ConnectWise condition`);
    return String(value);
  }
  if (typeof value === 'boolean') return String(value);
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export const eq = (field: string, value: CwValue) => `${field}=${literal(value)}`;

/** `like` with the user's text as a substring; ConnectWise's wildcard is `%`, so a typed `%` is dropped. */
export const contains = (field: string, text: string) =>
  `${field} like ${literal(`%${text.replace(/[%*]/g, '')}%`)}`;

export const and = (...parts: (string | null | undefined | false)[]) =>
  parts
    .filter(Boolean)
    .map((p) => (/ or /i.test(p as string) ? `(${p})` : p))
    .join(' and ');

export const or = (...parts: string[]) => parts.join(' or ');

/**
 * `field in (...)` split into chunks whose URL-encoded condition stays under `maxEncodedLength`, so each request
 * stays well below ConnectWise's ~2000-character URL limit together with the other parameters.
 */
export function inChunks(field: string, values: CwValue[], maxEncodedLength = 1400, prefix = ''): string[] {
  const chunks: string[] = [];
  let current: string[] = [];
  const build = (items: string[]) => `${prefix ? `${prefix} and ` : ''}${field} in (${items.join(',')})`;
  for (const value of [...new Set(values)]) {
    const item = literal(value);
    if (current.length && encodeURIComponent(build([...current, item])).length > maxEncodedLength) {
      chunks.push(build(current));
      current = [];
    }
    current.push(item);
  }
  if (current.length) chunks.push(build(current));
  return chunks;
}
