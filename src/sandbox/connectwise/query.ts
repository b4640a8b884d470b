/**
 * Query engine of the simulated ConnectWise PSA (Manage) REST API 3.0: the `conditions`, `fields`,
 * `orderBy`, `page` and `pageSize` query parameters, plus the `Link` paging header.
 *
 * Pure functions, no I/O. The semantics follow ConnectWise on SQL Server: string comparisons are
 * case-insensitive, and a comparison against a missing (null) value is "unknown" — it never matches,
 * not even through `!=` or `not (...)` — except for the explicit `= null` / `!= null` tests.
 */

/** A malformed `conditions`/`orderBy` parameter, or one naming a field the resource lacks (HTTP 400). */
export class ConditionsError extends Error {
  override name = 'ConditionsError';
}

/** A `page`/`pageSize` parameter that is not a whole number of at least 1 (HTTP 400). */
export class PagingError extends Error {
  override name = 'PagingError';
}

export type ScalarOperator =
  '=' | '!=' | '<' | '<=' | '>' | '>=' | 'like' | 'not like' | 'contains' | 'not contains';
export type ListOperator = 'in' | 'not in';

export type ConditionValue =
  | { type: 'string'; value: string }
  | { type: 'number'; value: number }
  | { type: 'boolean'; value: boolean }
  | { type: 'null' }
  | { type: 'datetime'; value: string; time: number };

export type Condition =
  | { kind: 'and' | 'or'; operands: Condition[] }
  | { kind: 'not'; operand: Condition }
  | { kind: 'compare'; field: string; path: string[]; op: ScalarOperator; value: ConditionValue }
  | { kind: 'in'; field: string; path: string[]; op: ListOperator; values: ConditionValue[] };

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 1000;

const VALUE_HINT =
  'String values should be enclosed with double or single quotes; DateTime values should be enclosed in square ' +
  'brackets; numbers should consist of only digits, and optionally a decimal point and a negation sign.';
const OPERATOR_LIST = '=, !=, <, <=, >, >=, like, not like, contains, not contains, in, not in';

const FIELD_PATH = /^[A-Za-z_][A-Za-z0-9_]*(?:\/[A-Za-z_][A-Za-z0-9_]*)*$/;
const NUMBER = /^-?(?:\d+(?:\.\d*)?|\.\d+)$/;
const ISO_DATETIME = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?(Z|[+-]\d{2}:?\d{2})?$/i;
const RESERVED = new Set(['and', 'or', 'not']);

// Case-insensitive but accent-sensitive, like SQL Server's default *_CI_AS collations.
const collator = new Intl.Collator('en', { sensitivity: 'accent' });

// ---------------------------------------------------------------------------------------------------
// Tokenizer
// ---------------------------------------------------------------------------------------------------

type TokenKind = 'word' | 'string' | 'datetime' | 'operator' | '(' | ')' | ',' | 'end';

interface Token {
  kind: TokenKind;
  /** Source text of the token (for error messages). */
  text: string;
  /** Decoded content: unquoted string, bracket contents, or the text itself. */
  value: string;
  /** 1-based character position in the conditions string. */
  pos: number;
}

// A "word" is any run of characters up to whitespace or punctuation; the parser decides whether it is a
// field path, keyword, number or literal, which keeps the tokenizer free of context.
const WORD_BREAK = /[\s()[\],"'=!<>]/;

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i];
    const pos = i + 1;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ kind: ch, text: ch, value: ch, pos });
      i++;
    } else if (ch === '"' || ch === "'") {
      const { value, end } = readQuoted(source, i);
      tokens.push({ kind: 'string', text: source.slice(i, end), value, pos });
      i = end;
    } else if (ch === '[') {
      const close = source.indexOf(']', i);
      if (close === -1) {
        throw new ConditionsError(
          `Unterminated DateTime value starting at position ${pos}: '${source.slice(i)}'. ` +
            'DateTime values should be enclosed in square brackets, e.g. [2025-06-30T00:00:00Z].',
        );
      }
      tokens.push({
        kind: 'datetime',
        text: source.slice(i, close + 1),
        value: source.slice(i + 1, close),
        pos,
      });
      i = close + 1;
    } else if (ch === '!' || ch === '<' || ch === '>' || ch === '=') {
      const two = source.slice(i, i + 2);
      const op = two === '!=' || two === '<=' || two === '>=' ? two : ch;
      if (op === '!') throw new ConditionsError(`Unexpected '!' at position ${pos}; did you mean '!='?`);
      tokens.push({ kind: 'operator', text: op, value: op, pos });
      i += op.length;
    } else {
      let end = i;
      while (end < source.length && !WORD_BREAK.test(source[end])) end++;
      const text = source.slice(i, end);
      tokens.push({ kind: 'word', text, value: text, pos });
      i = end;
    }
  }
  tokens.push({ kind: 'end', text: '', value: '', pos: source.length + 1 });
  return tokens;
}

