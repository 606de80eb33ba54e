import { DataSource } from 'typeorm';
import type { Config } from '../config';
import { DEMO_COUNTY_ID } from '../../seeds/demo-county';
import { Calendar } from '../analytics/calendar';
import { Rollups } from '../analytics/rollups';
import { demoEndFor, seedDatabase } from './seed.command';

export interface BootstrapOptions {
  /** Scale of the demo county seeded into an empty database (tests seed a smaller one). */
  demoScale?: number;
  /** The process's rollups (createServices); made here otherwise. */
  rollups?: Rollups;
  /** Leave rollups that must be built from existing facts to the caller (serve builds them after it listens). */
  deferRollups?: boolean;
  /**
   * The last day of the demo seeded into an empty database; default the day before `demoNow`
   * (the clock), so the demo looks alive the day it is started. Tests pin either.
   */
  demoEnd?: string;
  demoNow?: number;
}

/**
 * Start-up work on the database: run pending migrations, seed the demo county if empty, build
 * the rollups. The seed imports with no rollup built (keeping them as it goes would cost more
 * than building them once from the seeded facts), so a first start builds them after it, as a
 * database whose rollups are missing or were built for another zone or configuration does;
 * from then on every import keeps them exact.
 */
export async function bootstrapDatabase(config: Readonly<Config>, ds: DataSource, say: (line: string) => void, options: BootstrapOptions = {}): Promise<void> {
  const ran = await ds.runMigrations({ transaction: 'each' });
  if (ran.length) say(`Applied ${ran.length} migration(s): ${ran.map((m) => m.name).join(', ')}`);
  const rollups = options.rollups ?? new Rollups(ds, new Calendar(config.festivals), config);
  await rollups.load();
  if (config.seedDemo) await seedIfEmpty(config, ds, say, options);
  if (!options.deferRollups) await rollups.buildStale(say);
}

async function seedIfEmpty(config: Readonly<Config>, ds: DataSource, say: (line: string) => void, options: BootstrapOptions): Promise<void> {
  const [{ n }] = await ds.query('SELECT COUNT(*) AS n FROM regions');
  if (Number(n) > 0 && !(await demoSeedInterrupted(ds))) return;
  say(
    Number(n) > 0
      ? 'The demo county was only partly seeded (interrupted start): seeding it again, unchanged records are skipped…'
      : 'Empty database: seeding the demo county 青山县 (SEED_DEMO=false skips this)…',
  );
  const started = Date.now();
  // Up to yesterday on a first start, so the demo looks alive the day it is started; the date is
  // recorded with the data, so a restart (or an interrupted seed resumed) keeps it.
  const end = options.demoEnd ?? (await demoEndFor(ds, options.demoNow));
  await seedDatabase(ds, config, { scale: options.demoScale ?? 1, end, say: (line) => say(`  ${line}`) });
  say(`Seeded the demo county (activity up to ${end}) in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}

/**
 * Seeding imports dataset by dataset, so a first start stopped midway leaves the demo root
 * without survey responses; seeding again finishes it (re-importing changes nothing). A stop
 * during the last dataset is not detected: `npm run minqing -- seed` completes it.
 */
async function demoSeedInterrupted(ds: DataSource): Promise<boolean> {
  const [root] = await ds.query('SELECT COUNT(*) AS n FROM regions WHERE id = ?', [DEMO_COUNTY_ID]);
  if (Number(root.n) === 0) return false;
  const [responses] = await ds.query('SELECT COUNT(*) AS n FROM survey_responses');
  return Number(responses.n) === 0;
}
