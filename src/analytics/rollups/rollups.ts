import type { DataSource, EntityManager } from 'typeorm';
import type { Config } from '../../config';
import type { Calendar } from '../calendar';
import { ROLLUPS } from './definitions';
import { contribute, contributeIds, contributeSubtrees, definitionHash, rebuild, RollupDef, RollupParams, sameParams } from './rollup';

/** Rollups whose facts are issues: an event or a response changes its issue's contribution. */
const ISSUE_ROLLUP_FAMILIES = new Set(['issues', 'backlog', 'issueDurations']);

/**
 * The rollups of one data source: which are built and for what (rollup_state, loaded at
 * start-up and after each build, so a query costs no statement to learn it), building them, and
 * the contributions an import makes inside its transaction (rollup.ts). Built once per data
 * source by createServices; the import and the metrics engine share it.
 */
export class Rollups {
  /** What each rollup was built with, and the hash of the definition it was built from. */
  private readonly known = new Map<string, RollupParams & { definition: string }>();
  /** What rollups are built for in this configuration. */
  readonly wanted: RollupParams;

  constructor(
    private readonly ds: DataSource,
    readonly calendar: Calendar,
    config: Pick<Config, 'reportingTimeZone' | 'responseSlaHours' | 'repeatWindowDays' | 'festivals'>,
  ) {
    this.wanted = {
      zone: config.reportingTimeZone,
      slaMs: Math.round(config.responseSlaHours * 3_600_000),
      repeatWindowMs: Math.round(config.repeatWindowDays * 86_400_000),
      festivals: JSON.stringify(calendar.festivalDates),
    };
  }

  /** Reads rollup_state (call after migrations, and whenever another process may have built). */
  async load(): Promise<void> {
    this.known.clear();
    for (const [name, p] of await readStates(this.ds.manager)) this.known.set(name, p);
  }

  /** The configuration a rollup is built with in this process's knowledge, null when not built. */
  paramsOf(r: RollupDef): RollupParams | null {
    return this.known.get(r.name) ?? null;
  }

  /** Whether `r` answers queries in `zone` (built for it and for this configuration). */
  answers(r: RollupDef, zone: string): boolean {
    const p = this.known.get(r.name);
    // A per-fact rollup keeps instants, not days: any zone reads it.
    return p !== undefined && (p.zone === zone || r.rows !== undefined) && this.current(r, p);
  }

  /** Built for this configuration from this definition. */
  private current(r: RollupDef, p: (RollupParams & { definition: string }) | undefined): boolean {
    return p !== undefined && sameParams(p, this.wanted) && p.definition === definitionHash(r);
  }

  /** What is known to be built, as a key part for plans that depend on it. */
  builtSignature(): string {
    return ROLLUPS.filter((r) => this.current(r, this.known.get(r.name))).map((r) => `${r.name}@${this.known.get(r.name)!.zone}`).join(',');
  }

  /** The rollups not built for this configuration (missing, another zone, another SLA or festival windows). */
  stale(): RollupDef[] {
    return ROLLUPS.filter((r) => !this.current(r, this.known.get(r.name)));
  }

  /** Builds one rollup from every fact, in one transaction, and records what it was built for. */
  async build(r: RollupDef): Promise<void> {
    await this.ds.transaction(async (m) => {
      await m.query('DELETE FROM rollup_state WHERE name = ?', [r.name]);
      await rebuild(m, r, this.calendar, this.wanted);
      await m.query('INSERT INTO rollup_state (name, zone, params, built_at) VALUES (?, ?, ?, ?)', [r.name, this.wanted.zone, paramsJson(this.wanted, definitionHash(r)), Date.now()]);
    });
    this.known.set(r.name, { ...this.wanted, definition: definitionHash(r) });
  }