/** Reads a quoted string starting at `start`; a doubled quote or a backslash-escaped quote is a literal quote. */
function readQuoted(source: string, start: number): { value: string; end: number } {
  const quote = source[start];
  let value = '';
  let i = start + 1;
  while (i < source.length) {
    const ch = source[i];
    if (ch === '\\' && source[i + 1] === quote) {
      value += quote;
      i += 2;
    } else if (ch === quote && source[i + 1] === quote) {
      value += quote;
      i += 2;
    } else if (ch === quote) {
      return { value, end: i + 1 };
    } else {
      value += ch;
      i++;
    }
  }
  throw new ConditionsError(
    `Unterminated string starting at position ${start + 1}: ${source.slice(start)}. ` +
      'String values should be enclosed with double or single quotes.',
  );
}

// ---------------------------------------------------------------------------------------------------
// Parser
//   or         := and ('or' and)*
//   and        := unary ('and' unary)*
//   unary      := 'not' group | group | comparison
//   group      := '(' or ')'
//   comparison := FIELD op value | FIELD ('in' | 'not in') '(' value (',' value)* ')'
// ---------------------------------------------------------------------------------------------------

/** Parses a ConnectWise `conditions` string into an AST; throws ConditionsError on any syntax error. */
export function parseConditions(text: string): Condition {
  return new Parser(tokenize(text)).parse();
}

