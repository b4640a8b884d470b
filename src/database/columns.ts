import { ValueTransformer } from 'typeorm';

/** JSON kept in a TEXT column: the same on SQLite and MySQL. */
export const json: ValueTransformer = {
  to: (value: unknown) => (value === undefined ? undefined : JSON.stringify(value ?? null)),
  from: (value: string | null) => (value == null ? null : JSON.parse(value)),
};

/** MySQL returns DECIMAL/BIGINT as strings; SQLite as numbers. Entities always see numbers. */
export const numeric: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value == null ? null : Number(value)),
};
