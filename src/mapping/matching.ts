/**
 * Automatic matching and ranked suggestions for the mapping screens.
 *
 * Pure functions, no I/O: AppRiver (OpenText Secure Cloud) customers -> ConnectWise companies, and
 * AppRiver services -> ConnectWise catalog products.
 *
 * Auto-matches are exact only (an external number, or the same name after trimming, collapsing whitespace
 * and lower-casing) and are never made when two or more companies qualify. Everything fuzzier is only a
 * suggestion with a visible score and a plain-language reason, which a person must confirm.
 *
 * Performance: every lookup goes through Maps built once per call, and fuzzy (word-overlap) candidates
 * come from an inverted token index with prefix filtering, so the work grows with the number of accounts,
 * not with accounts x companies. Tokens that occur in more than 2 % of the companies (at least
 * MIN_DF_CAP) are not used to find candidates, but are still counted when scoring them.
 */

// ---------------------------------------------------------------------------------------------------------
// Public types

export interface VendorAccountRef {
  accountId: number;
  name: string;
  externalNumber: string | null;
  website: string | null;
}

export interface PsaCompanyRef {
  id: number;
  identifier: string;
  name: string;
  deletedFlag: boolean;
  /** 'Active' | 'Inactive' | ... */
  status: string;
}

export type MatchMethod = 'external_number' | 'exact_name';

export interface Suggestion {
  companyId: number;
  /** 0..100 integer */
  score: number;
  /** plain language */
  reason: string;
}

export interface AccountMatch {
  accountId: number;
  auto: { companyId: number; method: MatchMethod } | null;
  /** Up to 3, best first. Empty when auto-matched; every tied candidate (see MAX_AMBIGUOUS) when ambiguous. */
  suggestions: Suggestion[];
  ambiguous: boolean;
}

export interface VendorServiceRef {
  serviceId: number;
  productName: string;
  term: string;
  frequency: string;
}

export interface CatalogRef {
  id: number;
  identifier: string;
  description: string;
  inactiveFlag: boolean;
}

export interface ServiceSuggestions {
  serviceId: number;
  /** `companyId` holds the catalog item id. */
  suggestions: Suggestion[];
}

// ---------------------------------------------------------------------------------------------------------
// Tunables (exported so tests and the UI can refer to them)

export const SCORES = {
  /** A tied auto-match candidate (two or more companies qualify). */
  ambiguous: 100,
  /** Same name apart from punctuation or trailing legal suffix. */
  suffix: 95,
  /** Same name when '&' and 'and' are treated as equal. */
  ampersand: 92,
  /** First label of the website domain equals the company ID or its name without spaces/punctuation. */
  domain: 85,
  /** Word overlap: Jaccard 0.5 -> 50 ... 1.0 -> 80. */
  tokenMin: 50,
  tokenMax: 80,
  /** Services: same description (or catalog ID) after normalisation. */
  productExact: 95,
  /** Services: word overlap, Dice 0.5 -> 50 ... 1.0 -> 90. */
  productTokenMax: 90,
} as const;

/** Nothing scoring below this is ever suggested. */
export const MIN_SUGGESTION_SCORE = 50;
export const MAX_SUGGESTIONS = 3;
/** Cap on the tied candidates listed for an ambiguous account (a guard against pathological data). */
export const MAX_AMBIGUOUS = 25;
/** Tokens present in more than max(MIN_DF_CAP, 2 %) of the items are not used to generate candidates. */
const COMMON_TOKEN_SHARE = 0.02;
const MIN_DF_CAP = 100;

/** Legal-form words, removed only when they trail a name ("Inc Solutions" keeps its "inc"). */
const LEGAL_SUFFIXES: ReadonlySet<string> = new Set(
  'inc llc ltd llp corp co company gmbh plc corporation incorporated limited pllc'.split(' '),
);
const NAME_STOP_WORDS: ReadonlySet<string> = new Set('the of and a an for at in on by to'.split(' '));
const PRODUCT_STOP_WORDS: ReadonlySet<string> = new Set('the of and for with a an'.split(' '));

// ---------------------------------------------------------------------------------------------------------
// Text helpers

/** Trim, collapse whitespace, lower-case. The key for exact-name auto-matching. */
export function normalizeName(name: string): string {
  return String(name ?? '')
    .trim()
    .replace(/\s+/g, ' ')
    .toLowerCase();
}

