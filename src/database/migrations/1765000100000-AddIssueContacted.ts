import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';

/**
 * CONTACTED_RATE (metrics.md): an issue's state gains `contacted`, the answer of its latest
 * linked response that says whether the handling unit contacted the resident (stored like the
 * rest of the state, derived as of asOf where a later input fed it). Filled here from the
 * responses already stored. REPEAT_RATE looks for an earlier issue of the same household and
 * category: an index on (household_id, category, received_at) makes that one seek per issue.
 */
export class AddIssueContacted1765000100000 implements MigrationInterface {
  name = 'AddIssueContacted1765000100000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('issues', new TableColumn({ name: 'contacted', type: 'int', isNullable: true }));
    await q.query(
      `UPDATE issues SET contacted = (
         SELECT s.contacted FROM survey_responses s
          WHERE s.issue_id = issues.id AND s.contacted IS NOT NULL
          ORDER BY s.responded_at DESC, s.id DESC LIMIT 1)
        WHERE id IN (SELECT s2.issue_id FROM survey_responses s2 WHERE s2.contacted IS NOT NULL)`,
    );
    await q.createIndex('issues', new TableIndex({ name: 'idx_issues_household_category', columnNames: ['household_id', 'category', 'received_at'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('issues', 'idx_issues_household_category');
    await q.dropColumn('issues', 'contacted');
  }
}
