import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * PAIRED_COVERAGE and the cadre scorecards look up a pairing's visits by (household, cadre)
 * within a date range. On idx_visits_household alone each lookup read ~17 whole visit rows by
 * primary key to test cadre and date (1 s of a 1.2 s statement at demo ×10); this index answers
 * the lookup from the index alone (a range seek per pairing). VISIT_ISSUE_RATE collects the
 * visits that raised an issue by asOf: issues(visit_id, received_at) serves that from the index.
 * idx_visits_at_cover holds every column the visit measures and scorecards read, so a range of
 * visited_at is read from a narrow index instead of scanning the table (a 90-day dashboard
 * range: 1.3 s → 0.3 s at ×10, where visits no longer fit the buffer pool).
 * BACKLOG at an instant reads an issue's last event by (at, id) at or before it: with the type
 * in issue_events(issue_id, at, id, type) that seek needs no row read (0.8 s → 0.16 s for 24 instants),
 * and idx_issues_backlog holds every issue column it reads, so the issues received by the last
 * instant come from the index, not a table scan (a 3-month trend's BACKLOG: 0.5 s → 0.25 s).
 */
export class AddMetricsIndexes1764000200000 implements MigrationInterface {
  name = 'AddMetricsIndexes1764000200000';

  async up(q: QueryRunner): Promise<void> {
    await q.createIndex('visits', new TableIndex({ name: 'idx_visits_household_cadre_at', columnNames: ['household_id', 'cadre_id', 'visited_at'] }));
    await q.createIndex('issues', new TableIndex({ name: 'idx_issues_visit_received', columnNames: ['visit_id', 'received_at'] }));
    await q.createIndex(
      'visits',
      new TableIndex({ name: 'idx_visits_at_cover', columnNames: ['visited_at', 'region_id', 'cadre_id', 'household_id', 'kind', 'stay_days'] }),
    );
    await q.createIndex('issue_events', new TableIndex({ name: 'idx_issue_events_issue_at_type', columnNames: ['issue_id', 'at', 'id', 'type'] }));
    await q.createIndex(
      'issues',
      new TableIndex({ name: 'idx_issues_backlog', columnNames: ['received_at', 'state_changed_at', 'status', 'category', 'channel', 'department_id', 'region_id'] }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('issues', 'idx_issues_backlog');
    await q.dropIndex('issue_events', 'idx_issue_events_issue_at_type');
    await q.dropIndex('visits', 'idx_visits_at_cover');
    await q.dropIndex('issues', 'idx_issues_visit_received');
    await q.dropIndex('visits', 'idx_visits_household_cadre_at');
  }
}
