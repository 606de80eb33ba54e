import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import type { Config } from '../../config';
import { dialectOf } from '../../database/dialect';
import type { Scope } from '../../domain/access';
import { badInput, UserError } from '../../domain/errors';
import { Cadre } from '../../modules/cadres/cadre.entity';
import { Household } from '../../modules/households/household.entity';
import { Issue } from '../../modules/issues/issue.entity';
import { Pairing } from '../../modules/pairings/pairing.entity';
import { SurveyResponse } from '../../modules/surveys/survey-response.entity';
import { Visit } from '../../modules/visits/visit.entity';
import { decodeCursor, encodeCursor, KeysetOrder, Page, pageSize, PageRequest } from '../../modules/shared/connection';
import type { Calendar } from '../calendar';
import { DrillCell, DrillContext, drillTarget, DrillTarget } from './drills';
import { checkAsOf } from '../metrics.service';
import { render } from '../measures/query-plan';
import {
  AsOfFilter,
  CadreRecordFilter,
  HouseholdRecordFilter,
  IssueRecordFilter,
  PairingRecordFilter,
  RecordFilterOf,
  RecordListName,
  SurveyRecordFilter,
  VisitRecordFilter,
} from './record-filters';
import {
  Branch,
  cadreListSql,
  householdListSql,
  issueListSql,
  ListContext,
  ListSql,
  pairingListSql,
  Parents,
  surveyListSql,
  visitListSql,
} from './record-lists.sql';

/** A page of records; `stored` are the nodes whose values are the stored record (safe to prime a by-id loader with). */
export interface RecordPage<T> extends Page<T> {
  stored: T[];
}

export type RecordEntity = Issue | Visit | SurveyResponse | Household | Pairing | Cadre;

/** The lists the service reads, with their entity, filter and SQL. */
const LISTS = {
  issues: { entity: Issue, sql: issueListSql },
  visits: { entity: Visit, sql: visitListSql },
  surveyResponses: { entity: SurveyResponse, sql: surveyListSql },
  households: { entity: Household, sql: householdListSql },
  pairings: { entity: Pairing, sql: pairingListSql },
  cadres: { entity: Cadre, sql: cadreListSql },
} as const;
type ListName = keyof typeof LISTS;
type FilterOf = RecordFilterOf & { cadres: CadreRecordFilter };
type EntityOf = { issues: Issue; visits: Visit; surveyResponses: SurveyResponse; households: Household; pairings: Pairing; cadres: Cadre };

/** The relations both ways (action.md): which list, and how its rows name their parent. */
export const RELATIONS = {
  regionHouseholds: { list: 'households', parents: { kind: 'region', column: 'region_id' } },
  regionIssues: { list: 'issues', parents: { kind: 'region', column: 'region_id' } },
  regionVisits: { list: 'visits', parents: { kind: 'region', column: 'region_id' } },
  regionCadres: { list: 'cadres', parents: { kind: 'region', column: 'region_id' } },
  householdVisits: { list: 'visits', parents: { kind: 'column', column: 'household_id' } },
  householdIssues: { list: 'issues', parents: { kind: 'column', column: 'household_id' } },
  householdSurveys: { list: 'surveyResponses', parents: { kind: 'column', column: 'household_id' } },
  cadreVisits: { list: 'visits', parents: { kind: 'column', column: 'cadre_id' } },
  cadreSurveys: { list: 'surveyResponses', parents: { kind: 'column', column: 'cadre_id' } },
} as const satisfies Record<string, { list: ListName; parents: Omit<Parents, 'ids'> }>;
export type RelationName = keyof typeof RELATIONS;
export type RelationList<R extends RelationName> = (typeof RELATIONS)[R]['list'];

