import { CLOSED_TYPES_SQL, storedIssueFacts } from '../measures/issue-facts.sql';
import { BACKLOG_PARTS, issueParts, SATISFACTION_PARTS, visitParts } from '../measures/parts';
import type { RollupDef } from './rollup';

/*
 * Every rollup (how they work: rollup.ts). The parts are the families' own (measures/parts.ts);
 * a definition says only where the fact rows come from and what a row is keyed by.
 */

/**
 * Days, months and years at the county and townships, where each row sums many facts. Not
 * villages: a city's village month holds a handful of facts (as many rows as facts, each one
 * written by every import), and a village's or a township's villages' facts are few enough to
 * read directly.
 */
const REGION_GRAINS = { D: ['COUNTY', 'TOWNSHIP'], M: ['COUNTY', 'TOWNSHIP'], Y: ['COUNTY', 'TOWNSHIP'] } as const;
/**
 * The cubes (by category, channel and department): months and years at the county and
 * townships, days at the county only (a township's day by category, channel and department
 * holds one or two issues: as many rows as facts, each written by every import).
 */
const CUBE_GRAINS = { D: ['COUNTY'], M: ['COUNTY', 'TOWNSHIP'], Y: ['COUNTY', 'TOWNSHIP'] } as const;
/** A cadre's months and years (its days are about as many rows as its facts). */
const CADRE_GRAINS = { M: 'all', Y: 'all' } as const;
const REGION_LEVELS = ['COUNTY', 'TOWNSHIP'] as const;

/** Issue dimensions of the cube rollups; an unassigned issue is stored under department ''. */
const ISSUE_DIMS = [{ column: 'category' }, { column: 'channel' }, { column: 'department_id', none: '' }] as const;

const responses = (cond: string) => `SELECT f.id, f.region_id, f.cadre_id, f.responded_at, f.score FROM survey_responses f WHERE ${cond}`;
const visits = (cond: string) => `SELECT f.id, f.region_id, f.cadre_id, f.visited_at, f.kind, f.stay_days FROM visits f WHERE ${cond}`;

/**
 * Changes of "received and not closed" (BACKLOG) of the issues meeting `cond` (alias f =
 * issues): +1 when received; each closed spell (an event leaving the issue RESOLVED, EXPLAINED
 * or CLOSED, until its next event) −1 at its start and +1 at its end, never before receipt.
 * Keyed by the issue's stored category, channel, department and region.
 */
function backlogChanges(cond: string): string {
  const cols = 'f.id, f.region_id, f.category, f.channel, f.department_id';
  // Each closed spell once (its LEAD computed in one pass over the events), giving its −1 and,
  // when it ended, its +1: a two-row table picks which.
  const spells = `SELECT ${cols}, f.received_at, x.at, LEAD(x.at) OVER (PARTITION BY x.issue_id ORDER BY x.at, x.id) AS next_at, x.type
      FROM issue_events x JOIN issues f ON f.id = x.issue_id WHERE ${cond}`;
  return `SELECT ${cols}, f.received_at AS at, 1 AS d FROM issues f WHERE ${cond}
UNION ALL
SELECT y.id, y.region_id, y.category, y.channel, y.department_id,
       CASE WHEN s.d = -1 THEN (CASE WHEN y.at > y.received_at THEN y.at ELSE y.received_at END)
            ELSE (CASE WHEN y.next_at > y.received_at THEN y.next_at ELSE y.received_at END) END AS at, s.d
  FROM (${spells}) y JOIN (SELECT -1 AS d UNION ALL SELECT 1 AS d) s ON s.d = -1 OR y.next_at IS NOT NULL
 WHERE y.type IN (${CLOSED_TYPES_SQL})`;
}

export const SATISFACTION_ROLLUP: RollupDef = {
  name: 'satisfaction.v3',
  label: 'satisfaction',
  table: 'rollup_satisfaction',
  family: 'satisfaction',
  source: responses,
  at: 'responded_at',
  factTable: 'survey_responses',
  chunk: 'responded_at',
  levels: REGION_LEVELS,
  grains: REGION_GRAINS,
  dims: [],
  parts: () => [...SATISFACTION_PARTS],
  count: 'responses',
  datasets: ['survey_responses'],
};

