import type { DataSource, EntityManager } from 'typeorm';
import { DailyRollup, rebuildRollup, rebuildSubtree } from './daily-rollup';
import { SATISFACTION_DAILY } from './satisfaction-rollup';
import { VISITS_DAILY } from './visits-rollup';

export { factPoints, knownRollupZone, loadRollupState, refreshRollup } from './daily-rollup';
export { SATISFACTION_DAILY, satisfactionFromRollup } from './satisfaction-rollup';
export { VISITS_DAILY, visitsFromRollup } from './visits-rollup';

/** Every daily rollup (how they work: daily-rollup.ts). */
export const ROLLUPS: readonly DailyRollup[] = [SATISFACTION_DAILY, VISITS_DAILY];

/** Builds every rollup not yet built for `zone` (or all, with `force`); says what it built. */
export async function ensureRollups(
  ds: DataSource,
  zone: string,
  known: ReadonlyMap<string, string>,
  say: (line: string) => void,
  force = false,
): Promise<void> {
  for (const r of ROLLUPS) {
    if (!force && known.get(r.name) === zone) continue;
    const started = Date.now();
    const { rows, days } = await rebuildRollup(ds, r, zone);
    say(`Built the daily ${r.label} rollup (${rows} rows over ${days} days, ${zone}) in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  }
}

/** After a region moved: every built rollup's subtree sums again, in the caller's transaction. */
export async function rebuildSubtrees(m: EntityManager): Promise<void> {
  for (const r of ROLLUPS) await rebuildSubtree(m, r);
}
