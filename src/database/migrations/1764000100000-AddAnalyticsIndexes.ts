import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * From the EXPLAIN review (bench/EXPLAIN.md): the issue-facts SQL replays issues whose state
 * changed after asOf (`state_changed_at > asOf`); without an index MariaDB scans every issue and
 * drives the events and responses subqueries from the fact side. With it the replay branch is
 * a range scan of the (usually zero) issues changed since asOf.
 */
export class AddAnalyticsIndexes1764000100000 implements MigrationInterface {
  name = 'AddAnalyticsIndexes1764000100000';

  async up(q: QueryRunner): Promise<void> {
    await q.createIndex('issues', new TableIndex({ name: 'idx_issues_state_changed', columnNames: ['state_changed_at'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('issues', 'idx_issues_state_changed');
  }
}