/** Tables whose rows are scoped by their own region column, for checking ids a filter names. */
const NAMED: Record<string, { table: string; region: string; what: string }> = {
  regionId: { table: 'regions', region: 'id', what: 'region' },
  householdId: { table: 'households', region: 'region_id', what: 'household' },
  cadreId: { table: 'cadres', region: 'region_id', what: 'cadre' },
  cadreIds: { table: 'cadres', region: 'region_id', what: 'cadre' },
  issueId: { table: 'issues', region: 'region_id', what: 'issue' },
  visitId: { table: 'visits', region: 'region_id', what: 'visit' },
};

export interface RecordsServiceOptions {
  calendar: Calendar;
  /** The zone of local dates when a filter names none; null: a local date then needs `timeZone`. */
  defaultTimeZone?: string | null;
  /** A cadre scorecard year's window (ScorecardService.window), for drill-through from scorecard cells. */
  scorecardWindow?: DrillContext['scorecardWindow'];
}

/**
 * The records behind a number (action.md): the lists of issues, visits, survey responses,
 * households and pairings under the filters the measures need, the relations both ways as
 * paged connections (one statement per level for all parents), and the whole of a list in
 * keyset batches for CSV. Every list reads in the caller's scope; the SQL is in
 * record-lists.sql.ts, built from the engine's own parts.
 */
export class RecordsService {
  readonly calendar: Calendar;
  private readonly defaultZone: string | null;

  constructor(
    private readonly ds: DataSource,
    private readonly config: Readonly<Config>,
    private readonly options: RecordsServiceOptions,
  ) {
    this.calendar = options.calendar;
    this.defaultZone = options.defaultTimeZone === undefined ? config.reportingTimeZone : options.defaultTimeZone;
  }

  /** The list (and filter) behind a metrics cell's count (drills.ts); BAD_USER_INPUT names what cannot apply. */
  drill(cell: DrillCell): DrillTarget {
    return drillTarget(cell, {
      calendar: this.calendar,
      defaultZone: this.defaultZone ?? this.config.reportingTimeZone,
      scorecardWindow: (year, asOf) => {
        if (!this.options.scorecardWindow) throw badInput('year is not available here', { argument: 'year' });
        return this.options.scorecardWindow(year, asOf);
      },
      now: () => Date.now(),
    });
  }

  /** The number a drill target's list adds up to: its records, or (VILLAGE_STAY_DAYS) their stay days. */
  async total(target: DrillTarget, scope: Scope): Promise<number> {
    if (target.total === 'stayDays' && target.list === 'visits') return this.stayDays(scope, target.filter);
    return this.count(target.list, scope, target.filter as never);
  }

  /** The latest visit (up to asOf, default now) by each pairing's cadre to its household, in one statement. */
  async lastVisits(scope: Scope, pairingIds: readonly string[], asOf: Date | null = null): Promise<Map<string, Date | null>> {
    const params: unknown[] = [...pairingIds, checkAsOf(asOf)];
    const inScope = scope.regionId === null ? '' : ' AND v.region_id IN (SELECT c.descendant_id FROM region_closure c WHERE c.ancestor_id = ?)';
    if (scope.regionId !== null) params.push(scope.regionId);
    const rows: Array<{ id: string; at: unknown }> = await this.ds.query(
      `SELECT p.id, MAX(v.visited_at) AS at FROM pairings p JOIN visits v ON v.cadre_id = p.cadre_id AND v.household_id = p.household_id
        WHERE p.id IN (${pairingIds.map(() => '?').join(', ')}) AND v.visited_at <= ?${inScope} GROUP BY p.id`,
      params,
    );
    const at = new Map(rows.map((r) => [String(r.id), r.at == null ? null : new Date(Number(r.at))]));
    return new Map(pairingIds.map((id) => [id, at.get(id) ?? null]));
  }

  /** The zone, instant and scope a filter is read in. */
  context(scope: Scope, filter: AsOfFilter): ListContext {
    return {
      dialect: dialectOf(this.ds),
      calendar: this.calendar,
      config: this.config,
      scopeRoot: scope.regionId,
      asOfMs: checkAsOf(filter.asOf),
      zone: filter.timeZone ? this.calendar.checkZone(filter.timeZone) : this.defaultZone,
    };
  }