class Parser {
  private index = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): Condition {
    const condition = this.parseOr();
    const rest = this.peek();
    if (rest.kind === ')') {
      throw new ConditionsError(`Unexpected ')' at position ${rest.pos} without a matching '('.`);
    }
    if (rest.kind !== 'end') {
      throw new ConditionsError(
        `Unexpected '${rest.text}' at position ${rest.pos}; expected 'and', 'or' or the end of the conditions.`,
      );
    }
    return condition;
  }

  private peek(): Token {
    return this.tokens[this.index];
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index++;
    return token;
  }

  private isKeyword(keyword: string): boolean {
    const token = this.peek();
    return token.kind === 'word' && token.value.toLowerCase() === keyword;
  }

  private parseOr(): Condition {
    const operands = [this.parseAnd()];
    while (this.isKeyword('or')) {
      this.next();
      operands.push(this.parseAnd());
    }
    return operands.length === 1 ? operands[0] : { kind: 'or', operands };
  }

  private parseAnd(): Condition {
    const operands = [this.parseUnary()];
    while (this.isKeyword('and')) {
      this.next();
      operands.push(this.parseUnary());
    }
    return operands.length === 1 ? operands[0] : { kind: 'and', operands };
  }

  private parseUnary(): Condition {
    if (this.isKeyword('not')) {
      const not = this.next();
      if (this.peek().kind !== '(') {
        throw new ConditionsError(
          `Expected '(' after 'not' at position ${not.pos}; 'not' can only negate a parenthesised group.`,
        );
      }
      return { kind: 'not', operand: this.parseGroup() };
    }
    return this.peek().kind === '(' ? this.parseGroup() : this.parseComparison();
  }

  private parseGroup(): Condition {
    const open = this.next();
    const inner = this.parseOr();
    if (this.peek().kind !== ')') {
      throw new ConditionsError(
        `Missing ')' to close the '(' at position ${open.pos}; found ${describe(this.peek())} at position ${this.peek().pos}.`,
      );
    }
    this.next();
    return inner;
  }

  private parseComparison(): Condition {
    const token = this.next();
    if (token.kind !== 'word' || !FIELD_PATH.test(token.value) || RESERVED.has(token.value.toLowerCase())) {
      throw new ConditionsError(
        `Expected a field name at position ${token.pos} but found ${describe(token)}.`,
      );
    }
    const field = token.value;
    const path = field.split('/');
    const op = this.parseOperator(field);
    if (op === 'in' || op === 'not in') {
      return { kind: 'in', field, path, op, values: this.parseList(field, op) };
    }
    const value = this.parseValue(`${field} ${op}`);
    if (
      (op.endsWith('like') || op.endsWith('contains')) &&
      value.type !== 'string' &&
      value.type !== 'number'
    ) {
      throw new ConditionsError(`The '${op}' operator needs a string value, e.g. ${field} ${op} "abc".`);
    }
    return { kind: 'compare', field, path, op, value };
  }

  private parseOperator(field: string): ScalarOperator | ListOperator {
    const token = this.next();
    if (token.kind === 'operator') return token.value as ScalarOperator;
    const word = token.kind === 'word' ? token.value.toLowerCase() : '';
    if (word === 'like' || word === 'contains' || word === 'in') return word;
    if (word === 'not') {
      const negated = this.peek().kind === 'word' ? this.peek().value.toLowerCase() : '';
      if (negated === 'like' || negated === 'contains' || negated === 'in') {
        this.next();
        return `not ${negated}`;
      }
    }
    throw new ConditionsError(
      `Expected an operator after '${field}' at position ${token.pos} but found ${describe(token)}. ` +
        `Valid operators are ${OPERATOR_LIST}.`,
    );
  }

  private parseList(field: string, op: ListOperator): ConditionValue[] {
    const open = this.next();
    if (open.kind !== '(') {
      throw new ConditionsError(
        `Expected a parenthesised list of values after '${field} ${op}' at position ${open.pos} but found ` +
          `${describe(open)}, e.g. ${field} ${op} ("A","B").`,
      );
    }
    const values = [this.parseValue(`${field} ${op}`)];
    for (;;) {
      const separator = this.next();
      if (separator.kind === ')') return values;
      if (separator.kind !== ',') {
        throw new ConditionsError(
          `Expected ',' or ')' in the list after '${field} ${op}' at position ${separator.pos} but found ` +
            `${describe(separator)}.`,
        );
      }
      values.push(this.parseValue(`${field} ${op}`));
    }
  }

  private parseValue(context: string): ConditionValue {
    const token = this.peek();
    if (token.kind === 'string') {
      this.next();
      return { type: 'string', value: token.value };
    }
    if (token.kind === 'datetime') {
      this.next();
      const time = parseDateTime(token.value.trim());
      if (Number.isNaN(time)) {
        throw new ConditionsError(
          `Invalid DateTime value '${token.text}' at position ${token.pos} after '${context}'. ` +
            'DateTime values should be ISO 8601 in square brackets, e.g. [2025-06-30T00:00:00Z].',
        );
      }
      return { type: 'datetime', value: token.value.trim(), time };
    }
    if (token.kind === 'word') {
      const word = token.value.toLowerCase();
      if (word === 'true' || word === 'false') {
        this.next();
        return { type: 'boolean', value: word === 'true' };
      }
      if (word === 'null') {
        this.next();
        return { type: 'null' };
      }
      if (NUMBER.test(token.value)) {
        this.next();
        return { type: 'number', value: Number(token.value) };
      }
    }
    throw new ConditionsError(`Expected a value after '${context}'. ${VALUE_HINT}`);
  }
}

function describe(token: Token): string {
  return token.kind === 'end' ? 'the end of the conditions' : `'${token.text}'`;
}

// ---------------------------------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------------------------------

/** SQL three-valued logic: `null` is "unknown", which filters a record out just like `false`. */
type Tri = boolean | null;

