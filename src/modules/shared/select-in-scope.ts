import type { Scope } from '../../domain/access';
import { DataSource, EntityTarget, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { Cadre } from '../cadres/cadre.entity';
import { Department } from '../departments/department.entity';
import { Household } from '../households/household.entity';
import { IssueEvent } from '../issues/issue-event.entity';
import { Issue } from '../issues/issue.entity';
import { Pairing } from '../pairings/pairing.entity';
import { Region, RegionClosure } from '../regions/region.entity';
import { SurveyResponse } from '../surveys/survey-response.entity';
import { Visit } from '../visits/visit.entity';


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