  /** A page of a list, newest first (issues, visits, responses) or by id; one statement, plus a COUNT if `count()` is called. */
  async page<K extends ListName>(list: K, scope: Scope, filter: FilterOf[K], page: PageRequest, byId = false): Promise<RecordPage<EntityOf[K]>> {
    const listed = this.sql(list, scope, filter);
    const q = byId ? { ...listed, orderColumn: null } : listed;
    const first = pageSize(page.first, page.maxPageSize);
    const order = orderOf(q);
    const after = page.after === null || page.after === undefined ? null : decodeCursor(order, page.after);
    const rows = await this.run(pageSql(q, first + 1, after));
    const nodes = rows.map((r) => this.hydrate<EntityOf[K]>(q, r));
    return {
      edges: nodes.slice(0, first).map((node) => ({ cursor: encodeCursor(order, node), node })),
      hasNextPage: nodes.length > first,
      hasPreviousPage: after !== null,
      count: async () => Number((await this.run(countSql(q)))[0]?.n ?? 0),
      stored: nodes.slice(0, first).filter((_n, i) => !isDerived(rows[i])),
    };
  }

  /** How many records a list holds. */
  async count<K extends ListName>(list: K, scope: Scope, filter: FilterOf[K]): Promise<number> {
    return Number((await this.run(countSql(this.sql(list, scope, filter))))[0]?.n ?? 0);
  }

  /** Sum of stay days (default 1) of the village-stay visits of a list (VILLAGE_STAY_DAYS drill-through). */
  async stayDays(scope: Scope, filter: VisitRecordFilter): Promise<number> {
    const q = this.sql('visits', scope, filter);
    const b = q.branches[0];
    const rows = await this.run({ sql: `SELECT SUM(CASE WHEN f.kind = 'VILLAGE_STAY' THEN COALESCE(f.stay_days, 1) ELSE 0 END) AS n FROM ${b.from} WHERE ${where(b)}`, params: q.params });
    return Number(rows[0]?.n ?? 0);
  }

  /**
   * Each parent's first page of a relation (after a cursor, if given, in every parent's list)
   * in one statement: the rows ranked per parent with ROW_NUMBER() and cut at first + 1.
   */
  async firstPages<R extends RelationName>(relation: R, parentIds: readonly string[], scope: Scope, filter: FilterOf[RelationList<R>], page: PageRequest): Promise<Map<string, RecordPage<EntityOf[RelationList<R>]>>> {
    const rel = RELATIONS[relation];
    const first = pageSize(page.first, page.maxPageSize);
    // Few parents (a level of townships, one household): each its own ORDER BY … LIMIT in one
    // UNION ALL, an index range each; many parents: ROW_NUMBER over them all, one sort.
    const few = parentIds.length <= PER_PARENT_MAX;
    const q = this.sql(rel.list, scope, filter, { ...rel.parents, ids: parentIds });
    const order = orderOf(q);
    const after = page.after === null || page.after === undefined ? null : decodeCursor(order, page.after);
    const st = few
      ? perParentPageSql(parentIds.map((id, k) => this.sql(rel.list, scope, filter, { ...rel.parents, ids: [id] }, `q${k}_`)), first + 1, after)
      : groupPageSql(q, first + 1, after);
    const rows = await this.run(st);
    const byParent = new Map<string, Array<{ node: EntityOf[RelationList<R>]; derived: boolean }>>();
    for (const r of rows) {
      const key = String(r.parent_key);
      const list = byParent.get(key) ?? [];
      list.push({ node: this.hydrate(q, r), derived: isDerived(r) });
      byParent.set(key, list);
    }
    return new Map(
      parentIds.map((id) => {
        const got = byParent.get(id) ?? [];
        const kept = got.slice(0, first);
        return [
          id,
          {
            edges: kept.map(({ node }) => ({ cursor: encodeCursor(order, node), node })),
            hasNextPage: got.length > first,
            hasPreviousPage: after !== null,
            count: () => Promise.reject(new Error('relation counts come from counts()')),
            stored: kept.filter((x) => !x.derived).map((x) => x.node),
          },
        ];
      }),
    );
  }

