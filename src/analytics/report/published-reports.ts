import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Principal, Role, Scope } from '../../domain/access';
import type { RegionLevel } from '../../domain/enums';
import type { Measure } from '../analytics.enums';

/*
 * The published monthly reports (table monthly_reports, migration CreateMonthlyReports): each
 * publication is a new version of its report (month, level, measure, region), keeps who
 * published it and when, the asOf it was computed for, and the report as it was rendered then.
 * Rows are only ever inserted. Read on the primary: a publisher reads back what it wrote.
 */

/** What identifies a report; its publications are numbered 1, 2, … per key. */
export interface ReportKey {
  month: string;
  level: RegionLevel;
  measure: Measure;
  regionId: string | null;
}

/** One publication without its content. */
export interface PublicationData extends ReportKey {
  id: string;
  version: number;
  /** The instant the numbers are as of: the publish instant. */
  asOf: Date;
  publishedAt: Date;
  publishedBy: { kind: Principal['kind']; id: string; name: string; role: Role };
}

export interface PublicationFilter {
  month?: string | null;
  level?: RegionLevel | null;
  measure?: Measure | null;
  regionId?: string | null;
}

/** The format of the stored content; a later format reads older ones by this number. */
export const CONTENT_FORMAT = 1;

interface Row {
  id: string;
  month: string;
  level: RegionLevel;
  measure: Measure;
  region_id: string | null;
  version: number | string;
  as_of: number | string;
  published_at: number | string;
  published_by_kind: Principal['kind'];
  published_by_id: string;
  published_by_name: string;
  published_by_role: Role;
}

const COLUMNS = 'r.id, r.month, r.level, r.measure, r.region_id, r.version, r.as_of, r.published_at, r.published_by_kind, r.published_by_id, r.published_by_name, r.published_by_role';
/** Attempts at taking the next version number when another publisher took it first. */
const VERSION_ATTEMPTS = 5;

const keyOf = (k: ReportKey) => [k.month, k.level, k.measure, k.regionId ?? '*'].join('|');

function toPublication(r: Row): PublicationData {
  return {
    id: r.id,
    month: r.month,
    level: r.level,
    measure: r.measure,
    regionId: r.region_id,
    version: Number(r.version),
    asOf: new Date(Number(r.as_of)),
    publishedAt: new Date(Number(r.published_at)),
    publishedBy: { kind: r.published_by_kind, id: r.published_by_id, name: r.published_by_name, role: r.published_by_role },
  };
}

/**
 * The publications a scope may read: all of them unscoped; for an OFFICER those whose region
 * lies in its subtree (a report of the whole county is not one of them).
 */
function scopeJoin(scope: Scope): { join: string; params: unknown[] } {
  if (scope.regionId === null) return { join: '', params: [] };
  return { join: 'JOIN region_closure sc ON sc.descendant_id = r.region_id AND sc.ancestor_id = ?', params: [scope.regionId] };
}

/** Stores a publication as the next version of its report; the content is what readers get back. */
export async function insertPublication(
  ds: DataSource,
  key: ReportKey,
  at: Date,
  by: Principal,
  content: string,
): Promise<PublicationData> {
  for (let attempt = 1; ; attempt++) {
    const [{ v }] = await ds.query('SELECT COALESCE(MAX(version), 0) AS v FROM monthly_reports WHERE report_key = ?', [keyOf(key)]);
    const row: Row = {
      id: randomUUID(),
      month: key.month,
      level: key.level,
      measure: key.measure,
      region_id: key.regionId,
      version: Number(v) + 1,
      as_of: at.getTime(),
      published_at: at.getTime(),
      published_by_kind: by.kind,
      published_by_id: by.id,
      published_by_name: by.name.slice(0, 100),
      published_by_role: by.role,
    };
    try {
      await ds.query(
        `INSERT INTO monthly_reports (id, report_key, month, level, measure, region_id, version, as_of, published_at,
                                      published_by_kind, published_by_id, published_by_name, published_by_role, content_format, content)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [row.id, keyOf(key), row.month, row.level, row.measure, row.region_id, row.version, row.as_of, row.published_at,
          row.published_by_kind, row.published_by_id, row.published_by_name, row.published_by_role, CONTENT_FORMAT, content],
      );
      return toPublication(row);
    } catch (err) {
      // Two publishers took the same version: the unique (report_key, version) refused the second; it takes the next.
      if (attempt >= VERSION_ATTEMPTS || !isUniqueViolation(err)) throw err;
    }
  }
}

/** The publications visible in `scope`, newest first. */
export async function listPublications(ds: DataSource, scope: Scope, f: PublicationFilter, limit: number): Promise<PublicationData[]> {
  const { join, params } = scopeJoin(scope);
  const where: string[] = [];
  const args: unknown[] = [...params];
  for (const [column, value] of [['month', f.month], ['level', f.level], ['measure', f.measure], ['region_id', f.regionId]] as const) {
    if (value === null || value === undefined) continue;
    where.push(`r.${column} = ?`);
    args.push(value);
  }
  const rows: Row[] = await ds.query(
    `SELECT ${COLUMNS} FROM monthly_reports r ${join} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY r.published_at DESC, r.version DESC, r.id DESC LIMIT ${Math.trunc(limit)}`,
    args,
  );
  return rows.map(toPublication);
}

/** One publication of a report by version, with its content; null when there is none. */
export async function findPublication(ds: DataSource, key: ReportKey, version: number): Promise<(PublicationData & { format: number; content: string }) | null> {
  const rows: Array<Row & { content_format: number | string; content: string }> = await ds.query(
    `SELECT ${COLUMNS}, r.content_format, r.content FROM monthly_reports r WHERE r.report_key = ? AND r.version = ?`,
    [keyOf(key), version],
  );
  return rows.length ? { ...toPublication(rows[0]), format: Number(rows[0].content_format), content: rows[0].content } : null;
}

/** The content of a publication by id (null when unknown). */
export async function publicationContent(ds: DataSource, id: string): Promise<{ format: number; content: string } | null> {
  const rows: Array<{ content_format: number | string; content: string }> = await ds.query('SELECT content_format, content FROM monthly_reports WHERE id = ?', [id]);
  return rows.length ? { format: Number(rows[0].content_format), content: rows[0].content } : null;
}

/** Whether a publication's region lies in the scope (every one does for an unscoped reader). */
export async function publicationInScope(ds: DataSource, p: Pick<PublicationData, 'regionId'>, scope: Scope): Promise<boolean> {
  if (scope.regionId === null) return true;
  if (p.regionId === null) return false;
  const rows = await ds.query('SELECT 1 AS ok FROM region_closure WHERE ancestor_id = ? AND descendant_id = ?', [scope.regionId, p.regionId]);
  return rows.length > 0;
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; errno?: number; driverError?: { code?: string; errno?: number } };
  const code = e.driverError?.code ?? e.code;
  const errno = e.driverError?.errno ?? e.errno;
  return errno === 1062 || code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