export const VISITS_ROLLUP: RollupDef = {
  name: 'visits.v2',
  label: 'visits',
  table: 'rollup_visits',
  family: 'visits',
  source: visits,
  at: 'visited_at',
  factTable: 'visits',
  chunk: 'visited_at',
  levels: REGION_LEVELS,
  grains: REGION_GRAINS,
  dims: [],
  parts: visitParts,
  count: 'visits',
  // An issue that names a visit changes whether the visit raised one.
  datasets: ['visits', 'issues'],
};

/** The issue cohort by region only: overview, trend, rankings. */
export const ISSUES_ROLLUP: RollupDef = {
  name: 'issues.v1',
  label: 'issue cohort',
  table: 'rollup_issues',
  family: 'issues',
  source: (cond) => storedIssueFacts('f', cond),
  at: 'received_at',
  factTable: 'issues',
  chunk: 'received_at',
  levels: REGION_LEVELS,
  grains: REGION_GRAINS,
  dims: [],
  parts: issueParts,
  count: 'issuesReceived',
  datasets: ['issues', 'issue_events', 'survey_responses'],
};

/** The issue cohort by category, channel and department too: category panels, department views, issue filters. */
export const ISSUES_CUBE_ROLLUP: RollupDef = { ...ISSUES_ROLLUP, name: 'issues-cube.v1', label: 'issue cohort by category, channel and department', table: 'rollup_issues_cube', levels: ['COUNTY', 'TOWNSHIP'], grains: CUBE_GRAINS, dims: ISSUE_DIMS };

export const BACKLOG_ROLLUP: RollupDef = {
  name: 'backlog.v1',
  label: 'backlog changes',
  table: 'rollup_backlog',
  family: 'backlog',
  source: backlogChanges,
  at: 'at',
  factTable: 'issues',
  chunk: 'received_at',
  levels: REGION_LEVELS,
  grains: REGION_GRAINS,
  dims: [],
  parts: () => [...BACKLOG_PARTS],
  count: 'backlogChanges',
  datasets: ['issues', 'issue_events'],
};

export const BACKLOG_CUBE_ROLLUP: RollupDef = { ...BACKLOG_ROLLUP, name: 'backlog-cube.v1', label: 'backlog changes by category, channel and department', table: 'rollup_backlog_cube', levels: ['COUNTY', 'TOWNSHIP'], grains: CUBE_GRAINS, dims: ISSUE_DIMS };

/** Responses naming a cadre, by cadre (scorecards, CADRE queries over the whole county). */
export const CADRE_SATISFACTION_ROLLUP: RollupDef = {
  ...SATISFACTION_ROLLUP,
  name: 'cadre-satisfaction.v1',
  label: 'satisfaction by cadre',
  table: 'rollup_cadre_satisfaction',
  levels: null,
  grains: CADRE_GRAINS,
  key: 'cadre_id',
};

/** Visits by cadre (scorecards, CADRE queries over the whole county). */
export const CADRE_VISITS_ROLLUP: RollupDef = { ...VISITS_ROLLUP, name: 'cadre-visits.v1', label: 'visits by cadre', table: 'rollup_cadre_visits', levels: null, grains: CADRE_GRAINS, key: 'cadre_id' };

/**
 * Every issue's durations (to first response, to unit resolution) from its stored state, a row
 * per ancestor region: the exact percentiles need every value, and these rows are read in index
 * order by kind, level and receipt, with the region already placed (no join per value).
 */
export const DURATIONS_ROLLUP: RollupDef = {
  name: 'durations.v1',
  label: 'issue durations',
  table: 'rollup_durations',
  family: 'issueDurations',
  source: (cond) => `SELECT f.id, f.region_id, 'resolve' AS kind, f.received_at, f.resolved_at - f.received_at AS v, f.state_changed_at, f.category, f.channel, f.department_id
  FROM issues f WHERE f.resolved_at IS NOT NULL AND ${cond}
UNION ALL
SELECT f.id, f.region_id, 'firstResponse', f.received_at, f.first_response_at - f.received_at, f.state_changed_at, f.category, f.channel, f.department_id
  FROM issues f WHERE f.first_response_at IS NOT NULL AND ${cond}`,
  at: 'received_at',
  factTable: 'issues',
  chunk: 'received_at',
  levels: REGION_LEVELS,
  dims: ISSUE_DIMS,
  parts: () => [],
  count: '',
  rows: [
    { column: 'kind', type: 'VARCHAR(16)' },
    { column: 'received_at', type: 'BIGINT' },
    { column: 'v', type: 'BIGINT' },
    { column: 'state_changed_at', type: 'BIGINT' },
  ],
  // A response moves the issue's state_changed_at, which says when its stored values hold.
  datasets: ['issues', 'issue_events', 'survey_responses'],
};

