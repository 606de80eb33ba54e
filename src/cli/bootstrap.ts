import { DataSource } from 'typeorm';
import type { Config } from '../config';
import { DEMO_COUNTY_ID } from '../../seeds/demo-county';
import { ensureRollups, loadRollupState } from '../analytics/rollups';
import { seedDatabase } from './seed.command';

/** Start-up work on the database: run pending migrations, then seed the demo county if empty. */
export async function bootstrapDatabase(
  config: Readonly<Config>,
  ds: DataSource,
  say: (line: string) => void,
  demoScale = 1, // tests seed a smaller county through the same path
): Promise<void> {
  const ran = await ds.runMigrations({ transaction: 'each' });
  if (ran.length) say(`Applied ${ran.length} migration(s): ${ran.map((m) => m.name).join(', ')}`);
  if (config.seedDemo) await seedIfEmpty(config, ds, say, demoScale);
  // The daily rollups are kept up to date by every import once built; they are built here when
  // missing or made for another REPORTING_TIME_ZONE (until then the engine reads raw tables).
  await ensureRollups(ds, config.reportingTimeZone, await loadRollupState(ds), say);
}

async function seedIfEmpty(config: Readonly<Config>, ds: DataSource, say: (line: string) => void, demoScale: number): Promise<void> {
  const [{ n }] = await ds.query('SELECT COUNT(*) AS n FROM regions');
  if (Number(n) > 0 && !(await demoSeedInterrupted(ds))) return;
  say(
    Number(n) > 0
      ? 'The demo county was only partly seeded (interrupted start): seeding it again, unchanged records are skipped…'
      : 'Empty database: seeding the demo county 青山县 (SEED_DEMO=false skips this)…',
  );
  const started = Date.now();
  await seedDatabase(ds, config, { scale: demoScale, say: (line) => say(`  ${line}`) });
  say(`Seeded the demo county in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}

/**
 * Seeding imports dataset by dataset, so a first start stopped midway leaves the demo root
 * without survey responses; seeding again finishes it (re-importing changes nothing). A stop
 * during the last dataset is not detected: `npx minqing seed` completes it.
 */
async function demoSeedInterrupted(ds: DataSource): Promise<boolean> {
  const [root] = await ds.query('SELECT COUNT(*) AS n FROM regions WHERE id = ?', [DEMO_COUNTY_ID]);
  if (Number(root.n) === 0) return false;
  const [responses] = await ds.query('SELECT COUNT(*) AS n FROM survey_responses');
  return Number(responses.n) === 0;
}