  /** Each parent's number of records in a relation, in one statement. */
  async counts<R extends RelationName>(relation: R, parentIds: readonly string[], scope: Scope, filter: FilterOf[RelationList<R>]): Promise<Map<string, number>> {
    const rel = RELATIONS[relation];
    const q = this.sql(rel.list, scope, filter, { ...rel.parents, ids: parentIds });
    const rows = await this.run({ sql: `SELECT g.parent_key, COUNT(*) AS n FROM (${union(q)}) g GROUP BY g.parent_key`, params: q.params });
    const n = new Map(rows.map((r) => [String(r.parent_key), Number(r.n)]));
    return new Map(parentIds.map((id) => [id, n.get(id) ?? 0]));
  }

  /**
   * The whole list in keyset batches (one statement each), for a CSV stream: memory holds one
   * batch, however long the list. `each` may be slow (backpressure); the next batch waits for it.
   * By id: each batch is a primary-key range (newest first, MariaDB sorted every row before the
   * cursor again for each batch: 5.6 s for the demo county's 97k visits, 0.64 s by id).
   */
  async forEachBatch<K extends RecordListName>(list: K, scope: Scope, filter: FilterOf[K], batch: number, each: (rows: EntityOf[K][]) => Promise<void>): Promise<number> {
    // asOf is fixed once, so every batch reads the same state.
    const fixed = { ...filter, asOf: new Date(checkAsOf(filter.asOf)) } as FilterOf[K];
    let after: string | null = null;
    let total = 0;
    for (;;) {
      const page: RecordPage<EntityOf[K]> = await this.page(list, scope, fixed, { first: batch, after, maxPageSize: batch }, true);
      total += page.edges.length;
      if (page.edges.length) await each(page.edges.map((e) => e.node));
      if (!page.hasNextPage) return total;
      after = page.edges[page.edges.length - 1].cursor;
    }
  }