/**
 * Visits naming a household (alias f: the visit with its household's region, `household_id`, and
 * `misplaced` 1 when the visit itself is recorded in another region).
 */
const HOUSEHOLD_VISITS =
  'SELECT v.id, v.household_id, v.visited_at, h.region_id, CASE WHEN v.region_id = h.region_id THEN 0 ELSE 1 END AS misplaced FROM visits v JOIN households h ON h.id = v.household_id';

/**
 * Visits of `base` (alias f) in chains — a household's visits, or a pairing's — each with the
 * instant of its chain's previous visit (`prev_at`, null for its first; equal instants ordered by
 * id), with `columns` of f. `source` is for conditions that keep whole chains (households,
 * pairings, regions): a window (LAG) over the chain (`partition`); with `fromMs` only the visits at
 * or after it (an import batch's and the ones after them: earlier visits keep their previous one
 * whatever is written after them), the first of each chain looking up the last one before
 * (`same` matches a visit pv of the chain, keyed by `keys`; idx_visits_household_cadre_at).
 * `chunkSource` is for any condition (a rebuild's month of visits): each previous visit looked up.
 */
function chainedVisits(base: string, c: { columns: readonly string[]; partition: string; keys: readonly string[]; same: (alias: string) => string }) {
  const cols = c.columns.map((x) => `f.${x}`).join(', ');
  const lag = `LAG(f.visited_at) OVER (PARTITION BY f.${c.partition} ORDER BY f.visited_at, f.id)`;
  const source = (cond: string, fromMs?: number) => {
    if (fromMs === undefined) {
      return `SELECT ${cols}, ${lag} AS prev_at
  FROM (${base}) f
 WHERE ${cond}`;
    }
    const from = Math.trunc(fromMs);
    return `SELECT ${c.columns.map((x) => `w.${x}`).join(', ')},
       COALESCE(w.lag_at, (SELECT MAX(pv.visited_at) FROM visits pv WHERE ${c.same('w')} AND pv.visited_at < ${from})) AS prev_at
  FROM (SELECT ${[cols, ...c.keys.filter((k) => !c.columns.includes(k)).map((k) => `f.${k}`)].join(', ')}, ${lag} AS lag_at
          FROM (${base}) f
         WHERE ${cond} AND f.visited_at >= ${from}) w`;
  };
  const chunkSource = (cond: string) => `SELECT ${cols},
       (SELECT MAX(pv.visited_at) FROM visits pv WHERE ${c.same('f')} AND (pv.visited_at < f.visited_at OR (pv.visited_at = f.visited_at AND pv.id < f.id))) AS prev_at
  FROM (${base}) f
 WHERE ${cond}`;
  return { source, chunkSource };
}

/** Visits naming a household in the chain of its visits. */
const HOUSEHOLD_CHAINS = chainedVisits(HOUSEHOLD_VISITS, {
  columns: ['id', 'region_id', 'visited_at', 'misplaced'],
  partition: 'household_id',
  keys: ['household_id'],
  same: (a) => `pv.household_id = ${a}.household_id`,
});

/**
 * VISIT_COVERAGE's households visited, by month: visits naming a household, by the month of the
 * household's previous visit (`prev_month`, '' for none). Households visited in months m…n are
 * exactly the visits of m…n whose previous visit is before m (each household's first visit
 * there), so a bucket of whole months sums its months' rows with `prev_month` < its first month:
 * a distinct count read from a few hundred rows per region. Placed by the household's region;
 * months at the county and townships. A visit changes its household's chain, so an import
 * contributes every visit of the households it touches (rollups.ts).
 */
