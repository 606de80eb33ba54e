import { DataSource } from 'typeorm';
import type { Config } from '../config';

/** Start-up work on the database: run pending migrations, then seed the demo county if empty. */
export async function bootstrapDatabase(config: Readonly<Config>, ds: DataSource, say: (line: string) => void): Promise<void> {
  const ran = await ds.runMigrations({ transaction: 'each' });
  if (ran.length) say(`Applied ${ran.length} migration(s): ${ran.map((m) => m.name).join(', ')}`);
  if (!config.seedDemo) return;
  const [{ n }] = await ds.query('SELECT COUNT(*) AS n FROM regions');
  if (Number(n) > 0) return;
  // The demo seeding step is wired in by the seeds feature (seeds/).
}
