import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/** One row holding the last write stamp (see src/database/write-clock.ts). */
export class CreateWriteClock1763856100000 implements MigrationInterface {
  name = 'CreateWriteClock1763856100000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'write_clock',
        columns: [
          { name: 'id', type: 'int', isPrimary: true },
          { name: 'last_ms', type: 'bigint', isNullable: false },
        ],
      }),
    );
    await q.query('INSERT INTO write_clock (id, last_ms) VALUES (1, 0)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('write_clock');
  }
}
