import { Column, ColumnOptions, ValueTransformer } from 'typeorm';

/** Instants are stored as epoch milliseconds: exact, the same on SQLite and MySQL, cheap to range-join. */
export const epochMs: ValueTransformer = {
  to: (v: Date | number | null | undefined) => (v == null ? v : v instanceof Date ? v.getTime() : v),
  // BIGINT may come back as a string from some drivers; ms since 1970 fit a double exactly.
  from: (v: string | number | null) => (v == null ? null : new Date(Number(v))),
};

/** An instant column (epoch ms) surfaced as a Date. */
export function InstantColumn(name: string, options: Partial<ColumnOptions> = {}) {
  return Column({ name, type: 'bigint', transformer: epochMs, ...options });
}

/** An id column referencing another record; source systems choose ids up to 64 characters. */
export function IdColumn(name: string, options: Partial<ColumnOptions> = {}) {
  return Column({ name, type: 'varchar', length: 64, ...options });
}

/** Booleans are stored as 0/1 on both stores. */
export const intBoolean: ValueTransformer = {
  to: (v: boolean | null | undefined) => (v == null ? v : v ? 1 : 0),
  from: (v: number | string | null) => (v == null ? null : Number(v) === 1),
};