const NON_ASCII = /[\u0080-\uffff]/;
const SPLIT_ASCII = /[^a-z0-9]+/;
const SPLIT_UNICODE = /[^\p{L}\p{N}]+/u;
const JOIN_NAME = /['’‘`.]/g;
const JOIN_PRODUCT = /['’‘`]/g;

/** Lower-case and drop diacritics ("Café" -> "cafe"); the ASCII fast path skips Unicode normalisation. */
function fold(text: string): string {
  const lower = String(text ?? '').toLowerCase();
  return NON_ASCII.test(lower) ? lower.normalize('NFKD').replace(/\p{M}+/gu, '') : lower;
}

/**
 * Split folded text into words on anything that is not a letter or digit. Apostrophes always join
 * ("O'Brien" -> "obrien"); for names, dots join too ("Inc." -> "inc", "J.P." -> "jp"). With `ampAsAnd`,
 * '&' becomes the word "and", otherwise it is just punctuation.
 */
function words(folded: string, ampAsAnd: boolean, joinDots: boolean): string[] {
  let s = folded.replace(joinDots ? JOIN_NAME : JOIN_PRODUCT, '');
  if (ampAsAnd && s.includes('&')) s = s.replace(/&/g, ' and ');
  const parts = s.split(NON_ASCII.test(s) ? SPLIT_UNICODE : SPLIT_ASCII);
  const out: string[] = [];
  for (const w of parts) if (w.length > 0) out.push(w);
  return out;
}

function stripTrailingSuffixes(ws: string[]): string[] {
  let end = ws.length;
  while (end > 1 && LEGAL_SUFFIXES.has(ws[end - 1])) end--;
  return end === ws.length ? ws : ws.slice(0, end);
}

function uniq(ws: string[]): string[] {
  return ws.length < 2 ? ws : Array.from(new Set(ws));
}

/** Name words for overlap scoring: trailing legal suffixes removed, then length >= 2 and no stop words. */
function nameTokens(ws: string[]): string[] {
  return uniq(stripTrailingSuffixes(ws).filter((w) => w.length >= 2 && !NAME_STOP_WORDS.has(w)));
}

/** Product words for overlap scoring: length >= 2 or numeric ("Plan 1" keeps the "1"), no stop words. */
function productTokens(ws: string[]): string[] {
  return uniq(ws.filter((w) => (w.length >= 2 || /^\d+$/.test(w)) && !PRODUCT_STOP_WORDS.has(w)));
}

function compact(text: string): string {
  const folded = fold(text);
  return NON_ASCII.test(folded) ? folded.replace(/[^\p{L}\p{N}]+/gu, '') : folded.replace(/[^a-z0-9]+/g, '');
}

/**
 * First label of a website's host name: "https://www.contosodental.example/about" -> "contosodental".
 * Returns null when nothing usable (under 2 characters, or all digits as in an IP address) is left.
 */
export function websiteLabel(website: string | null | undefined): string | null {
  if (!website) return null;
  let s = String(website).trim().toLowerCase();
  s = s.replace(/^[a-z][a-z0-9+.-]*:\/\//, '').replace(/^\/\//, '');
  s = s.split(/[/?#\s\\]/)[0];
  const at = s.lastIndexOf('@');
  if (at >= 0) s = s.slice(at + 1);
  s = s.replace(/:\d*$/, '').replace(/^www\d*\./, '');
  const label = s.split('.')[0];
  if (label.length < 2 || /^\d+$/.test(label)) return null;
  return label;
}

// ---------------------------------------------------------------------------------------------------------
// Small collections

/** A multimap that stores a lone value without wrapping it in an array (most keys have one value). */
type Multi = Map<string, number | number[]>;
const NONE: readonly number[] = [];

function addTo(map: Multi, key: string, value: number): void {
  const cur = map.get(key);
  if (cur === undefined) map.set(key, value);
  else if (typeof cur === 'number') {
    if (cur !== value) map.set(key, [cur, value]);
  } else if (cur[cur.length - 1] !== value) cur.push(value);
}

function valuesOf(map: Multi, key: string): readonly number[] {
  const cur = map.get(key);
  return cur === undefined ? NONE : typeof cur === 'number' ? [cur] : cur;
}

/**
 * Inverted index over token sets, frozen into flat typed arrays once built. Items are added in order
 * (item index = insertion order). A query visits every item sharing at least `minShared` tokens with it
 * that can be reached through the query's rarest `|Q| - minShared + 1` tokens (prefix filtering: any such
 * item must contain one of them), skipping tokens whose posting list is longer than `maxDf`, and items
 * whose token count is outside [minSize, maxSize].
 */
class TokenIndex {
  private readonly ids = new Map<string, number>();
  private building: { postings: number[][]; sets: number[][] } | null = { postings: [], sets: [] };
  // Frozen form: the postings of token t are postData[postStart[t] .. postStart[t + 1]), the (sorted)
  // token ids of item i are setData[setStart[i] .. setStart[i + 1]).
  private postStart: Int32Array = new Int32Array(1);
  private postData: Int32Array = new Int32Array(0);
  private setStart: Int32Array = new Int32Array(1);
  private setData: Int32Array = new Int32Array(0);
  private stamp: Int32Array = new Int32Array(0);
  private epoch = 0;
  private cands: Int32Array = new Int32Array(0);

  add(tokens: readonly string[]): void {
    const b = this.building;
    if (b === null) throw new Error('TokenIndex is frozen');
    const item = b.sets.length;
    const set: number[] = new Array(tokens.length);
    for (let i = 0; i < tokens.length; i++) {
      let id = this.ids.get(tokens[i]);
      if (id === undefined) {
        id = b.postings.length;
        this.ids.set(tokens[i], id);
        b.postings.push([]);
      }
      set[i] = id;
      b.postings[id].push(item);
    }
    b.sets.push(set);
  }

  freeze(): void {
    const b = this.building;
    if (b === null) return;
    this.building = null;
    ({ start: this.postStart, data: this.postData } = flatten(b.postings));
    ({ start: this.setStart, data: this.setData } = flatten(b.sets));
    for (let i = 0; i + 1 < this.setStart.length; i++) {
      this.setData.subarray(this.setStart[i], this.setStart[i + 1]).sort();
    }
    const items = this.setStart.length - 1;
    this.stamp = new Int32Array(items);
    this.cands = new Int32Array(items);
  }

  setSize(item: number): number {
    return this.setStart[item + 1] - this.setStart[item];
  }

  /** True when `token` is among the item's tokens. */
  has(item: number, token: string): boolean {
    const id = this.ids.get(token);
    if (id === undefined) return false;
    for (let k = this.setStart[item]; k < this.setStart[item + 1]; k++)
      if (this.setData[k] === id) return true;
    return false;
  }

  query(
    tokens: readonly string[],
    minShared: number,
    minSize: number,
    maxSize: number,
    maxDf: number,
    visit: (item: number, shared: number) => void,
  ): void {
    this.freeze();
    const n = tokens.length;
    const prefixLen = n - Math.max(1, minShared) + 1;
    if (n === 0 || prefixLen <= 0) return;
    const { postStart, postData, setStart, setData, stamp, cands } = this;
    const epoch = ++this.epoch;
    const known: number[] = [];
    for (const t of tokens) {
      const id = this.ids.get(t);
      if (id !== undefined) known.push(id);
    }
    // Unknown tokens have document frequency 0: they are the "rarest" and fill the prefix first.
    const probes = prefixLen - (n - known.length);
    if (probes <= 0) return;
    const byDf = known
      .slice()
      .sort((x, y) => postStart[x + 1] - postStart[x] - (postStart[y + 1] - postStart[y]) || x - y);
    let count = 0;
    for (let i = 0; i < probes && i < byDf.length; i++) {
      const t = byDf[i];
      const end = postStart[t + 1];
      if (end - postStart[t] > maxDf) continue;
      for (let j = postStart[t]; j < end; j++) {
        const item = postData[j];
        if (stamp[item] === epoch) continue;
        stamp[item] = epoch;
        const size = setStart[item + 1] - setStart[item];
        if (size >= minSize && size <= maxSize) cands[count++] = item;
      }
    }
    if (count === 0) return;
    const q = Int32Array.from(known).sort();
    for (let c = 0; c < count; c++) {
      const item = cands[c];
      let shared = 0;
      let a = 0;
      let k = setStart[item];
      const end = setStart[item + 1];
      while (a < q.length && k < end) {
        const x = q[a];
        const y = setData[k];
        if (x === y) {
          shared++;
          a++;
          k++;
        } else if (x < y) a++;
        else k++;
      }
      if (shared >= minShared) visit(item, shared);
    }
  }
}

/** Flattens lists into one Int32Array: list i is data[start[i] .. start[i + 1]). */
function flatten(lists: number[][]): { start: Int32Array; data: Int32Array } {
  const start = new Int32Array(lists.length + 1);
  for (let i = 0; i < lists.length; i++) start[i + 1] = start[i] + lists[i].length;
  const data = new Int32Array(start[lists.length]);
  for (let i = 0; i < lists.length; i++) data.set(lists[i], start[i]);
  return { start, data };
}

function candidateDfCap(itemCount: number): number {
  return Math.max(MIN_DF_CAP, Math.ceil(itemCount * COMMON_TOKEN_SHARE));
}

/**
 * Keeps the best score per target; the first reason wins on equal scores. A null reason is a word-overlap
 * reason, spelled out only for the suggestions that make the final list.
 */
class Best {
  readonly byItem = new Map<number, { score: number; reason: string | null }>();

  offer(item: number, score: number, reason: string | null): void {
    const cur = this.byItem.get(item);
    if (cur === undefined) this.byItem.set(item, { score, reason });
    else if (score > cur.score) {
      cur.score = score;
      cur.reason = reason;
    }
  }

  score(item: number): number {
    return this.byItem.get(item)?.score ?? -1;
  }
}

function rank(
  best: Best,
  sortKey: (item: number) => string,
  idOf: (item: number) => number,
  limit: number,
  overlapReason: (item: number) => string = () => '',
): Suggestion[] {
  const rows: { item: number; score: number; reason: string | null }[] = [];
  for (const [item, v] of best.byItem) {
    if (v.score >= MIN_SUGGESTION_SCORE) rows.push({ item, score: v.score, reason: v.reason });
  }
  rows.sort((x, y) => {
    if (x.score !== y.score) return y.score - x.score;
    const kx = sortKey(x.item);
    const ky = sortKey(y.item);
    if (kx !== ky) return kx < ky ? -1 : 1;
    return idOf(x.item) - idOf(y.item);
  });
  return rows.slice(0, limit).map((r) => ({
    companyId: idOf(r.item),
    score: r.score,
    reason: r.reason ?? overlapReason(r.item),
  }));
}

function sharedWordsReason(tokens: readonly string[], index: TokenIndex, item: number): string {
  return `Shares words: ${tokens.filter((t) => index.has(item, t)).join(', ')}`;
}

// ---------------------------------------------------------------------------------------------------------
// Accounts -> companies

function isActiveCompany(c: PsaCompanyRef): boolean {
  return (
    !c.deletedFlag &&
    String(c.status ?? '')
      .trim()
      .toLowerCase() === 'active'
  );
}

/**
 * Lookup structures over the usable (active, not deleted) companies. The exact-match maps are built up
 * front; the fuzzier ones only when the first account needs suggestions.
 */
class CompanyIndex {
  readonly companies: PsaCompanyRef[] = [];
  readonly sortNames: string[] = [];
  readonly byId = new Map<number, number>();
  readonly byIdentifier: Multi = new Map();
  readonly byName: Multi = new Map();
  private fuzzy: FuzzyCompanyIndex | null = null;

  constructor(all: readonly PsaCompanyRef[]) {
    for (const c of all) {
      if (!c || !isActiveCompany(c) || this.byId.has(c.id)) continue;
      const i = this.companies.length;
      this.companies.push(c);
      this.byId.set(c.id, i);
      const norm = normalizeName(c.name);
      this.sortNames.push(norm);
      if (norm) addTo(this.byName, norm, i);
      const ident = String(c.identifier ?? '')
        .trim()
        .toLowerCase();
      if (ident) addTo(this.byIdentifier, ident, i);
    }
  }

  get fuzzyIndex(): FuzzyCompanyIndex {
    return (this.fuzzy ??= new FuzzyCompanyIndex(this.companies));
  }
}

class FuzzyCompanyIndex {
  readonly bySuffixKey: Multi = new Map();
  readonly byAmpKey: Multi = new Map();
  readonly byCompactId: Multi = new Map();
  readonly byCompactName: Multi = new Map();
  readonly tokens = new TokenIndex();
  readonly maxDf: number;

  constructor(companies: readonly PsaCompanyRef[]) {
    for (let i = 0; i < companies.length; i++) {
      const c = companies[i];
      const identCompact = compact(c.identifier);
      if (identCompact) addTo(this.byCompactId, identCompact, i);
      const folded = fold(c.name);
      const plain = words(folded, false, true);
      const stripped = stripTrailingSuffixes(plain);
      if (stripped.length) {
        addTo(this.bySuffixKey, stripped.join(' '), i);
        addTo(this.byCompactName, plain.join(''), i);
        addTo(this.byCompactName, stripped.join(''), i); // addTo skips the repeat when equal
      }
      const amp = folded.includes('&') ? words(folded, true, true) : plain;
      const ampStripped = amp === plain ? stripped : stripTrailingSuffixes(amp);
      if (ampStripped.length) addTo(this.byAmpKey, ampStripped.join(' '), i);
      this.tokens.add(nameTokens(amp));
    }
    this.tokens.freeze();
    this.maxDf = candidateDfCap(companies.length);
  }
}

function ambiguousMatch(
  accountId: number,
  index: CompanyIndex,
  hits: readonly number[],
  reason: string,
): AccountMatch {
  const best = new Best();
  for (const i of hits) best.offer(i, SCORES.ambiguous, reason);
  const suggestions = rank(
    best,
    (i) => index.sortNames[i],
    (i) => index.companies[i].id,
    MAX_AMBIGUOUS,
  );
  return { accountId, auto: null, suggestions, ambiguous: true };
}

function externalNumberHits(index: CompanyIndex, externalNumber: string | null): readonly number[] {
  const ext = String(externalNumber ?? '')
    .trim()
    .toLowerCase();
  if (!ext) return NONE;
  const hits = valuesOf(index.byIdentifier, ext);
  if (!/^\d+$/.test(ext)) return hits;
  const byId = index.byId.get(Number(ext));
  return byId === undefined || hits.includes(byId) ? hits : [...hits, byId];
}

function suggestCompanies(account: VendorAccountRef, companies: CompanyIndex): Suggestion[] {
  const index = companies.fuzzyIndex;
  const best = new Best();
  const folded = fold(account.name);
  const plain = words(folded, false, true);
  const amp = folded.includes('&') ? words(folded, true, true) : plain;

  // 1. Same name apart from punctuation / trailing legal suffix.
  const stripped = stripTrailingSuffixes(plain);
  if (stripped.length) {
    for (const i of valuesOf(index.bySuffixKey, stripped.join(' '))) {
      best.offer(i, SCORES.suffix, 'Same name apart from punctuation or legal suffix (Inc, LLC, …)');
    }
  }
  // 2. Same with '&' == 'and'.
  const ampStripped = stripTrailingSuffixes(amp);
  if (ampStripped.length) {
    for (const i of valuesOf(index.byAmpKey, ampStripped.join(' '))) {
      best.offer(i, SCORES.ampersand, "Same name with '&' for 'and'");
    }
  }
  // 3. Website domain vs company ID / compact company name.
  const label = websiteLabel(account.website);
  if (label) {
    const key = compact(label);
    for (const i of valuesOf(index.byCompactId, key)) {
      best.offer(i, SCORES.domain, `Website domain ${label} matches company ID`);
    }
    for (const i of valuesOf(index.byCompactName, key)) {
      best.offer(i, SCORES.domain, `Website domain ${label} matches company name`);
    }
  }
  // 4. Word overlap. Jaccard >= 0.5 needs at least half of the account's words shared and a company with
  //    between half and twice as many words.
  const toks = nameTokens(amp);
  const n = toks.length;
  if (n) {
    const minShared = Math.ceil(n / 2);
    index.tokens.query(toks, minShared, minShared, 2 * n, index.maxDf, (i, shared) => {
      const union = n + index.tokens.setSize(i) - shared;
      if (2 * shared < union) return;
      const jaccard = shared / union;
      const score = Math.min(
        SCORES.tokenMax,
        Math.round(SCORES.tokenMin + (SCORES.tokenMax - SCORES.tokenMin) * 2 * (jaccard - 0.5)),
      );
      if (score > best.score(i)) best.offer(i, score, null);
    });
  }
  return rank(
    best,
    (i) => companies.sortNames[i],
    (i) => companies.companies[i].id,
    MAX_SUGGESTIONS,
    (i) => sharedWordsReason(toks, index.tokens, i),
  );
}

/**
 * For each account (same order as given): an exact, unambiguous auto-match if there is one, otherwise up
 * to three ranked suggestions. Deleted and non-'Active' companies are never matched nor suggested.
 */
export function matchAccounts(accounts: VendorAccountRef[], companies: PsaCompanyRef[]): AccountMatch[] {
  const index = new CompanyIndex(companies);
  const out: AccountMatch[] = new Array(accounts.length);
  for (let a = 0; a < accounts.length; a++) {
    const account = accounts[a];
    const accountId = account.accountId;

    const extHits = externalNumberHits(index, account.externalNumber);
    if (extHits.length === 1) {
      const companyId = index.companies[extHits[0]].id;
      out[a] = {
        accountId,
        auto: { companyId, method: 'external_number' },
        suggestions: [],
        ambiguous: false,
      };
      continue;
    }
    if (extHits.length > 1) {
      // Two companies claim the external number: a person chooses; the name is not used to break the tie.
      const ext = String(account.externalNumber).trim();
      const reason = `External number ${ext} matches ${extHits.length} companies; choose one`;
      out[a] = ambiguousMatch(accountId, index, extHits, reason);
      continue;
    }

    const norm = normalizeName(account.name);
    const nameHits = norm ? valuesOf(index.byName, norm) : NONE;
    if (nameHits.length === 1) {
      const companyId = index.companies[nameHits[0]].id;
      out[a] = { accountId, auto: { companyId, method: 'exact_name' }, suggestions: [], ambiguous: false };
      continue;
    }
    if (nameHits.length > 1) {
      const reason = `Same name as ${nameHits.length} companies; choose one`;
      out[a] = ambiguousMatch(accountId, index, nameHits, reason);
      continue;
    }

    out[a] = { accountId, auto: null, suggestions: suggestCompanies(account, index), ambiguous: false };
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Services -> catalog products

function productKey(text: string): string {
  return words(fold(text), true, false).join(' ');
}

/**
 * Up to three ranked active catalog items per service (same order as given), by similarity of the
 * service's product name to the item's description or identifier. `Suggestion.companyId` carries the
 * catalog item id.
 */
export function suggestProducts(services: VendorServiceRef[], catalog: CatalogRef[]): ServiceSuggestions[] {
  const items: CatalogRef[] = [];
  const sortKeys: string[] = [];
  const seen = new Set<number>();
  const byDescription: Multi = new Map();
  const byIdentifier: Multi = new Map();
  const descTokens = new TokenIndex();
  const identTokens = new TokenIndex();
  for (const c of catalog) {
    if (!c || c.inactiveFlag || seen.has(c.id)) continue;
    seen.add(c.id);
    const i = items.length;
    items.push(c);
    sortKeys.push(normalizeName(c.description));
    const dWords = words(fold(c.description), true, false);
    const iWords = words(fold(c.identifier), true, false);
    if (dWords.length) addTo(byDescription, dWords.join(' '), i);
    if (iWords.length) addTo(byIdentifier, iWords.join(' '), i);
    descTokens.add(productTokens(dWords));
    identTokens.add(productTokens(iWords));
  }
  const maxDf = candidateDfCap(items.length);

  return services.map((service) => {
    const best = new Best();
    const key = productKey(service.productName);
    if (key) {
      for (const i of valuesOf(byDescription, key)) best.offer(i, SCORES.productExact, 'Same description');
      for (const i of valuesOf(byIdentifier, key)) best.offer(i, SCORES.productExact, 'Same as catalog ID');
    }
    const toks = productTokens(words(fold(service.productName), true, false));
    const n = toks.length;
    if (n) {
      // Dice >= 0.5 needs at least a third of the service's words shared, and an item with between a third
      // and three times as many words.
      const minShared = Math.ceil(n / 3);
      for (const index of [descTokens, identTokens]) {
        index.query(toks, minShared, minShared, 3 * n, maxDf, (i, shared) => {
          const total = n + index.setSize(i);
          if (4 * shared < total) return;
          const dice = (2 * shared) / total;
          const score = Math.min(
            SCORES.productTokenMax,
            Math.round(
              MIN_SUGGESTION_SCORE + (SCORES.productTokenMax - MIN_SUGGESTION_SCORE) * 2 * (dice - 0.5),
            ),
          );
          if (score > best.score(i)) best.offer(i, score, sharedWordsReason(toks, index, i));
        });
      }
    }
    const suggestions = rank(
      best,
      (i) => sortKeys[i],
      (i) => items[i].id,
      MAX_SUGGESTIONS,
    );
    return { serviceId: service.serviceId, suggestions };
  });
}