/** Parses and validates `conditions` once and returns the record filter; empty conditions match everything. */
export function compile(text: string | undefined, knownFields?: Set<string>): (record: object) => boolean {
  if (text === undefined || text.trim() === '') return () => true;
  const condition = parseConditions(text);
  if (knownFields) assertKnownFields(condition, knownFields);
  return (record) => evaluate(condition, record);
}

/** True when the record satisfies the condition (unknown, e.g. `null > 5`, counts as not satisfied). */
export function evaluate(cond: Condition, record: object): boolean {
  return evaluateTri(cond, record) === true;
}

function evaluateTri(cond: Condition, record: object): Tri {
  switch (cond.kind) {
    case 'and': {
      const results = cond.operands.map((operand) => evaluateTri(operand, record));
      return results.includes(false) ? false : results.includes(null) ? null : true;
    }
    case 'or': {
      const results = cond.operands.map((operand) => evaluateTri(operand, record));
      return results.includes(true) ? true : results.includes(null) ? null : false;
    }
    case 'not': {
      const result = evaluateTri(cond.operand, record);
      return result === null ? null : !result;
    }
    case 'compare':
      return compare(cond.op, lookup(record, cond.path), cond.value);
    case 'in': {
      const actual = lookup(record, cond.path);
      if (isNull(actual)) return null;
      const found = cond.values.some((value) => value.type !== 'null' && equals(actual, value) === true);
      return cond.op === 'in' ? found : !found;
    }
  }
}

function compare(op: ScalarOperator, actual: unknown, value: ConditionValue): Tri {
  if (value.type === 'null') {
    if (op === '=') return isNull(actual);
    if (op === '!=') return !isNull(actual);
    return null;
  }
  if (isNull(actual)) return null;
  switch (op) {
    case '=':
      return equals(actual, value);
    case '!=':
      return negate(equals(actual, value));
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const order = ordering(actual, value);
      if (order === null) return null;
      if (op === '<') return order < 0;
      if (op === '<=') return order <= 0;
      if (op === '>') return order > 0;
      return order >= 0;
    }
    case 'like':
      return likePattern(value).test(String(actual));
    case 'not like':
      return !likePattern(value).test(String(actual));
    case 'contains':
      return containsText(actual, value);
    case 'not contains':
      return !containsText(actual, value);
  }
}

function negate(result: Tri): Tri {
  return result === null ? null : !result;
}

/** Equality of a non-null record value with a non-null literal; null when the types cannot be compared. */
function equals(actual: unknown, value: ConditionValue): Tri {
  switch (value.type) {
    case 'boolean':
      return actual === value.value;
    case 'number': {
      const n = toNumber(actual);
      return n === null ? false : n === value.value;
    }
    case 'datetime': {
      const time = toTime(actual);
      return Number.isNaN(time) ? null : time === value.time;
    }
    case 'string':
      return typeof actual === 'object' ? false : collator.compare(String(actual), value.value) === 0;
    case 'null':
      return isNull(actual);
  }
}

/** Sign of `actual - value`, or null when the two cannot be ordered. */
function ordering(actual: unknown, value: ConditionValue): number | null {
  switch (value.type) {
    case 'number': {
      const n = toNumber(actual);
      return n === null ? null : Math.sign(n - value.value);
    }
    case 'datetime': {
      const time = toTime(actual);
      return Number.isNaN(time) ? null : Math.sign(time - value.time);
    }
    case 'string':
      return typeof actual === 'object' ? null : collator.compare(String(actual), value.value);
    case 'boolean':
      return typeof actual === 'boolean' ? Number(actual) - Number(value.value) : null;
    case 'null':
      return null;
  }
}

function likePattern(value: ConditionValue): RegExp {
  const pattern = 'value' in value ? String(value.value) : '';
  const source = pattern
    .split(/[%*]/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[\\s\\S]*');
  return new RegExp(`^${source}$`, 'i');
}

function containsText(actual: unknown, value: ConditionValue): boolean {
  const needle = 'value' in value ? String(value.value) : '';
  return String(actual).toLowerCase().includes(needle.toLowerCase());
}

function isNull(value: unknown): value is null | undefined {
  return value === null || value === undefined;
}

function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && NUMBER.test(value.trim())) return Number(value);
  return null;
}

