import { randomUUID } from 'node:crypto';
import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/**
 * Named values that belong to the data rather than to a process (src/database/settings.ts):
 * `database_id`, made here, names this database to processes that share a Redis (their
 * channels and counters are per database), and the seed records `demo_end_date` there.
 */
export class CreateSettings1765100000000 implements MigrationInterface {
  name = 'CreateSettings1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'settings',
        columns: [
          { name: 'name', type: 'varchar', length: '64', isPrimary: true },
          { name: 'value', type: 'varchar', length: '1000', isNullable: false },
        ],
      }),
    );
    await q.query('INSERT INTO settings (name, value) VALUES (?, ?)', ['database_id', randomUUID()]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('settings');
  }
}
