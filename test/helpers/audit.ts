import type { DataSource } from 'typeorm';

/** A statement of an audit-trail append (src/audit/audit-trail.ts) or of the transaction around it. */
export const isAuditWrite = (sql: string) => /\baudit_(log|clock)\b/.test(sql) || /^\s*(BEGIN|START TRANSACTION|COMMIT)\b/i.test(sql);

/** Every audit entry, oldest first, as stored. */
export async function auditRows(ds: DataSource): Promise<Array<Record<string, unknown>>> {
  const rows: Array<Record<string, unknown>> = await ds.query('SELECT * FROM audit_log ORDER BY updated_at, id');
  return rows.map((r) => ({ ...r, records: Number(r.records), created_at: Number(r.created_at), updated_at: Number(r.updated_at) }));
}