function toTime(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  return typeof value === 'string' ? parseDateTime(value) : NaN;
}

/** ISO 8601 date or date-time in ms; a date-time without an offset is UTC, as ConnectWise stores it. */
function parseDateTime(text: string): number {
  const match = ISO_DATETIME.exec(text);
  if (!match) return NaN;
  const [, date, time, zone] = match;
  return Date.parse(time ? `${date}T${time}${zone ?? 'Z'}` : `${date}T00:00:00${zone ?? 'Z'}`);
}

/** Reads `company/id` as record.company.id; keys match exactly, else case-insensitively. */
function lookup(record: unknown, path: readonly string[]): unknown {
  let current: unknown = record;
  for (const key of path) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    const actualKey = findKey(current, key);
    current = actualKey === undefined ? undefined : (current as Record<string, unknown>)[actualKey];
  }
  return current;
}

function findKey(object: object, key: string): string | undefined {
  if (Object.prototype.hasOwnProperty.call(object, key)) return key;
  const lower = key.toLowerCase();
  return Object.keys(object).find((candidate) => candidate.toLowerCase() === lower);
}

function assertKnownField(field: string, knownFields: Set<string>): void {
  const top = field.split('/')[0].toLowerCase();
  for (const known of knownFields) if (known.toLowerCase() === top) return;
  throw new ConditionsError(`Cannot find field '${field}' on this resource.`);
}

function assertKnownFields(cond: Condition, knownFields: Set<string>): void {
  switch (cond.kind) {
    case 'and':
    case 'or':
      cond.operands.forEach((operand) => assertKnownFields(operand, knownFields));
      return;
    case 'not':
      assertKnownFields(cond.operand, knownFields);
      return;
    default:
      assertKnownField(cond.field, knownFields);
  }
}

// ---------------------------------------------------------------------------------------------------
// fields= (partial responses)
// ---------------------------------------------------------------------------------------------------

/** `true` keeps the whole value; a nested tree keeps only the listed sub-fields. */
type FieldTree = Map<string, FieldTree | true>;

/** Projects records to `fields=id,identifier,company/name`; keys keep the record's own order. */
export function applyFields(records: object[], fields: string | undefined): object[] {
  if (fields === undefined || fields.trim() === '') return records;
  const tree = buildFieldTree(fields);
  return records.map((record) => project(record, tree) as object);
}

function buildFieldTree(fields: string): FieldTree {
  const root: FieldTree = new Map();
  for (const spec of fields.split(',')) {
    const segments = spec
      .trim()
      .split('/')
      .map((segment) => segment.trim().toLowerCase())
      .filter((segment) => segment !== '');
    let node = root;
    for (const [i, segment] of segments.entries()) {
      const existing = node.get(segment);
      if (existing === true) break; // the whole value is already kept
      if (i === segments.length - 1) {
        node.set(segment, true);
      } else {
        const child: FieldTree = existing ?? new Map();
        node.set(segment, child);
        node = child;
      }
    }
  }
  return root;
}