export const COVERAGE_ROLLUP: RollupDef = {
  name: 'coverage.v2',
  label: 'households visited by month',
  table: 'rollup_coverage',
  family: 'households',
  ...HOUSEHOLD_CHAINS,
  at: 'visited_at',
  factTable: 'visits',
  chunk: 'visited_at',
  levels: REGION_LEVELS,
  grains: { M: ['COUNTY', 'TOWNSHIP'] },
  dims: [{ column: 'prev_month', monthOf: 'prev_at' }],
  // The visits recorded outside their household's region: where there are none, HOUSEHOLDS_VISITED
  // (placed by the visit's region) is the same count of households (metrics.service householdsVisited).
  parts: () => [{ name: 'householdVisits', expr: '1' }, { name: 'misplacedVisits', expr: 'f.misplaced' }],
  count: 'householdVisits',
  // A visit moves its household's chain; a household record moves its visits to its region.
  datasets: ['visits', 'households'],
  batchKey: 'household',
};

/**
 * A pairing's visits: the visits by its cadre to its household (idx_visits_household_cadre_at),
 * with the pairing (`pairing_id`, its first month `start_month`, its `ended_on`) and placed by the
 * household's region. A visit of a cadre paired twice with a household is a row of each pairing.
 */
const PAIRING_VISITS = `SELECT v.id, v.household_id, v.cadre_id, v.visited_at, h.region_id, p.id AS pairing_id, SUBSTR(p.started_on, 1, 7) AS start_month, p.ended_on
  FROM pairings p
  JOIN visits v ON v.household_id = p.household_id AND v.cadre_id = p.cadre_id
  JOIN households h ON h.id = p.household_id`;

/** A pairing's visits in the chain of the visits by its cadre to its household. */
const PAIRING_CHAINS = chainedVisits(PAIRING_VISITS, {
  columns: ['id', 'region_id', 'cadre_id', 'visited_at', 'start_month', 'ended_on'],
  partition: 'pairing_id',
  keys: ['household_id', 'cadre_id'],
  same: (a) => `pv.household_id = ${a}.household_id AND pv.cadre_id = ${a}.cadre_id`,
});

/**
 * PAIRED_COVERAGE's covered pairings, by month, as COVERAGE_ROLLUP counts households: a pairing's
 * visits by month and by the month of its previous visit (`prev_month`), and by the pairing's
 * first month (`start_month`) and the month of the day after it ended (`end_month`, '9999-12'
 * while it runs). The pairings visited in months m…n and active on the last day of n are the rows
 * of m…n with prev_month < m, start_month ≤ n and end_month > n (both stored as at least the
 * row's month: earlier values answer every bucket reading the row alike). Placed by the household's
 * region; months at the county and townships. A visit changes its pair's chain and a pairing its
 * own rows: a batch contributes every pairing visit of the households it touches.
 */
export const PAIRED_COVERAGE_ROLLUP: RollupDef = {
  name: 'paired-coverage.v2',
  label: 'pairings visited by month',
  table: 'rollup_paired_coverage',
  family: 'pairings',
  ...PAIRING_CHAINS,
  at: 'visited_at',
  factTable: 'visits',
  chunk: 'visited_at',
  levels: REGION_LEVELS,
  grains: { M: ['COUNTY', 'TOWNSHIP'] },
  // A pairing started or ended by the visit's month answers every bucket reading the row alike: stored as that month.
  dims: [{ column: 'prev_month', monthOf: 'prev_at' }, { column: 'start_month', atLeastPeriod: true }, { column: 'end_month', monthAfterDay: 'ended_on', none: '9999-12', atLeastPeriod: true }],
  parts: () => [{ name: 'pairingVisits', expr: '1' }],
  count: 'pairingVisits',
  // A visit moves its pair's chain; a household record moves its pairings to its region; a pairing record its own rows.
  datasets: ['visits', 'households', 'pairings'],
  batchKey: 'household',
};

/**
 * The same by cadre (scorecards, PAIRED_COVERAGE by CADRE over the whole county), by month and
 * by year: a year's rows keep the month of the previous visit only when it is before the year
 * (`atMostPeriod`: later ones are stored as January) and the first and end months only when they
 * are after it (stored as at least December), so a scorecard's year is one row or two per cadre
 * and pairing span, read in cadre order.
 */
export const CADRE_PAIRED_COVERAGE_ROLLUP: RollupDef = {
  ...PAIRED_COVERAGE_ROLLUP,
  name: 'cadre-paired-coverage.v3',
  label: 'pairings visited by cadre, month and year',
  table: 'rollup_cadre_paired_coverage',
  levels: null,
  grains: { M: 'all', Y: 'all' },
  dims: [{ column: 'prev_month', monthOf: 'prev_at', atMostPeriod: true }, ...PAIRED_COVERAGE_ROLLUP.dims.slice(1)],
  key: 'cadre_id',
  // Without regions, a household record changes nothing here.
  datasets: ['visits', 'pairings'],
};

