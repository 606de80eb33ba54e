import DataLoader from 'dataloader';

/**
 * Keys per IN (...) list, so that a level of a nested query is one statement up to this many
 * keys. Two limits bound it: SQLite takes at most 32,766 bound parameters per statement, and
 * MariaDB stops using an index range for an IN list heavier than optimizer_max_sel_arg_weight
 * (32,000). Measured at 28k keys on MariaDB, one list read the same rows 1.4× faster than lists
 * of 1,000 (a JSON_TABLE of the keys, the other way to bind them, was 2× slower than lists).
 */
export const MAX_BATCH = 30_000;

/** A loader of records by id: one `IN (...)` query per batch, null for an id not found (or out of scope). */
export function byIdLoader<T extends { id: string }>(fetch: (ids: readonly string[]) => Promise<T[]>): DataLoader<string, T | null> {
  return new DataLoader<string, T | null>(
    async (ids) => {
      const byId = new Map((await fetch(ids)).map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    },
    { maxBatchSize: MAX_BATCH },
  );
}

/**
 * A loader of the rows belonging to each key (children, events, pairings...): one `IN (...)`
 * query per batch, whose ORDER BY is kept within each key's list. Loaded rows are primed
 * into `primeInto`, so a later lookup of the same record by id costs nothing.
 */
export function groupLoader<T extends { id: string }>(
  fetch: (keys: readonly string[]) => Promise<T[]>,
  keyOf: (row: T) => string | null,
  primeInto?: DataLoader<string, T | null>,
): DataLoader<string, T[]> {
  return new DataLoader<string, T[]>(
    async (keys) => {
      const groups = new Map<string, T[]>();
      for (const row of await fetch(keys)) {
        primeInto?.prime(row.id, row);
        const k = keyOf(row);
        if (k === null) continue;
        const list = groups.get(k);
        if (list) list.push(row);
        else groups.set(k, [row]);
      }
      return keys.map((k) => groups.get(k) ?? []);
    },
    { maxBatchSize: MAX_BATCH },
  );
}

/** Puts rows a list query already read into a by-id loader's cache. */
export function primeAll<T extends { id: string }>(loader: DataLoader<string, T | null>, rows: Iterable<T>): void {
  for (const row of rows) loader.prime(row.id, row);
}
