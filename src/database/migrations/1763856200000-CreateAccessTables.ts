import { dialectOf } from '../dialect';
import { MigrationInterface, QueryRunner, Table } from 'typeorm';

const v = (name: string, length: number, nullable = false) => ({ name, type: 'varchar', length: String(length), isNullable: nullable });
const ms = (name: string, nullable = false) => ({ name, type: 'bigint', isNullable: nullable });
/** Region ids are utf8mb4_bin on MySQL (CreateRecordTables); a foreign key needs the same collation. */
const regionId = (q: QueryRunner) => ({
  ...v('region_id', 64, true),
  ...dialectOf(q.connection).idColumnOptions,
});

/** Users, machine tokens and browser sessions (api.md "Access"). */
export class CreateAccessTables1763856200000 implements MigrationInterface {
  name = 'CreateAccessTables1763856200000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'users',
        columns: [
          { ...v('id', 64), isPrimary: true },
          v('username', 64),
          v('password_hash', 200),
          v('role', 16),
          regionId(q),
          ms('created_at'),
          ms('disabled_at', true),
        ],
        indices: [{ name: 'uq_users_username', columnNames: ['username'], isUnique: true }],
        foreignKeys: [{ name: 'fk_users_region_id', columnNames: ['region_id'], referencedTableName: 'regions', referencedColumnNames: ['id'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'api_tokens',
        columns: [
          { ...v('id', 64), isPrimary: true },
          v('name', 100),
          v('token_hash', 64),
          v('role', 16),
          regionId(q),
          ms('created_at'),
          ms('last_used_at', true),
          ms('revoked_at', true),
        ],
        indices: [{ name: 'uq_api_tokens_hash', columnNames: ['token_hash'], isUnique: true }],
        foreignKeys: [{ name: 'fk_api_tokens_region_id', columnNames: ['region_id'], referencedTableName: 'regions', referencedColumnNames: ['id'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'sessions',
        columns: [{ ...v('id_hash', 64), isPrimary: true }, v('user_id', 64), v('csrf_token', 64), ms('created_at'), ms('expires_at')],
        indices: [{ name: 'idx_sessions_user', columnNames: ['user_id'] }],
        foreignKeys: [{ name: 'fk_sessions_user_id', columnNames: ['user_id'], referencedTableName: 'users', referencedColumnNames: ['id'], onDelete: 'CASCADE' }],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('sessions');
    await q.dropTable('api_tokens');
    await q.dropTable('users');
  }
}
