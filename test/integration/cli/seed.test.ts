import { MetricsQueryArgs, MetricsService } from '../../../src/analytics/metrics.service';
import { bootstrapDatabase } from '../../../src/cli/bootstrap';
import { UNSCOPED } from '../../../src/domain/access';
import { seedCommand, seedDatabase, SeedSummary } from '../../../src/cli/seed.command';
import { DATASET_NAMES, DATASETS, Dataset } from '../../../src/domain/datasets';
import { IssueEventType, ResidentAnswer } from '../../../src/domain/enums';
import { deriveIssueState } from '../../../src/domain/issue-state';
import { DEMO_COUNTY_ID, DEMO_TO, DemoRecord, generateDemoCounty } from '../../../seeds/demo-county';
import { readSetting } from '../../../src/database/settings';
import { describeStores } from '../../helpers/stores';
import { createServices } from '../../../src/services';
import { ROLLUPS } from '../../../src/analytics/rollups';

const SCALE = 0.05;

describeStores('seeding the demo county', (store) => {
  const county = generateDemoCounty({ scale: SCALE });
  const records = Object.fromEntries(DATASET_NAMES.map((d) => [d, [...county.datasets[d]()]])) as Record<Dataset, DemoRecord[]>;
  const count = async (table: string) => Number((await store().ds.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
  const lines: string[] = [];
  let first: SeedSummary[];

  beforeAll(async () => {
    await bootstrapDatabase({ ...store().config, seedDemo: true }, store().ds, (line) => lines.push(line), { demoScale: SCALE, demoEnd: DEMO_TO });
    first = await seedDatabase(store().ds, store().config, { scale: SCALE, batchSize: 700 });
  });

  it('fills an empty database on start-up, one line per dataset, every record inserted', async () => {
    expect(lines[0]).toMatch(/^Empty database: seeding the demo county/);
    for (const d of DATASET_NAMES) {
      expect(lines.some((l) => new RegExp(`^  ${d} +${records[d].length} records .* records/s  \\(inserted ${records[d].length}, updated 0, unchanged 0\\)$`).test(l))).toBe(true);
      expect({ d, stored: await count(DATASETS[d].table) }).toEqual({ d, stored: records[d].length });
    }
    // The seed imports with no rollup built; every rollup is built once after it, from the seeded facts.
    const seeded = lines.findIndex((l) => /^Seeded the demo county \(activity up to 2026-10-31\) in \d+\.\d s\.$/.test(l));
    expect(seeded).toBeGreaterThan(0);
    expect(lines.slice(seeded + 1).map((l) => l.replace(/ in \d+\.\d s\.$/, ''))).toEqual(ROLLUPS.map((r) => `Built the ${r.label} rollup (${store().config.reportingTimeZone})`));
    expect(await readSetting(store().ds, 'demo_end_date')).toBe(DEMO_TO);
    const [{ n }] = await store().ds.query("SELECT SUM(f.responses) AS n FROM rollup_satisfaction f JOIN regions r ON r.id = f.region_id AND r.parent_id IS NULL WHERE f.grain = 'Y'");
    expect(Number(n)).toBe(await count('survey_responses'));
    const [{ v }] = await store().ds.query("SELECT SUM(f.visits) AS v FROM rollup_visits f JOIN regions r ON r.id = f.region_id AND r.parent_id IS NULL WHERE f.grain = 'M'");
    expect(Number(v)).toBe(await count('visits'));
    const [{ i }] = await store().ds.query("SELECT SUM(f.issues_received) AS i FROM rollup_issues_cube f WHERE f.level = 'COUNTY' AND f.grain = 'D'");
    expect(Number(i)).toBe(await count('issues'));
  });

  it('changes nothing when the same records are imported again (in other batch sizes)', async () => {
    expect(first.map((s) => [s.dataset, s.records, s.inserted, s.updated, s.unchanged])).toEqual(
      DATASET_NAMES.map((d) => [d, records[d].length, 0, 0, records[d].length]),
    );
  });

  it('answers from the rollups exactly what the raw tables give, on the whole demo county', async () => {
    const services = createServices(store().config, store().ds);
    await services.rollups.load();
    const rollups = services.metrics;
    const raw = new MetricsService(store().ds, store().config, { rollups: false });
    const measures = [
      'RESPONSES', 'SATISFIED_RATE', 'SATISFACTION_AVG', 'VISITS', 'VILLAGE_STAY_DAYS', 'HOLIDAY_VISIT_SHARE', 'VISIT_ISSUE_RATE',
      'ISSUES_RECEIVED', 'RESPONSE_RATE', 'RESOLUTION_RATE', 'CLOSURE_RATE', 'FALSE_CLOSURE_RATE', 'ON_TIME_RATE', 'AVG_TRANSFERS', 'THREE_RATE_SCORE', 'BACKLOG',
    ];
    const issueMeasures = measures.slice(7);
    const twoYears = { from: '2024-11-01', to: '2026-10-31' };
    const asOf = new Date(); // one instant for both paths (the default is each call's own now)
    const queries = [
      { measures, dimensions: ['PERIOD'], granularity: 'MONTH', ...twoYears },
      { measures, dimensions: ['REGION', 'PERIOD'], regionLevel: 'TOWNSHIP', granularity: 'QUARTER', ...twoYears },
      { measures, dimensions: ['REGION'], regionLevel: 'VILLAGE', from: '2026-01-15', to: '2026-02-28' },
      { measures, dimensions: ['PERIOD'], granularity: 'WEEK', from: '2025-12-29', to: '2026-03-01' },
      { measures: issueMeasures, dimensions: ['CATEGORY', 'PERIOD'], granularity: 'QUARTER', ...twoYears },
      { measures: issueMeasures, dimensions: ['DEPARTMENT'], channels: ['HOTLINE', 'VISIT'], from: '2025-06-01', to: '2026-05-31' },
      { measures: measures.slice(0, 7), dimensions: ['CADRE'], from: '2026-01-01', to: '2026-10-31' },
      // The household measures: the coverage, household-count and paired-coverage rollups (a month's middle to today, a year to today, too).
      { measures: ['VISIT_COVERAGE', 'PAIRED_HOUSEHOLD_RATE', 'PAIRED_COVERAGE'], dimensions: ['PERIOD'], granularity: 'MONTH', ...twoYears },
      // HOUSEHOLDS_VISITED too: every demo visit is recorded in its household's region.
      { measures: ['HOUSEHOLDS_VISITED'], dimensions: ['REGION', 'PERIOD'], regionLevel: 'TOWNSHIP', granularity: 'MONTH', ...twoYears },
      { measures: ['VISIT_COVERAGE', 'PAIRED_HOUSEHOLD_RATE', 'PAIRED_COVERAGE'], dimensions: ['REGION'], regionLevel: 'TOWNSHIP', from: '2025-11-15', to: asOf.toISOString().slice(0, 10) },
      { measures: ['PAIRED_COVERAGE'], dimensions: ['REGION', 'PERIOD'], regionLevel: 'TOWNSHIP', granularity: 'MONTH', from: `${asOf.toISOString().slice(0, 4)}-01-01`, to: asOf.toISOString().slice(0, 10) },
    ].map((q) => ({ ...q, asOf })) as MetricsQueryArgs[];
    const [township] = await store().ds.query("SELECT id FROM regions WHERE level = 'TOWNSHIP' ORDER BY id LIMIT 1");
    // Villages are not in the rollups (read from the facts); everything else is.
    for (const [q, scope] of [...queries.map((q) => [q, UNSCOPED] as const), [queries[1], { regionId: String(township.id) }] as const, [queries[2], { regionId: String(township.id) }] as const]) {
      const got = await rollups.compute(q, scope);
      const rollup = q.regionLevel !== 'VILLAGE';
      expect({ q, servedByRollup: got.servedByRollup }).toEqual({ q, servedByRollup: rollup });
      expect({ ...got, rollupsRead: [] }).toEqual({ ...(await raw.compute(q, scope)), servedByRollup: rollup });
    }
  });

  it('stores the issue state that the generated events and callbacks derive', async () => {
    const events = new Map<string, DemoRecord[]>();
    for (const e of records.issue_events) events.set(String(e.issueId), [...(events.get(String(e.issueId)) ?? []), e]);
    const callbacks = new Map<string, DemoRecord[]>();
    for (const s of records.survey_responses.filter((x) => x.issueId)) callbacks.set(String(s.issueId), [...(callbacks.get(String(s.issueId)) ?? []), s]);
    const expected = records.issues.map((i) => {
      const s = deriveIssueState(
        (events.get(i.id) ?? []).map((e) => ({ id: e.id, at: Date.parse(String(e.at)), type: e.type as IssueEventType, departmentId: (e.departmentId as string) ?? null })),
        (callbacks.get(i.id) ?? []).map((r) => ({ id: r.id, respondedAt: Date.parse(String(r.respondedAt)), score: Number(r.score), resolved: (r.resolved as ResidentAnswer) ?? null, contacted: typeof r.contacted === 'boolean' ? r.contacted : null })),
      );
      return [i.id, s.status, s.transferCount, s.residentAnswer];
    });
    const rows: Array<{ id: string; status: string; transfer_count: number | string; resident_answer: string | null }> = await store().ds.query(
      'SELECT id, status, transfer_count, resident_answer FROM issues ORDER BY id',
    );
    expect(rows.map((r) => [r.id, r.status, Number(r.transfer_count), r.resident_answer])).toEqual(expected.sort((a, b) => (a[0]! < b[0]! ? -1 : 1)));
  });

  it('does not seed again once the demo is complete, and finishes a seed that was interrupted', async () => {
    const said: string[] = [];
    const config = { ...store().config, seedDemo: true };
    await bootstrapDatabase(config, store().ds, (l) => said.push(l), { demoScale: SCALE });
    expect(said).toEqual([]);

    // A first start stopped before the last dataset: the demo root is there, the responses are not.
    await store().ds.query('DELETE FROM survey_responses');
    await bootstrapDatabase(config, store().ds, (l) => said.push(l), { demoScale: SCALE });
    expect(said[0]).toMatch(/only partly seeded/);
    const n = records.survey_responses.length;
    expect(said.some((l) => new RegExp(`^  survey_responses +${n} records .*\\(inserted ${n}, updated 0, unchanged 0\\)$`).test(l))).toBe(true);
    expect(said.some((l) => new RegExp(`^  visits +${records.visits.length} records .*\\(inserted 0, updated 0, unchanged ${records.visits.length}\\)$`).test(l))).toBe(true);
    expect(await count('survey_responses')).toBe(n);
    const [root] = await store().ds.query('SELECT name, level FROM regions WHERE id = ?', [DEMO_COUNTY_ID]);
    expect(root).toEqual({ name: '青山县', level: 'COUNTY' });
  });

  it('seeds through `minqing seed` on the configured database, changing nothing the second time', async () => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      expect(await seedCommand(['--scale', String(SCALE)], store().config)).toBe(0);
      const lines = log.mock.calls.map((c) => String(c[0]));
      expect(lines).toHaveLength(10);
      for (const d of DATASET_NAMES) {
        const n = records[d].length;
        expect(lines.some((l) => new RegExp(`^${d} +${n} records .*\\(inserted 0, updated 0, unchanged ${n}\\)$`).test(l))).toBe(true);
      }
      expect(lines[9]).toMatch(/^Seeded the demo county \(scale 0.05, 2024-11-01 to 2026-10-31\) in \d+\.\d s\.$/);
    } finally {
      log.mockRestore();
    }
  });
});

