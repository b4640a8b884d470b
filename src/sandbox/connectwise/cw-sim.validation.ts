import { CwFieldError, cwInvalidObject } from './cw-sim.errors';

/**
 * Reads a request body field by field and collects ConnectWise field errors, so one answer lists every
 * problem. Codes: `NullValue` for a missing required field, `OutOfRange` for a too-long string or a number
 * out of range, `InvalidObject` for a wrong type, an unknown enum value or a reference that does not resolve.
 */
export class BodyReader {
  readonly errors: CwFieldError[] = [];

  constructor(
    readonly resource: string,
    private readonly body: Record<string, unknown>,
  ) {}

  /** Throws the 400 InvalidObject answer if anything was wrong. */
  done(): void {
    if (this.errors.length) throw cwInvalidObject(this.resource, this.errors);
  }

  fail(code: string, field: string, message: string): void {
    this.errors.push({ code, message, resource: this.resource, field });
  }

  /** The raw value; null and undefined both mean "not given". */
  raw(field: string): unknown {
    return this.body[field] ?? null;
  }

  /** Null when absent (after recording NullValue if required). */
  private present(field: string, required: boolean): unknown {
    const value = this.raw(field);
    if (value === null && required) this.fail('NullValue', field, `The ${field} field is required.`);
    return value;
  }

  string(field: string, options: { required?: boolean; max: number }): string | null {
    const value = this.present(field, options.required ?? false);
    if (value === null) return null;
    if (typeof value !== 'string') {
      this.fail('InvalidObject', field, `The ${field} field must be a string.`);
      return null;
    }
    if (options.required && value.trim() === '') {
      this.fail('NullValue', field, `The ${field} field is required.`);
      return null;
    }
    if (value.length > options.max) {
      this.fail(
        'OutOfRange',
        field,
        `The field ${field} must be a string with a maximum length of ${options.max}.`,
      );
      return null;
    }
    return value;
  }

  /** Numbers may also come as numeric strings: ConnectWise's JSON reader converts them. */
  number(field: string, options: { required?: boolean } = {}): number | null {
    const value = this.present(field, options.required ?? false);
    if (value === null) return null;
    const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
    if ((typeof value === 'string' && value.trim() === '') || !Number.isFinite(n)) {
      this.fail('InvalidObject', field, `The ${field} field must be a number.`);
      return null;
    }
    return n;
  }

  integer(field: string, options: { required?: boolean; min?: number } = {}): number | null {
    const n = this.number(field, options);
    if (n === null) return null;
    if (!Number.isInteger(n)) {
      this.fail('InvalidObject', field, `The ${field} field must be a whole number.`);
      return null;
    }
    if (options.min !== undefined && n < options.min) {
      this.fail('OutOfRange', field, `The field ${field} must be at least ${options.min}.`);
      return null;
    }
    return n;
  }

  boolean(field: string, fallback: boolean): boolean {
    const value = this.raw(field);
    if (value === null) return fallback;
    if (typeof value !== 'boolean') {
      this.fail('InvalidObject', field, `The ${field} field must be true or false.`);
      return fallback;
    }
    return value;
  }

  /** An ISO 8601 date or date-time, stored as UTC to the second; one without an offset is UTC. */
  date(field: string): string | null {
    const value = this.raw(field);
    if (value === null) return null;
    const iso = typeof value === 'string' ? normaliseDate(value) : null;
    if (iso === null) {
      this.fail(
        'InvalidObject',
        field,
        `The ${field} field must be a date-time in ISO 8601 format, e.g. 2025-06-30T00:00:00Z.`,
      );
    }
    return iso;
  }

  oneOf<T extends string>(
    field: string,
    allowed: readonly T[],
    options: { required?: boolean } = {},
  ): T | null {
    const value = this.present(field, options.required ?? false);
    if (value === null) return null;
    if (!allowed.includes(value as T)) {
      this.fail('InvalidObject', field, `The ${field} field must be one of ${allowed.join(', ')}.`);
      return null;
    }
    return value as T;
  }

  integerArray(field: string): number[] {
    const value = this.raw(field);
    if (value === null) return [];
    if (!Array.isArray(value) || !value.every((v) => Number.isInteger(v))) {
      this.fail('InvalidObject', field, `The ${field} field must be an array of whole numbers.`);
      return [];
    }
    return value as number[];
  }

  /** A reference such as `product`: an object to be resolved by `id` or `identifier`/`name`. */
  reference(field: string, options: { required?: boolean } = {}): Record<string, unknown> | null {
    const value = this.present(field, options.required ?? false);
    if (value === null) return null;
    if (typeof value !== 'object' || Array.isArray(value)) {
      this.fail('InvalidObject', field, `The ${field} field must be an object such as {"id": 1}.`);
      return null;
    }
    return value as Record<string, unknown>;
  }
}

const DATE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

export function normaliseDate(text: string): string | null {
  const trimmed = text.trim();
  if (!DATE.test(trimmed)) return null;
  const hasZone = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(trimmed) && trimmed.includes('T');
  const withTime = trimmed.includes('T') ? trimmed : `${trimmed}T00:00:00`;
  const time = Date.parse(hasZone ? withTime : `${withTime}Z`);
  return Number.isNaN(time) ? null : new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export interface PatchOperation {
  op: 'add' | 'replace' | 'remove';
  /** The field name, without the optional leading slash. */
  field: string;
  value: unknown;
}

/**
 * Parses a JSON Patch body (`[{"op":"replace","path":"quantity","value":45}]`). Paths are case-sensitive,
 * as the DevGuide says, and only the listed top-level fields can be patched: a sub-path such as
 * `product/id` is refused here rather than answering the "false 200" real ConnectWise may give.
 */
export function parsePatch(body: unknown, resource: string, patchable: readonly string[]): PatchOperation[] {
  const reader = new BodyReader(resource, {});
  if (!Array.isArray(body) || body.length === 0) {
    reader.fail(
      'InvalidObject',
      'patchOperations',
      'The request body must be a non-empty JSON array of patch operations, ' +
        'e.g. [{"op":"replace","path":"quantity","value":5}].',
    );
    reader.done();
  }
  const ops: PatchOperation[] = [];
  (body as unknown[]).forEach((item, i) => {
    const entry = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    const { op, path } = entry;
    if (op !== 'add' && op !== 'replace' && op !== 'remove') {
      reader.fail('InvalidObject', 'op', `Operation ${i}: op must be add, replace or remove.`);
      return;
    }
    const field = typeof path === 'string' ? path.replace(/^\//, '') : '';
    if (!patchable.includes(field)) {
      reader.fail(
        'InvalidObject',
        field || 'path',
        `Operation ${i}: cannot ${op} '${String(path)}'. Patchable fields are ${patchable.join(', ')}.`,
      );
      return;
    }
    if (op !== 'remove' && !('value' in entry)) {
      reader.fail('InvalidObject', field, `Operation ${i}: ${op} needs a value.`);
      return;
    }
    ops.push({ op, field, value: op === 'remove' ? null : entry.value });
  });
  reader.done();
  return ops;
}

/** Applies parsed operations to a plain copy of the writable fields; the caller re-validates the result. */
export function applyPatch<T extends Record<string, unknown>>(current: T, ops: PatchOperation[]): T {
  const next: Record<string, unknown> = { ...current };
  for (const { field, value } of ops) next[field] = value;
  return next as T;
}