/**
 * Households in scope (VISIT_COVERAGE's and PAIRED_HOUSEHOLD_RATE's denominator) per region at
 * the county and townships: households have no history, so every one sits on one day (the epoch:
 * `placed_at` 0) of one year, '1970', and the stock is that year's row of the region.
 */
export const HOUSEHOLD_COUNT_ROLLUP: RollupDef = {
  name: 'household-count.v1',
  label: 'households by region',
  table: 'rollup_households',
  family: 'households',
  source: (cond) => `SELECT f.id, f.region_id, 0 AS placed_at FROM households f WHERE ${cond}`,
  at: 'placed_at',
  factTable: 'households',
  // A rebuild takes the households a month of writes at a time (idx_households_updated).
  chunk: 'updated_at',
  levels: REGION_LEVELS,
  grains: { Y: ['COUNTY', 'TOWNSHIP'] },
  dims: [],
  parts: () => [{ name: 'households', expr: '1' }],
  count: 'households',
  datasets: ['households'],
};

/** Pairings with their household's region and record stamp (alias f: `household_id`, `region_id`, `updated_at`). */
const HOUSEHOLD_PAIRINGS = 'SELECT h.id AS household_id, h.region_id, h.updated_at, p.id, p.started_on, p.ended_on FROM households h JOIN pairings p ON p.household_id = h.id';

/** The last day of a pairing that has not ended (after every date the engine asks about). */
const OPEN_END = "'9999-12-31'";

/**
 * The spells during which each household meeting `cond` (on alias f: `household_id`, `region_id`,
 * `updated_at`) has a pairing active: its pairings in order of their first day, a pairing starting
 * after every earlier one's last day opening a new spell (a pairing starting the day after one ends
 * opens one too: the two changes cancel). A row per spell's first day (`started` 1) and per
 * ended spell's last day (`ended` 1), at `day`.
 */
const pairedSpells = (cond: string) => {
  const ordered = `SELECT f.household_id, f.region_id, f.id, f.started_on, COALESCE(f.ended_on, ${OPEN_END}) AS ended_on,
       MAX(COALESCE(f.ended_on, ${OPEN_END})) OVER (PARTITION BY f.household_id ORDER BY f.started_on, f.id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before_end
  FROM (${HOUSEHOLD_PAIRINGS}) f
 WHERE ${cond}`;
  const numbered = `SELECT o.household_id, o.region_id, o.started_on, o.ended_on,
       SUM(CASE WHEN o.before_end IS NULL OR o.before_end < o.started_on THEN 1 ELSE 0 END) OVER (PARTITION BY o.household_id ORDER BY o.started_on, o.id ROWS UNBOUNDED PRECEDING) AS spell
  FROM (${ordered}) o`;
  const spells = `SELECT n.household_id AS id, n.region_id, MIN(n.started_on) AS first_day, MAX(n.ended_on) AS last_day FROM (${numbered}) n GROUP BY n.household_id, n.region_id, n.spell`;
  return spellDays(spells, ['id', 'region_id']);
};

/**
 * A row per spell of `spells` (columns `first_day`, `last_day` — OPEN_END while it runs — and
 * `columns`) at its first day (`started` 1) and, when it ended, at its last day (`ended` 1), at
 * `day`: each spell read once, a two-row table picking which.
 */
const spellDays = (spells: string, columns: readonly string[]) => `SELECT ${columns.map((c) => `s.${c}`).join(', ')}, CASE e.k WHEN 1 THEN s.first_day ELSE s.last_day END AS day, 2 - e.k AS started, e.k - 1 AS ended
  FROM (${spells}) s JOIN (SELECT 1 AS k UNION ALL SELECT 2 AS k) e ON e.k = 1 OR s.last_day <> ${OPEN_END}`;

/** The parts and placement of a rollup of spells' first and last days (spellDays), by day at the county and townships. */
const spellRollup = (started: string, ended: string, count: string): Pick<RollupDef, 'at' | 'atDay' | 'levels' | 'grains' | 'dims' | 'parts' | 'count'> => ({
  at: 'day',
  atDay: true,
  levels: REGION_LEVELS,
  grains: REGION_GRAINS,
  dims: [],
  parts: () => [
    { name: started, expr: 'f.started' },
    { name: ended, expr: 'f.ended' },
    { name: count, expr: '1' },
  ],
  count,
});

