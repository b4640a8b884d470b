// Pure helpers for what an admin types into the install form.

/** `https://NA.myconnectwise.net/v4_6_release/` → `na.myconnectwise.net`; null if it is not a host name. */
export function normalizeSite(input: string): string | null {
  const host = input
    .trim()
    .replace(/^[a-z]+:\/\//i, '')
    .replace(/[/?#].*$/, '')
    .toLowerCase();
  return /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*(:\d{1,5})?$/.test(
    host,
  )
    ? host
    : null;
}

/**
 * Cloud sites must be called on their `api-` host ("SSL is required" otherwise); on-premises servers answer
 * on the site itself and report the codebase `v4_6_release/`.
 */
export function apiHostFor(site: string, codebase: string): string {
  if (site.startsWith('api-')) return site;
  const cloud = /(^|\.)(myconnectwise\.net|connectwisedev\.com)$/.test(site.replace(/:\d+$/, ''));
  return cloud || codebase !== 'v4_6_release/' ? `api-${site}` : site;
}