  /**
   * For callers without the GraphQL access guard (the CSV route): an id the filter names that
   * exists outside the scope is FORBIDDEN (an unknown one just matches nothing).
   */
  async checkNamedIds(scope: Scope, filter: object): Promise<void> {
    if (scope.regionId === null) return;
    const named: Array<[string, string]> = [];
    const collect = (o: object) => {
      for (const [k, v] of Object.entries(o)) {
        if (v === null || v === undefined) continue;
        if (NAMED[k]) for (const id of Array.isArray(v) ? v : [v]) if (typeof id === 'string') named.push([k, id]);
        if (typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date)) collect(v);
      }
    };
    collect(filter);
    for (const [k, id] of named) {
      const t = NAMED[k];
      const rows: Array<{ inside: unknown }> = await this.ds.query(
        `SELECT (SELECT COUNT(*) FROM region_closure c WHERE c.ancestor_id = ? AND c.descendant_id = x.${t.region}) AS inside FROM ${t.table} x WHERE x.id = ?`,
        [scope.regionId, id],
      );
      if (rows.length && Number(rows[0].inside) === 0) throw new UserError('FORBIDDEN', `${t.what} ${id} is outside your region`);
    }
  }

  /** Checks a filter as reading it would (zone, dates: BAD_USER_INPUT), without reading: before a stream's first byte. */
  check<K extends ListName>(list: K, scope: Scope, filter: FilterOf[K]): void {
    this.sql(list, scope, filter);
  }

  /** Typed entry points of the root lists. */
  issues(scope: Scope, f: IssueRecordFilter, page: PageRequest) {
    return this.page('issues', scope, f, page);
  }
  visits(scope: Scope, f: VisitRecordFilter, page: PageRequest) {
    return this.page('visits', scope, f, page);
  }
  surveyResponses(scope: Scope, f: SurveyRecordFilter, page: PageRequest) {
    return this.page('surveyResponses', scope, f, page);
  }
  households(scope: Scope, f: HouseholdRecordFilter, page: PageRequest) {
    return this.page('households', scope, f, page);
  }
  pairings(scope: Scope, f: PairingRecordFilter, page: PageRequest) {
    return this.page('pairings', scope, f, page);
  }

  private sql<K extends ListName>(list: K, scope: Scope, filter: FilterOf[K], parents?: Parents, paramPrefix?: string): ListSql {
    const build = LISTS[list].sql as (ctx: ListContext, f: FilterOf[K], parents?: Parents) => ListSql;
    return build({ ...this.context(scope, filter as AsOfFilter), paramPrefix }, filter, parents);
  }

  private async run(st: { sql: string; params: Record<string, unknown> }): Promise<Array<Record<string, unknown>>> {
    const { sql, params } = render(st);
    return this.ds.query(sql, params);
  }

  /** A row as its entity, through the entity's own column transformers (instants, tags, booleans). */
  private hydrate<T>(q: ListSql, row: Record<string, unknown>): T {
    const entity = ENTITY_OF[q.table];
    const meta = this.ds.getMetadata(entity);
    const out = new (entity as unknown as new () => ObjectLiteral)();
    for (const c of meta.columns) {
      const raw = row[c.databaseName];
      let v: unknown = raw === undefined ? null : raw;
      if (c.transformer && !Array.isArray(c.transformer)) v = c.transformer.from(v);
      else if (v !== null && (c.type === 'int' || c.type === 'integer')) v = Number(v);
      out[c.propertyName] = v;
    }
    return out as T;
  }
}

const ENTITY_OF: Record<ListSql['table'], EntityTarget<ObjectLiteral>> = {
  issues: Issue,
  visits: Visit,
  survey_responses: SurveyResponse,
  households: Household,
  pairings: Pairing,
  cadres: Cadre,
};
const PROPERTY_OF: Record<string, string> = { received_at: 'receivedAt', visited_at: 'visitedAt', responded_at: 'respondedAt' };

const orderOf = (q: ListSql): KeysetOrder => (q.orderColumn ? { by: 'newest', property: PROPERTY_OF[q.orderColumn] } : { by: 'id' });
const isDerived = (r: Record<string, unknown>) => Number(r.derived ?? 0) === 1;
const where = (b: Branch, extra: string[] = []) => [...b.where, ...extra].join(' AND ') || '1 = 1';
const branchSql = (b: Branch, extra: string[] = []) => `SELECT ${b.select} FROM ${b.from} WHERE ${where(b, extra)}`;
const union = (q: ListSql) => q.branches.map((b) => branchSql(b)).join('\nUNION ALL\n');

/** ORDER BY of a list on alias `a`. */
const orderBy = (q: ListSql, a: string) => (q.orderColumn ? `${a}.${q.orderColumn} DESC, ${a}.id DESC` : `${a}.id ASC`);

/** The keyset condition after a cursor on alias `a` (the redundant `<=` gives the optimizer a range on the time index). */
function keyset(q: ListSql, a: string, after: { at: number | null; id: string } | null, params: Record<string, unknown>): string[] {
  if (!after) return [];
  params.p_after_id = after.id;
  if (!q.orderColumn) return [`${a}.id > :p_after_id`];
  params.p_after_at = after.at;
  const k = `${a}.${q.orderColumn}`;
  return [`${k} <= :p_after_at`, `(${k} < :p_after_at OR ${a}.id < :p_after_id)`];
}

/** The issue columns that are not facts, added to the page's rows. */
function finished(q: ListSql, inner: string, order: string): string {
  if (!q.finish) return `${inner}`;
  const f = q.finish('pg');
  return `SELECT pg.*, ${f.select} FROM (${inner}) pg ${f.join} ORDER BY ${order}`;
}

