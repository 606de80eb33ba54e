import { DataSource, EntityTarget, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { Cadre } from '../modules/cadres/cadre.entity';
import { Department } from '../modules/departments/department.entity';
import { Household } from '../modules/households/household.entity';
import { IssueEvent } from '../modules/issues/issue-event.entity';
import { Issue } from '../modules/issues/issue.entity';
import { Pairing } from '../modules/pairings/pairing.entity';
import { Region, RegionClosure } from '../modules/regions/region.entity';
import { SurveyResponse } from '../modules/surveys/survey-response.entity';
import { Visit } from '../modules/visits/visit.entity';

/**
 * What part of the county a request may read: the subtree of `regionId`, or everything when
 * it is null. Access control (a later feature) sets it from the principal; every entity query
 * goes through `selectInScope`, so that is the one place the restriction is enforced.
 */
export interface Scope {
  readonly regionId: string | null;
}

/** The default scope: everything. */
export const UNSCOPED: Scope = Object.freeze({ regionId: null });

/**
 * How a record reaches the region that scopes it: joins (if any) added to the query, and the
 * property path of the region id. Records without a region (departments) are shared
 * reference data and visible in every scope.
 */
type RegionPath = (qb: SelectQueryBuilder<ObjectLiteral>, alias: string) => string;

const REGION_PATHS = new Map<EntityTarget<ObjectLiteral>, RegionPath | 'unscoped'>([
  [Region, (_qb, a) => `${a}.id`],
  [Cadre, (_qb, a) => `${a}.regionId`],
  [Household, (_qb, a) => `${a}.regionId`],
  [Visit, (_qb, a) => `${a}.regionId`],
  [Issue, (_qb, a) => `${a}.regionId`],
  [SurveyResponse, (_qb, a) => `${a}.regionId`],
  // A pairing belongs where its household lives; an event where its issue was raised.
  [Pairing, (qb, a) => (qb.innerJoin(Household, 'scope_h', `scope_h.id = ${a}.householdId`), 'scope_h.regionId')],
  [IssueEvent, (qb, a) => (qb.innerJoin(Issue, 'scope_i', `scope_i.id = ${a}.issueId`), 'scope_i.regionId')],
  [Department, 'unscoped'],
]);

/**
 * Starts a SELECT of `entity` restricted to the scope's subtree (an inner join on
 * region_closure, so a later `.where()` cannot drop it). The default scope adds nothing.
 * Every service list/get query and every loader starts here.
 */
export function selectInScope<T extends ObjectLiteral>(
  ds: DataSource,
  scope: Scope,
  entity: EntityTarget<T>,
  alias: string,
): SelectQueryBuilder<T> {
  const qb = ds.createQueryBuilder(entity, alias);
  const path = REGION_PATHS.get(entity);
  // An entity nobody placed in the map would silently leak across scopes; fail loudly instead.
  if (path === undefined) throw new Error(`selectInScope: no region path for ${String((entity as { name?: string }).name ?? entity)}`);
  if (scope.regionId === null || path === 'unscoped') return qb;
  return joinSubtree(qb, path(qb as unknown as SelectQueryBuilder<ObjectLiteral>, alias), scope.regionId, 'scope');
}

/**
 * Keeps only rows whose region (property path `regionPath`) lies in the subtree of `rootId`,
 * by an inner join on region_closure; `name` makes the join alias and parameter unique.
 * Used for the scope and for `regionId` filters alike.
 */
export function joinSubtree<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  regionPath: string,
  rootId: string,
  name: string,
): SelectQueryBuilder<T> {
  return qb.innerJoin(RegionClosure, `${name}_c`, `${name}_c.descendantId = ${regionPath} AND ${name}_c.ancestorId = :${name}Root`, {
    [`${name}Root`]: rootId,
  });
}