  /** Builds every stale rollup, saying what it did; `notReady()` tells what is being built meanwhile. */
  async buildStale(say: (line: string) => void): Promise<void> {
    const stale = this.stale();
    try {
      for (const [i, r] of stale.entries()) {
        this.building = `building the ${r.label} rollup (${i + 1} of ${stale.length}); the engine reads the raw tables for it until then`;
        const started = Date.now();
        await this.build(r);
        say(`Built the ${r.label} rollup (${this.wanted.zone}) in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
      }
    } finally {
      this.building = null;
    }
  }

  /** Why the service is not ready yet (/readyz), or null: a rollup being built from existing facts. */
  notReady(): string | null {
    return this.building;
  }

  private building: string | null = null;

  /**
   * An import batch's writes as the rollups see them, in the batch's transaction: `before()`
   * subtracts what the facts it is about to change contribute now, `after()` adds what they
   * contribute once written. Rollups not built are left alone (a build reads every fact).
   * `laterIssues` (an issues batch) finds the stored issues whose repeat status the batch may
   * change; it is asked only when an issue rollup is built.
   */
  async batch(m: EntityManager, dataset: string, given: BatchFacts, laterIssues?: () => Promise<string[]>): Promise<RollupBatch> {
    const touched = ROLLUPS.filter((r) => r.datasets.includes(dataset) || (dataset === 'regions' && given.movedRegions.length && r.levels));
    if (!touched.length) return NO_BATCH;
    const states = await readStates(m);
    // A rollup built from another definition is left for its rebuild (its table has another shape).
    const built = touched.filter((r) => states.get(r.name)?.definition === definitionHash(r)).map((r) => [r, states.get(r.name)!] as const);
    if (!built.length) return NO_BATCH;
    const facts = laterIssues && built.some(([r]) => ISSUE_ROLLUP_FAMILIES.has(r.family)) ? { ...given, issues: await laterIssues() } : given;
    // Before the write: the facts it changes (their stored rows); after it: those and the new ones.
    const apply = async (sign: 1 | -1, after: boolean) => {
      const own = after ? [...facts.updated, ...facts.inserted] : facts.updated;
      // An issues batch also changes whether later issues of the same households are repeats (facts.issues).
      const issues = dataset === 'issues' ? [...new Set([...own, ...facts.issues])] : facts.issues;
      for (const [r, p] of built) {
        if (dataset === 'regions') await contributeSubtrees(m, r, facts.movedRegions, sign, this.calendar, p);
        else if (r.family === 'visits' && dataset === 'issues') await contributeIds(m, r, 'id', facts.visits, sign, this.calendar, p);
        // Households visited, pairings visited, paired spells: every fact of the households whose visits, pairings or region the batch changes.
        else if (r.batchKey === 'household') {
          const from = facts.householdsFrom;
          const fromThere = from === null || !Number.isFinite(from) ? r : { ...r, source: (cond: string) => r.source(cond, from) };
          await contributeIds(m, fromThere, 'household_id', facts.households, sign, this.calendar, p);
        }
        else if (!ISSUE_ROLLUP_FAMILIES.has(r.family)) await contributeIds(m, r, 'id', own, sign, this.calendar, p);
        else await contributeIds(m, r, 'id', issues, sign, this.calendar, p);
      }
    };
    return {
      before: () => apply(-1, false),
      after: async () => {
        await apply(1, true);
        // A region that changed level has its rows under the new level now; the old ones are all 0.
        if (dataset === 'regions') for (const [r] of built) await dropOldLevels(m, r, facts.movedRegions);
      },
    };
  }

  /** Contributions of facts by a condition (tests and repairs): `sign` 1 adds, −1 subtracts; for a rollup with a chunkSource the condition must keep whole groups (households). */
  contribute(m: EntityManager, r: RollupDef, cond: string, sign: 1 | -1): Promise<void> {
    return contribute(m, r, cond, {}, sign, this.calendar, this.paramsOf(r) ?? this.wanted);
  }
}

/**
 * What an import batch writes: ids of its updated and inserted records, the issues its events
 * or responses belong to (old and new) — for an issues batch, the stored issues whose repeat
 * status it may change —, the visits and households whose rollup rows it changes, the regions it moves.
 */
export interface BatchFacts {
  updated: string[];
  inserted: string[];
  issues: string[];
  /** The visits an issues batch names, before and after (whether they raised an issue changes). */
  visits: string[];
  /** The households a visits or pairings batch names, before and after, or a households batch updates (their visits' chains, paired spells and region). */
  households: string[];
  /** The earliest instant a visits batch writes or moves a visit of those households (earlier visits keep their rows); null: every visit. */
  householdsFrom: number | null;
  movedRegions: string[];
}

export interface RollupBatch {
  before(): Promise<void>;
  after(): Promise<void>;
}

const NO_BATCH: RollupBatch = { before: async () => undefined, after: async () => undefined };

const paramsJson = (p: RollupParams, definition: string) => JSON.stringify({ slaMs: p.slaMs, repeatWindowMs: p.repeatWindowMs, festivals: p.festivals, definition });

async function readStates(m: EntityManager): Promise<Map<string, RollupParams & { definition: string }>> {
  const rows: Array<{ name: string; zone: string; params: string | null }> = await m.query('SELECT name, zone, params FROM rollup_state');
  const out = new Map<string, RollupParams & { definition: string }>();
  for (const row of rows) {
    if (!row.params) continue; // a rollup of an earlier version: rebuilt under its new name
    const q = JSON.parse(row.params) as { slaMs: number; repeatWindowMs?: number; festivals: string; definition?: string };
    out.set(row.name, { zone: row.zone, slaMs: q.slaMs, repeatWindowMs: q.repeatWindowMs ?? -1, festivals: q.festivals, definition: q.definition ?? '' });
  }
  return out;
}

/** Deletes a rollup's rows of the subtrees of `roots` kept under a level their region no longer has (emptied by the move). */
async function dropOldLevels(m: EntityManager, r: RollupDef, roots: readonly string[]): Promise<void> {
  if (!r.levels || !roots.length) return;
  const marks = roots.map(() => '?').join(', ');
  await m.query(
    `DELETE FROM ${r.table}
      WHERE region_id IN (SELECT c.descendant_id FROM region_closure c WHERE c.ancestor_id IN (${marks}))
        AND level <> (SELECT g.level FROM regions g WHERE g.id = ${r.table}.region_id)`,
    [...roots],
  );
}