/**
 * One page: with one branch a plain ORDER BY … LIMIT (an index scan); with two, each branch
 * cut at the limit first, so neither is read whole for a page.
 */
function pageSql(q: ListSql, limit: number, after: { at: number | null; id: string } | null): { sql: string; params: Record<string, unknown> } {
  const params = { ...q.params };
  const cut = (b: Branch) => `${branchSql(b, keyset(q, 'f', after, params))} ORDER BY ${orderBy(q, 'f')} LIMIT ${limit}`;
  const inner = q.branches.length === 1 ? cut(q.branches[0]) : `${q.branches.map((b, i) => `SELECT * FROM (${cut(b)}) b${i}`).join('\nUNION ALL\n')}\nORDER BY ${orderBy(q, 'u').replace(/u\./g, '')} LIMIT ${limit}`;
  return { sql: finished(q, inner, orderBy(q, 'pg')), params };
}

/** COUNT of a list: over its one table, or over the union of its branches. */
function countSql(q: ListSql): { sql: string; params: Record<string, unknown> } {
  if (q.branches.length === 1) {
    const b = q.branches[0];
    return { sql: `SELECT COUNT(*) AS n FROM ${b.from} WHERE ${where(b)}`, params: q.params };
  }
  return { sql: `SELECT COUNT(*) AS n FROM (${union(q)}) g`, params: q.params };
}

/** Up to this many parents, a relation's pages are one LIMIT per parent (SQLite allows 500 terms in a compound SELECT; issues take two each). */
const PER_PARENT_MAX = 40;

/**
 * Each parent's first `limit` rows, one query per parent (its own ORDER BY … LIMIT, per branch) in
 * one UNION ALL statement; the rows come ordered by parent, then keyset order (a parent's two
 * issue branches give up to 2 × limit rows: the caller keeps the first `limit`).
 */
function perParentPageSql(lists: ListSql[], limit: number, after: { at: number | null; id: string } | null): { sql: string; params: Record<string, unknown> } {
  const params: Record<string, unknown> = Object.assign({}, ...lists.map((q) => q.params));
  const q = lists[0];
  const members = lists.flatMap((l, k) => l.branches.map((b, j) => `SELECT * FROM (${branchSql(b, keyset(l, 'f', after, params))} ORDER BY ${orderBy(l, 'f')} LIMIT ${limit}) m${k}_${j}`));
  const inner = members.join('\nUNION ALL\n');
  const order = `pg.parent_key, ${orderBy(q, 'pg')}`;
  return { sql: q.finish ? finished(q, inner, order) : `SELECT pg.* FROM (${inner}) pg ORDER BY ${order}`, params };
}

/** Every parent's first `limit` rows: ranked per parent (ROW_NUMBER over the keyset order), one statement. */
function groupPageSql(q: ListSql, limit: number, after: { at: number | null; id: string } | null): { sql: string; params: Record<string, unknown> } {
  const params = { ...q.params };
  const cond = keyset(q, 'g', after, params);
  const ranked = `SELECT g.*, ROW_NUMBER() OVER (PARTITION BY g.parent_key ORDER BY ${orderBy(q, 'g')}) AS rn FROM (${union(q)}) g${cond.length ? ` WHERE ${cond.join(' AND ')}` : ''}`;
  const inner = `SELECT r.* FROM (${ranked}) r WHERE r.rn <= ${limit}`;
  return { sql: finished(q, `${inner} ORDER BY r.parent_key, r.rn`, `pg.parent_key, pg.rn`), params };
}

/** A relation filter must not name the parent it is already under. */
export function refuseParentField(filter: object, field: string): void {
  if ((filter as Record<string, unknown>)[field] != null) throw badInput(`${field} is set by the parent of this relation`, { argument: field });
}
