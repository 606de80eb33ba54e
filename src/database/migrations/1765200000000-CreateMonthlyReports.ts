import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { dialectOf } from '../dialect';

const v = (name: string, length: number, nullable = false) => ({ name, type: 'varchar', length: String(length), isNullable: nullable });
const ms = (name: string) => ({ name, type: 'bigint', isNullable: false });

/**
 * Published monthly reports (月度通报, action.md): each publication of a report (month, level,
 * measure, region) is a new version with who published it, when, the asOf its numbers are
 * computed for, and the report as rendered then (JSON), so it reads the same forever after.
 * `report_key` joins the four terms (a NULL region would defeat a unique index on MySQL).
 */
export class CreateMonthlyReports1765200000000 implements MigrationInterface {
  name = 'CreateMonthlyReports1765200000000';

  async up(q: QueryRunner): Promise<void> {
    const d = dialectOf(q.connection);
    await q.createTable(
      new Table({
        name: 'monthly_reports',
        columns: [
          { ...v('id', 64), isPrimary: true },
          v('report_key', 160),
          v('month', 7),
          v('level', 16),
          v('measure', 40),
          // Region ids are utf8mb4_bin on MySQL (CreateRecordTables); the foreign key needs the same collation.
          { ...v('region_id', 64, true), ...d.idColumnOptions },
          { name: 'version', type: 'int', isNullable: false },
          ms('as_of'),
          ms('published_at'),
          v('published_by_kind', 16),
          v('published_by_id', 64),
          v('published_by_name', 100),
          v('published_by_role', 16),
          { name: 'content_format', type: 'int', isNullable: false },
          // A village-level report of a large county runs past TEXT's 64 KB on MySQL.
          { name: 'content', type: d.kind === 'mysql' ? 'longtext' : 'text', isNullable: false },
        ],
        indices: [
          { name: 'uq_monthly_reports_version', columnNames: ['report_key', 'version'], isUnique: true },
          { name: 'idx_monthly_reports_published', columnNames: ['published_at'] },
        ],
        foreignKeys: [{ name: 'fk_monthly_reports_region_id', columnNames: ['region_id'], referencedTableName: 'regions', referencedColumnNames: ['id'] }],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('monthly_reports');
  }
}
