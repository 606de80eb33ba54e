import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { dialectOf } from '../database/dialect';
import type { AuditEvent } from '../domain/audit';
import { badInput } from '../domain/errors';
import { newestBy, Page, PageRequest, paginate, whereInstantRange } from '../modules/shared/connection';
import { AuditEntry } from './audit-entry.entity';

/** How an auditor narrows the trail: one principal, a time window (`from` inclusive, `to` exclusive). */
export interface AuditFilter {
  principalId?: string | null;
  from?: Date | null;
  to?: Date | null;
}

const MAX_DETAILS = 2000;

/**
 * The audit trail (个人信息保护法): appends and reads, nothing else. Every entry takes a stamp
 * under the audit_clock row lock held to commit (as records do under write_clock), so stamps
 * rise in commit order and `audit_log` extracts are exact. No method changes or removes an
 * entry, and the data source refuses UPDATE/DELETE on the table (database/append-only.ts).
 */
export class AuditTrail {
  constructor(private readonly ds: DataSource) {}

  /** Appends one entry; resolves once it is committed. */
  async record(e: AuditEvent, wallClock: number = Date.now()): Promise<AuditEntry> {
    if (!Number.isSafeInteger(e.records) || e.records < 0) throw new Error(`audit: records must be a whole number ≥ 0, got ${e.records}`);
    const id = randomUUID();
    const details = e.details && Object.keys(e.details).length ? cut(JSON.stringify(e.details), MAX_DETAILS) : null;
    const a = e.actor;
    const at = await this.ds.transaction(async (m) => {
      await m.query(`UPDATE audit_clock SET last_ms = ${dialectOf(m).greatest('last_ms + 1', '?')} WHERE id = 1`, [wallClock]);
      const [row] = await m.query('SELECT last_ms FROM audit_clock WHERE id = 1');
      const stamp = Number(row.last_ms);
      await m.query(
        `INSERT INTO audit_log (id, kind, operation, records, principal_kind, principal_id, principal_name, role, scope_region_id, channel, request_id, details, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [id, e.kind, cut(e.operation, 200), e.records, a.kind, cut(a.id, 64), cut(a.name, 200), a.role, a.scopeRegionId, a.channel, a.requestId ? cut(a.requestId, 128) : null, details, stamp, stamp],
      );
      return stamp;
    });
    return Object.assign(new AuditEntry(), {
      id,
      at: new Date(at),
      updatedAt: new Date(at),
      kind: e.kind,
      operation: cut(e.operation, 200),
      records: e.records,
      principalKind: a.kind,
      principalId: a.id,
      principalName: a.name,
      role: a.role,
      scopeRegionId: a.scopeRegionId,
      channel: a.channel,
      requestId: a.requestId,
      details,
    });
  }

  /** A page of entries, newest first (keyset by time and id). */
  async list(filter: AuditFilter, page: PageRequest): Promise<Page<AuditEntry>> {
    const qb = this.ds.getRepository(AuditEntry).createQueryBuilder('a');
    if (filter.principalId !== undefined && filter.principalId !== null) {
      if (filter.principalId.length < 1 || filter.principalId.length > 64) throw badInput('principalId must be 1 to 64 characters', { argument: 'principalId' });
      qb.andWhere('a.principalId = :principalId', { principalId: filter.principalId });
    }
    whereInstantRange(qb, 'a.at', { from: filter.from ?? null, to: filter.to ?? null });
    return paginate(qb, newestBy('at'), page);
  }
}

const cut = (s: string, n: number) => ([...s].length > n ? [...s].slice(0, n - 1).join('') + '…' : s);