function project(value: unknown, tree: FieldTree): unknown {
  if (Array.isArray(value)) return value.map((item) => project(item, tree));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const selection = tree.get(key.toLowerCase());
    if (selection === undefined) continue;
    out[key] = selection === true ? child : project(child, selection);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// orderBy=
// ---------------------------------------------------------------------------------------------------

interface SortKey {
  path: string[];
  direction: 1 | -1;
}

/** Stable sort by `orderBy=name asc, company/id desc`; returns a new array. */
export function applyOrderBy<T extends object>(
  records: T[],
  orderBy: string | undefined,
  knownFields?: Set<string>,
): T[] {
  if (orderBy === undefined || orderBy.trim() === '') return records;
  const keys = parseOrderBy(orderBy, knownFields);
  // Array.prototype.sort is stable, so ties keep their input order.
  return [...records].sort((a, b) => {
    for (const key of keys) {
      const order = compareForSort(lookup(a, key.path), lookup(b, key.path));
      if (order !== 0) return order * key.direction;
    }
    return 0;
  });
}

function parseOrderBy(orderBy: string, knownFields?: Set<string>): SortKey[] {
  return orderBy.split(',').map((part) => {
    const [field, direction = 'asc', ...extra] = part.trim().split(/\s+/);
    if (!FIELD_PATH.test(field) || extra.length > 0) {
      throw new ConditionsError(
        `Invalid orderBy clause '${part.trim()}'; expected 'field asc' or 'field desc'.`,
      );
    }
    const dir = direction.toLowerCase();
    if (dir !== 'asc' && dir !== 'desc') {
      throw new ConditionsError(
        `Invalid sort direction '${direction}' for '${field}' in orderBy; use asc or desc.`,
      );
    }
    if (knownFields) assertKnownField(field, knownFields);
    return { path: field.split('/'), direction: dir === 'asc' ? 1 : -1 };
  });
}

/** Nulls sort lowest (first on asc, last on desc), as on SQL Server. */
function compareForSort(a: unknown, b: unknown): number {
  if (isNull(a) || isNull(b)) return isNull(a) === isNull(b) ? 0 : isNull(a) ? -1 : 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const timeA = toTime(a);
  const timeB = toTime(b);
  if (!Number.isNaN(timeA) && !Number.isNaN(timeB)) return timeA - timeB;
  return collator.compare(String(a), String(b));
}

// ---------------------------------------------------------------------------------------------------
// Paging
// ---------------------------------------------------------------------------------------------------

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  totalPages: number;
}

/** Slices one page; pageSize above 1000 silently serves 1000, as ConnectWise does. */
export function paginate<T>(records: T[], page?: string | number, pageSize?: string | number): Page<T> {
  const pageNumber = parsePagingParam('page', page, 1);
  const size = Math.min(parsePagingParam('pageSize', pageSize, DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE);
  const start = (pageNumber - 1) * size;
  return {
    items: records.slice(start, start + size),
    page: pageNumber,
    pageSize: size,
    totalPages: Math.max(1, Math.ceil(records.length / size)),
  };
}

function parsePagingParam(name: string, raw: string | number | undefined, fallback: number): number {
  if (raw === undefined || (typeof raw === 'string' && raw.trim() === '')) return fallback;
  const value = typeof raw === 'number' ? raw : /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new PagingError(`Invalid value '${raw}' for ${name}; it must be a whole number of at least 1.`);
  }
  return value;
}

/**
 * RFC 5988 `Link` header for a paged list, or undefined when everything fits on one page.
 * Other query parameters are kept byte-for-byte; `pageSize` and `page` are replaced and appended last.
 */
export function linkHeader(
  baseUrlWithQuery: string,
  page: number,
  pageSize: number,
  totalPages: number,
): string | undefined {
  if (totalPages <= 1) return undefined;
  const url = baseUrlWithQuery.split('#')[0];
  const queryStart = url.indexOf('?');
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  const kept =
    queryStart === -1
      ? []
      : url
          .slice(queryStart + 1)
          .split('&')
          .filter((param) => param !== '' && !isPagingParam(param));
  const link = (target: number, rel: string): string =>
    `<${path}?${[...kept, `pageSize=${pageSize}`, `page=${target}`].join('&')}>; rel="${rel}"`;

  const links: string[] = [];
  if (page > 1) links.push(link(1, 'first'), link(Math.min(page - 1, totalPages), 'prev'));
  if (page < totalPages) links.push(link(page + 1, 'next'), link(totalPages, 'last'));
  return links.length > 0 ? links.join(', ') : undefined;
}

function isPagingParam(param: string): boolean {
  const rawKey = param.split('=')[0];
  let key = rawKey;
  try {
    key = decodeURIComponent(rawKey);
  } catch {
    // A malformed escape is just not a paging parameter.
  }
  return key.toLowerCase() === 'page' || key.toLowerCase() === 'pagesize';
}