/**
 * PAIRED_HOUSEHOLD_RATE's households with an active pairing on a day: the starts and ends of each
 * household's paired spells, by the day they fall on, at the county and townships (days, months,
 * years). Households paired on day d = spells started on or before d − spells ended before d (the
 * engine reads two stocks per bucket: starts up to its last day, ends up to the day before).
 * Placed by the household's region. A pairing changes its household's spells, so a batch of
 * pairings or households contributes every pairing of the households it names.
 */
export const PAIRED_HOUSEHOLDS_ROLLUP: RollupDef = {
  name: 'paired-households.v1',
  label: 'paired households by day',
  table: 'rollup_paired_households',
  family: 'households',
  source: pairedSpells,
  ...spellRollup('spellsStarted', 'spellsEnded', 'spellEdges'),
  factTable: 'households',
  // A rebuild takes the households a month of writes at a time (idx_households_updated), each with all its pairings.
  chunk: 'updated_at',
  datasets: ['households', 'pairings'],
  batchKey: 'household',
};

/**
 * Pairings (alias f: `id`, `household_id`, `cadre_id`, `region_id` the household's, `updated_at`)
 * meeting `cond`: a row at each one's first day (`started` 1) and, when it ended, at its last day
 * (`ended` 1), at `day`.
 */
const pairingDays = (cond: string) =>
  spellDays(
    `SELECT f.id, f.region_id, f.cadre_id, f.started_on AS first_day, COALESCE(f.ended_on, ${OPEN_END}) AS last_day
  FROM (SELECT p.id, p.household_id, p.cadre_id, p.started_on, p.ended_on, p.updated_at, h.region_id FROM pairings p JOIN households h ON h.id = p.household_id) f
 WHERE ${cond}`,
    ['id', 'region_id', 'cadre_id'],
  );

/**
 * PAIRED_COVERAGE's pairings active on a day (its denominator): pairings started and ended by
 * the day they fall on, at the county and townships (days, months, years), placed by the
 * household's region. Active on day d = started on or before d − ended before d (read as two
 * stocks per bucket, as PAIRED_HOUSEHOLDS_ROLLUP).
 */
export const PAIRINGS_ROLLUP: RollupDef = {
  name: 'pairings.v1',
  label: 'pairings by first and last day',
  table: 'rollup_pairings',
  family: 'pairings',
  source: pairingDays,
  ...spellRollup('pairingsStarted', 'pairingsEnded', 'pairingDays'),
  factTable: 'pairings',
  chunk: 'updated_at',
  // A pairings batch names its households (old and new): their pairings are contributed again; a household record moves its pairings.
  datasets: ['pairings', 'households'],
  batchKey: 'household',
};

/** The same by cadre, days too (scorecards, CADRE over the whole county: a year's stock reads its year rows and a few days). */
export const CADRE_PAIRINGS_ROLLUP: RollupDef = {
  ...PAIRINGS_ROLLUP,
  name: 'cadre-pairings.v1',
  label: 'pairings by cadre, first and last day',
  table: 'rollup_cadre_pairings',
  levels: null,
  grains: { D: 'all', M: 'all', Y: 'all' },
  key: 'cadre_id',
  datasets: ['pairings'],
};

/** Every rollup, in the order a rebuild takes them. */
export const ROLLUPS: readonly RollupDef[] = [
  SATISFACTION_ROLLUP,
  VISITS_ROLLUP,
  ISSUES_ROLLUP,
  ISSUES_CUBE_ROLLUP,
  BACKLOG_ROLLUP,
  BACKLOG_CUBE_ROLLUP,
  CADRE_SATISFACTION_ROLLUP,
  CADRE_VISITS_ROLLUP,
  DURATIONS_ROLLUP,
  COVERAGE_ROLLUP,
  HOUSEHOLD_COUNT_ROLLUP,
  PAIRED_COVERAGE_ROLLUP,
  CADRE_PAIRED_COVERAGE_ROLLUP,
  PAIRED_HOUSEHOLDS_ROLLUP,
  PAIRINGS_ROLLUP,
  CADRE_PAIRINGS_ROLLUP,
];
