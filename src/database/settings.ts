import type { DataSource, EntityManager } from 'typeorm';

/** The settings a database holds (CreateSettings): what is recorded with the data, not configured per process. */
export type SettingName = 'database_id' | 'demo_end_date';

/** A setting's value, or null when it was never recorded. */
export async function readSetting(db: DataSource | EntityManager, name: SettingName): Promise<string | null> {
  const [row] = await db.query('SELECT value FROM settings WHERE name = ?', [name]);
  return row ? String(row.value) : null;
}

/**
 * Records a setting unless it is recorded already, and returns the value that holds: the one
 * already there wins, so two processes recording at once agree on the first.
 */
export async function recordSettingOnce(ds: DataSource, name: SettingName, value: string): Promise<string> {
  const existing = await readSetting(ds, name);
  if (existing !== null) return existing;
  try {
    await ds.query('INSERT INTO settings (name, value) VALUES (?, ?)', [name, value]);
  } catch (err) {
    // Recorded meanwhile by another process (primary key): read what it wrote.
    const now = await readSetting(ds, name);
    if (now === null) throw err;
    return now;
  }
  return value;
}
