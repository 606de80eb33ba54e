import type { DataSource } from 'typeorm';
import type { Config } from '../../config';
import { analyticsQuery } from '../../database/replica-reads';
import type { CadreRank } from '../../domain/enums';
import { badInput, UserError } from '../../domain/errors';
import type { Scope } from '../../domain/access';
import type { Measure } from '../analytics.enums';
import { meanOf, MetricValueData, rateOf } from '../catalogue';
import { countDays } from '../calendar';
import { badCursor, cursorOf, cursorPayload, pageSize } from '../../modules/shared/connection';
import { checkAsOf, MetricsService } from '../metrics.service';
import { rankWithBands } from './tie-bands';

/** The window a scorecard year covers, in the reporting zone. */
export interface ScorecardWindow {
  /** First and last counted local dates: 1 January, and 31 December or asOf's date in the year in progress. */
  firstDay: string;
  lastDay: string;
  /** The last instant counted: the end of the year, or asOf in the year in progress. */
  lastMs: number;
  /** Local days of the year counted so far (1 January to lastDay, both counted), and in the whole year. */
  elapsedDays: number;
  yearDays: number;
}

/**
 * Pace (进度, metrics.md): the stay-day quota pro rata, quota × elapsed days / days in the year;
 * behind pace (action.md BEHIND_PACE) when the stay days are below floor(that × 0.9).
 */
export function stayPace(quota: number, w: Pick<ScorecardWindow, 'elapsedDays' | 'yearDays'>): { pace: number; behind: (stayDays: number) => boolean } {
  const pace = (quota * w.elapsedDays) / w.yearDays;
  const line = Math.floor((quota * w.elapsedDays * 9) / (w.yearDays * 10));
  return { pace, behind: (stayDays) => stayDays < line };
}

/** One cadre's annual facts: the parts of the engine's measures by CADRE. */
export interface ScorecardFacts {
  cadreId: string;
  rank: CadreRank;
  visits: number;
  holidayVisits: number;
  stayDays: number;
  activePairings: number;
  coveredPairings: number;
  responses: number;
  satisfied: number;
  scoreSum: number;
}

/** The engine measures a scorecard is made of; their parts by cadre are its facts. */
const SCORECARD_MEASURES: Measure[] = ['VISITS', 'VILLAGE_STAY_DAYS', 'HOLIDAY_VISIT_SHARE', 'PAIRED_COVERAGE', 'RESPONSES', 'SATISFIED_RATE', 'SATISFACTION_AVG'];

/** Village-stay days and active pairings a cadre owes per year (domain.md). */
export const QUOTAS: Record<CadreRank, { stayDays: number; pairings: number }> = {
  LEADER: { stayDays: 30, pairings: 3 },
  STAFF: { stayDays: 60, pairings: 1 },
};

/** The composite's four parts, each from 0 to 1 (see compositeScore). */
export type CompositeParts = Config['scorecardWeights'];

/**
 * Credit for a quota: done / owed, counted up to `cap` × the quota and scaled so that the cap
 * earns 1 (meeting the quota exactly earns 1 / cap): those above quota still separate.
 */
export function quotaCredit(done: number, owed: number, cap: number): number {
  return Math.min(cap, done / owed) / cap;
}

/**
 * Satisfaction as the composite credits it: the satisfied rate shrunk towards the veto line by
 * MIN_RESPONSES imagined responses at that line, (k + m·line) / (n + m), so that 5 of 5 (0.8
 * at the defaults) does not beat 95 of 100 (0.933). A suppressed cell (n < MIN_RESPONSES)
 * counts as the line itself, whatever k is: the score must not reveal what suppression hides,
 * and unknown is neither zero nor perfect.
 */
export function satisfactionCredit(satisfied: number, responses: number, c: Pick<Config, 'minResponses' | 'vetoLine'>): number {
  if (responses < c.minResponses) return c.vetoLine;
  return (satisfied + c.minResponses * c.vetoLine) / (responses + c.minResponses);
}

/**
 * 100 × Σ weight·part (SCORECARD_WEIGHTS add up to 1), rounded to 9 decimals so that equal
 * scores reached by different sums compare equal and share a rank.
 */
export function compositeScore(parts: CompositeParts, w: Config['scorecardWeights']): number {
  const sum = w.stay * parts.stay + w.pairing * parts.pairing + w.coverage * parts.coverage + w.satisfaction * parts.satisfaction;
  return Math.round(sum * 1e11) / 1e9;
}

export type ScorecardOrder = 'COMPOSITE' | 'CADRE_ID';

