import type { DataSource } from 'typeorm';
import type { Principal } from '../domain/access';
import { scopeOf } from '../domain/access';

/**
 * The record views (民情登记卡, 民情台账, and an appeal on its own for the worklist's appeals that
 * name no household): the page name and the table whose region scopes the record.
 */
export const RECORD_PAGES = {
  household: { page: 'household.html', table: 'households' },
  cadre: { page: 'cadre.html', table: 'cadres' },
  issue: { page: 'issue.html', table: 'issues' },
} as const;
export type RecordPageKind = keyof typeof RECORD_PAGES;

/**
 * Whether `principal` may open the record view of `kind` `id`: as the GraphQL guard decides it
 * (a record outside an OFFICER's subtree is refused, an unknown one is missing), so a refused
 * page is answered 403 with nothing of the record in it.
 */
export async function recordPageAccess(ds: DataSource, principal: Principal, kind: RecordPageKind, id: string): Promise<'ok' | 'forbidden' | 'missing'> {
  if (id.length === 0 || id.length > 64) return 'missing';
  const scope = scopeOf(principal);
  const { table } = RECORD_PAGES[kind];
  const rows: Array<{ inside: unknown }> = await ds.query(
    scope.regionId === null
      ? `SELECT 1 AS inside FROM ${table} x WHERE x.id = ?`
      : `SELECT (SELECT COUNT(*) FROM region_closure c WHERE c.ancestor_id = ? AND c.descendant_id = x.region_id) AS inside FROM ${table} x WHERE x.id = ?`,
    scope.regionId === null ? [id] : [scope.regionId, id],
  );
  if (rows.length === 0) return 'missing';
  return Number(rows[0].inside) > 0 ? 'ok' : 'forbidden';
}