describeStores('the demo county on a first start', (store) => {
  const SMALL = 0.02;
  // 15 March 2027, 10:00 in Beijing: the demo ends the day before.
  const startedAt = Date.parse('2027-03-15T10:00:00+08:00');
  const lines: string[] = [];

  beforeAll(async () => {
    await bootstrapDatabase({ ...store().config, seedDemo: true }, store().ds, (line) => lines.push(line), { demoScale: SMALL, demoNow: startedAt });
  });

  it('ends the day before the first start and records that date with the data', async () => {
    expect(lines).toContainEqual(expect.stringMatching(/^Seeded the demo county \(activity up to 2027-03-14\) in/));
    expect(await readSetting(store().ds, 'demo_end_date')).toBe('2027-03-14');
    const expected = generateDemoCounty({ scale: SMALL, end: '2027-03-14' });
    expect(expected.from).toBe('2025-03-15');
    const [{ n }] = await store().ds.query('SELECT COUNT(*) AS n FROM visits');
    expect(Number(n)).toBe([...expected.datasets.visits()].length);
  });

  it('looks alive on that day: activity up to yesterday, and open appeals younger than a month', async () => {
    const lastDay = Date.parse('2027-03-14T00:00:00+08:00');
    const [v] = await store().ds.query('SELECT MAX(visited_at) AS last FROM visits');
    expect(Number(v.last)).toBeGreaterThanOrEqual(lastDay - 3 * 86_400_000);
    expect(Number(v.last)).toBeLessThan(startedAt);
    const [open] = await store().ds.query(
      "SELECT COUNT(*) AS n FROM issues WHERE status NOT IN ('RESOLVED', 'EXPLAINED', 'CLOSED') AND received_at > ?",
      [startedAt - 30 * 86_400_000],
    );
    expect(Number(open.n)).toBeGreaterThan(0);
    const [future] = await store().ds.query('SELECT COUNT(*) AS n FROM issue_events WHERE at > ?', [startedAt]);
    expect(Number(future.n)).toBe(0);
  });

  it('keeps the recorded date on a restart, days later, and when an interrupted seed resumes', async () => {
    const said: string[] = [];
    await store().ds.query('DELETE FROM survey_responses');
    await bootstrapDatabase({ ...store().config, seedDemo: true }, store().ds, (l) => said.push(l), { demoScale: SMALL, demoNow: startedAt + 10 * 86_400_000 });
    expect(said[0]).toMatch(/only partly seeded/);
    expect(said).toContainEqual(expect.stringMatching(/activity up to 2027-03-14/));
    expect(said.filter((l) => /^  (regions|visits|issues) /.test(l)).every((l) => / updated 0, /.test(l))).toBe(true);
    expect(await readSetting(store().ds, 'demo_end_date')).toBe('2027-03-14');
  });

  it('refuses to seed the database with another end date (two counties would mix), writing nothing', async () => {
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const [before] = await store().ds.query('SELECT COUNT(*) AS n, MAX(updated_at) AS u FROM visits');
      expect(await seedCommand(['--scale', String(SMALL), '--end', '2026-10-31'], store().config)).toBe(2);
      expect(String(error.mock.calls[0][0])).toMatch(/holds the demo county ending 2027-03-14; seeding it with --end 2026-10-31 would mix two counties/);
      expect(await seedCommand(['--end', '2027-02-30'], store().config)).toBe(2);
      expect(String(error.mock.calls[1][0])).toMatch(/^--end: .*YYYY-MM-DD.*"2027-02-30"/);
      const [after] = await store().ds.query('SELECT COUNT(*) AS n, MAX(updated_at) AS u FROM visits');
      expect(after).toEqual(before);
      // Without --end, `minqing seed` continues the recorded county.
      expect(await seedCommand(['--scale', String(SMALL)], store().config)).toBe(0);
      expect(log.mock.calls.map((c) => String(c[0]))).toContainEqual(expect.stringMatching(/^Seeded the demo county \(scale 0.02, 2025-03-15 to 2027-03-14\)/));
    } finally {
      error.mockRestore();
      log.mockRestore();
    }
  });
});
