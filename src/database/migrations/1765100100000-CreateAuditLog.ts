import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { dialectOf } from '../dialect';

const v = (name: string, length: number, nullable = false) => ({ name, type: 'varchar', length: String(length), isNullable: nullable });
const ms = (name: string) => ({ name, type: 'bigint', isNullable: false });

/**
 * The audit trail of personal data (个人信息保护法), append-only (src/audit/audit-trail.ts), and
 * its own clock: each entry takes a stamp under the audit_clock row lock, as records do under
 * write_clock, so `audit_log` extracts page it exactly by (updated_at, id) — without an audit
 * entry ever moving the data version that the answer caches key on. Entries never change, so
 * updated_at is created_at. No foreign keys: an entry outlives the token, user or region it names.
 */
export class CreateAuditLog1765100100000 implements MigrationInterface {
  name = 'CreateAuditLog1765100100000';

  async up(q: QueryRunner): Promise<void> {
    const id = (name: string, nullable = false) => ({ ...v(name, 64, nullable), ...dialectOf(q.connection).idColumnOptions });
    await q.createTable(
      new Table({
        name: 'audit_log',
        columns: [
          { ...id('id'), isPrimary: true },
          v('kind', 24),
          v('operation', 200),
          { name: 'records', type: 'int', isNullable: false },
          v('principal_kind', 16),
          id('principal_id'),
          v('principal_name', 200),
          v('role', 16, true),
          id('scope_region_id', true),
          v('channel', 16),
          v('request_id', 128, true),
          v('details', 2000, true),
          ms('created_at'),
          ms('updated_at'),
        ],
        indices: [
          { name: 'ix_audit_log_updated', columnNames: ['updated_at', 'id'] },
          { name: 'ix_audit_log_created', columnNames: ['created_at', 'id'] },
          { name: 'ix_audit_log_principal', columnNames: ['principal_id', 'created_at', 'id'] },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'audit_clock',
        columns: [
          { name: 'id', type: 'int', isPrimary: true },
          { name: 'last_ms', type: 'bigint', isNullable: false },
        ],
      }),
    );
    await q.query('INSERT INTO audit_clock (id, last_ms) VALUES (1, 0)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('audit_clock');
    await q.dropTable('audit_log');
  }
}