/** One cadre's year, everything the GraphQL CadreScorecard shows except the cadre record itself. */
export interface ScorecardData {
  cadreId: string;
  year: number;
  stayDays: number;
  stayQuota: number;
  stayMet: boolean;
  /** The stay-day quota pro rata as of the window's last day (stayPace). */
  stayPace: number;
  /** Stay days below floor(pace × 0.9) (action.md BEHIND_PACE). */
  behindPace: boolean;
  activePairings: number;
  pairingQuota: number;
  pairingsMet: boolean;
  pairedCoverage: MetricValueData;
  visits: number;
  holidayVisitShare: MetricValueData;
  satisfaction: MetricValueData;
  satisfactionAvg: MetricValueData;
  composite: number;
  vetoed: boolean;
  vetoReason: string | null;
  /** Competition rank by composite among the cadres not vetoed; null when vetoed. */
  rank: number | null;
  /** Cadres with exactly equal composites share a band (the composite has no interval); null when vetoed. */
  tieBand: number | null;
}

export interface ScorecardPage {
  nodes: ScorecardData[];
  cursors: string[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  totalCount: number;
}

export interface ScorecardArgs {
  year: number;
  /** Facts and pace as of this instant (default now). */
  asOf?: Date | null;
  regionId?: string | null;
  first?: number | null;
  after?: string | null;
  orderBy?: ScorecardOrder | null;
}

const FIRST_YEAR = 2000;

/**
 * Cadre scorecards (量化考核) per calendar year in the reporting zone: the engine's measures by
 * CADRE over the year (visits, stay days, festival share, pairings and their coverage,
 * satisfaction; from the cadre rollups where they answer) give every visible cadre's facts;
 * quota, composite, veto, ranks and bands are worked out here for all of them (a rank needs
 * the whole field) and one page is cut out.
 */
export class ScorecardService {
  constructor(
    private readonly ds: DataSource,
    private readonly config: Readonly<Config>,
    private readonly engine: MetricsService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * The window of `year` as of `asOf` (default now): 1 Jan to 31 Dec, or to asOf for the year in
   * progress (a year after asOf's is refused).
   */
  window(year: number, asOf: Date | null = null): ScorecardWindow {
    const zone = this.config.reportingTimeZone;
    const at = asOf ?? this.now();
    const today = this.engine.calendar.today(zone, at);
    const current = Number(today.slice(0, 4));
    if (!Number.isInteger(year) || year < FIRST_YEAR || year > current) {
      throw badInput(`"year" must be from ${FIRST_YEAR} to ${current}, got ${year}`, { argument: 'year' });
    }
    const firstDay = `${year}-01-01`;
    const lastDay = year === current ? today : `${year}-12-31`;
    const endOfYear = this.engine.calendar.endOfDay(`${year}-12-31`, zone);
    const lastMs = year === current && !asOf ? this.engine.calendar.endOfDay(today, zone) - 1 : Math.min(endOfYear - 1, at.getTime());
    return { firstDay, lastDay, lastMs, elapsedDays: countDays(firstDay, lastDay), yearDays: countDays(firstDay, `${year}-12-31`) };
  }

  /** Every visible cadre's scorecard for `year` (as of `asOf`, default now), ranked (vetoed cadres last, unranked). */
  async all(year: number, scope: Scope, regionId: string | null = null, asOf: Date | null = null): Promise<ScorecardData[]> {
    const { placed, w } = await this.ranked(year, scope, regionId, asOf);
    return placed.map((p) => this.placedCard(year, p, w));
  }

  /**
   * Every visible cadre's place in the year's ranking, from its composite and veto alone: a page
   * builds the cards it shows only (82,000 cadres in a city).
   */
  private async ranked(year: number, scope: Scope, regionId: string | null, asOf: Date | null): Promise<{ placed: Placed[]; w: ScorecardWindow }> {
    if (asOf !== null) checkAsOf(asOf);
    const w = this.window(year, asOf);
    if (regionId !== null) await this.checkRegion(scope, regionId);
    const facts = await this.facts(w, scope, regionId);
    const scored: Placed[] = facts.map((f) => ({ cadreId: f.cadreId, facts: f, ...this.score(f, w), rank: null, tieBand: null }));
    const byId = (a: Placed, b: Placed) => (a.cadreId < b.cadreId ? -1 : a.cadreId > b.cadreId ? 1 : 0);
    // The composite is a rule's score, not an estimate: its one sampled part (satisfaction) is
    // already shrunk for small samples, so only equal scores tie (a propagated Wilson interval
    // chains most of a county into the first band; dashboard README "Cadre scorecards").
    const ranked = rankWithBands(
      scored.filter((c) => !c.vetoed),
      (c) => ({ value: c.composite, low: null, high: null }),
      byId,
    );
    const vetoed = scored.filter((c) => c.vetoed).sort((a, b) => b.composite - a.composite || byId(a, b));
    return { placed: [...ranked, ...vetoed], w };
  }

  private placedCard(year: number, p: Placed, w: ScorecardWindow): ScorecardData {
    return { ...this.card(year, p.facts, w), rank: p.rank, tieBand: p.tieBand };
  }

  /** One page in keyset order: by (vetoed, composite desc, id) or by cadre id. */
  async page(args: ScorecardArgs, scope: Scope): Promise<ScorecardPage> {
    const order = args.orderBy ?? 'COMPOSITE';
    const first = pageSize(args.first, this.config.limits.maxPageSize);
    const after = args.after != null ? decodeCursor(order, args.after) : null;
    const { placed, w } = await this.ranked(args.year, scope, args.regionId ?? null, args.asOf ?? null);
    const cards = order === 'CADRE_ID' ? [...placed].sort((a, b) => (a.cadreId < b.cadreId ? -1 : a.cadreId > b.cadreId ? 1 : 0)) : placed;
    const keyOf = (c: ScorecardData) => encodeCursor(order, c);
    let start = 0;
    if (after !== null) {
      // Keyset: the first card strictly after the cursor's key, so rows that appear or move
      // between two pages never repeat one already shown.
      start = cards.findIndex((c) => compareKey(order, keyTuple(order, c), after) > 0);
      if (start < 0) start = cards.length;
    }
    const nodes = cards.slice(start, start + first).map((p) => this.placedCard(args.year, p, w));
    return {
      nodes,
      cursors: nodes.map(keyOf),
      hasNextPage: start + first < cards.length,
      hasPreviousPage: args.after != null,
      totalCount: cards.length,
    };
  }

  /**
   * Every visible cadre (home region in the scope, and under `regionId`) with its facts of the
   * window: the engine's parts by CADRE, counted in the scope by the facts' own region (a
   * pairing by its household's), as every measure is; `regionId` selects cadres, not facts.
   */
  private async facts(w: ScorecardWindow, scope: Scope, regionId: string | null): Promise<ScorecardFacts[]> {
    const joins: string[] = [];
    const params: unknown[] = [];
    for (const [alias, root] of [['cs', scope.regionId], ['cf', regionId]] as const) {
      if (root === null) continue;
      joins.push(`JOIN region_closure ${alias} ON ${alias}.descendant_id = c.region_id AND ${alias}.ancestor_id = ?`);
      params.push(root);
    }
    const cadres = await analyticsQuery<{ id: string; rank: CadreRank }>(this.ds, `SELECT c.id, c.rank FROM cadres c ${joins.join(' ')} ORDER BY c.id`, params);
    const { cells } = await this.engine.computeParts(
      { measures: SCORECARD_MEASURES, dimensions: ['CADRE'], from: w.firstDay, to: w.lastDay, timeZone: this.config.reportingTimeZone, asOf: new Date(w.lastMs) },
      scope,
    );
    const byCadre = new Map(cells.map((c) => [c.key[2], c.parts]));
    const n = (v: number | undefined) => v ?? 0;
    return cadres.map(({ id, rank }) => {
      const p = byCadre.get(String(id)) ?? {};
      return {
        cadreId: String(id),
        rank,
        visits: n(p.visits),
        holidayVisits: n(p.holidayVisits),
        stayDays: n(p.villageStayDays),
        // One bucket: the stock of active pairings is its one change (metrics.service assemble).
        activePairings: n(p.pairingsDelta),
        coveredPairings: n(p.coveredPairings),
        responses: n(p.responses),
        satisfied: n(p.satisfied),
        scoreSum: n(p.scoreSum),
      };
    });
  }

  /** What ranks a cadre: its composite and whether the satisfaction veto strikes it. */
  private score(f: ScorecardFacts, window: ScorecardWindow): { composite: number; vetoed: boolean } {
    const quota = QUOTAS[f.rank] ?? QUOTAS.STAFF;
    const composite = compositeScore(
      {
        stay: quotaCredit(f.stayDays, stayPace(quota.stayDays, window).pace, this.config.scorecardQuotaCap),
        pairing: quotaCredit(f.activePairings, quota.pairings, this.config.scorecardQuotaCap),
        // PAIRED_COVERAGE's value (rateOf: k / n), 0 without active pairings.
        coverage: f.activePairings > 0 ? f.coveredPairings / f.activePairings : 0,
        satisfaction: satisfactionCredit(f.satisfied, f.responses, this.config),
      },
      this.config.scorecardWeights,
    );
    // k/n is the correctly rounded ratio, so a rate exactly at the line compares equal to it.
    const vetoed = f.responses >= this.config.minResponses && f.satisfied / f.responses < this.config.vetoLine;
    return { composite, vetoed };
  }

  private card(year: number, f: ScorecardFacts, window: ScorecardWindow): ScorecardData {
    const quota = QUOTAS[f.rank] ?? QUOTAS.STAFF;
    const pace = stayPace(quota.stayDays, window);
    const coverage = rateOf('PAIRED_COVERAGE', f.coveredPairings, f.activePairings);
    const suppressed = f.responses < this.config.minResponses;
    const satisfaction = suppressed ? suppressedOf('SATISFIED_RATE') : rateOf('SATISFIED_RATE', f.satisfied, f.responses);
    const { composite, vetoed } = this.score(f, window);
    return {
      cadreId: f.cadreId,
      year,
      stayDays: f.stayDays,
      stayQuota: quota.stayDays,
      stayMet: f.stayDays >= quota.stayDays,
      stayPace: pace.pace,
      behindPace: pace.behind(f.stayDays),
      activePairings: f.activePairings,
      pairingQuota: quota.pairings,
      pairingsMet: f.activePairings >= quota.pairings,
      pairedCoverage: coverage,
      visits: f.visits,
      holidayVisitShare: rateOf('HOLIDAY_VISIT_SHARE', f.holidayVisits, f.visits),
      satisfaction,
      satisfactionAvg: suppressed ? suppressedOf('SATISFACTION_AVG') : meanOf('SATISFACTION_AVG', f.scoreSum, f.responses),
      composite,
      vetoed,
      vetoReason: vetoed
        ? `满意率 ${fmtPct(f.satisfied / f.responses)} 低于一票否决线 ${fmtPct(this.config.vetoLine)} (satisfied rate below the veto line)`
        : null,
      rank: null,
      tieBand: null,
    };
  }

  /**
   * A regionId filter must name a region inside the scope: FORBIDDEN otherwise. An unknown id is
   * NOT_FOUND only for an unscoped caller, so a scoped one cannot probe which ids exist.
   */
  private async checkRegion(scope: Scope, regionId: string): Promise<void> {
    const rows = await analyticsQuery<{ inside: number | string }>(
      this.ds,
      `SELECT COUNT(c.ancestor_id) AS inside FROM regions r
         LEFT JOIN region_closure c ON c.descendant_id = r.id AND c.ancestor_id = ?
        WHERE r.id = ? GROUP BY r.id`,
      [scope.regionId ?? regionId, regionId],
    );
    if (rows.length === 0 && scope.regionId === null) throw new UserError('NOT_FOUND', `region ${regionId} does not exist`);
    if (rows.length === 0 || Number(rows[0].inside) === 0) throw new UserError('FORBIDDEN', `region ${regionId} is outside your scope`);
  }
}

/** A satisfaction value hidden by the privacy threshold (as the engine hides it). */
const suppressedOf = (measure: Measure): MetricValueData => ({ measure, value: null, numerator: null, denominator: null, low: null, high: null, suppressed: true });

function fmtPct(x: number): string {
  return `${(Math.round(x * 1000) / 10).toFixed(1)}%`;
}

type Key = [number, number, string] | [string];

/** A cadre's place in a year's ranking, before its card is built (ScorecardService.ranked). */
type Placed = Pick<ScorecardData, 'cadreId' | 'composite' | 'vetoed' | 'rank' | 'tieBand'> & { facts: ScorecardFacts };

function keyTuple(order: ScorecardOrder, c: Pick<ScorecardData, 'cadreId' | 'composite' | 'vetoed'>): Key {
  return order === 'CADRE_ID' ? [c.cadreId] : [c.vetoed ? 1 : 0, c.composite, c.cadreId];
}

/** >0 when `a` sorts after `b`. */
function compareKey(order: ScorecardOrder, a: Key, b: Key): number {
  const cmpId = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  if (order === 'CADRE_ID') return cmpId(a[0] as string, b[0] as string);
  const [av, ac, ai] = a as [number, number, string];
  const [bv, bc, bi] = b as [number, number, string];
  return av - bv || bc - ac || cmpId(ai, bi);
}

function encodeCursor(order: ScorecardOrder, c: ScorecardData): string {
  return cursorOf([order === 'CADRE_ID' ? 'I' : 'C', ...keyTuple(order, c)]);
}

function decodeCursor(order: ScorecardOrder, cursor: string): Key {
  const bad = () => badCursor(cursor);
  const p = cursorPayload(cursor);
  const isId = (x: unknown): x is string => typeof x === 'string' && x.length > 0 && x.length <= 64;
  if (order === 'CADRE_ID' && p.length === 2 && p[0] === 'I' && isId(p[1])) return [p[1]];
  if (order === 'COMPOSITE' && p.length === 4 && p[0] === 'C' && (p[1] === 0 || p[1] === 1) && typeof p[2] === 'number' && Number.isFinite(p[2]) && isId(p[3])) {
    return [p[1], p[2], p[3]];
  }
  throw bad();
}
