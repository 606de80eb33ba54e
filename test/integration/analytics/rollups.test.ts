import * as bucketsModule from '../../../src/analytics/buckets';
import { MetricsQueryArgs, MetricsService } from '../../../src/analytics/metrics.service';
import { ensureRollups, knownRollupZone, SATISFACTION_DAILY } from '../../../src/analytics/rollups';
import { rebuildRollup } from '../../../src/analytics/rollups/daily-rollup';
import { Scope, UNSCOPED } from '../../../src/domain/access';
import { ImportService } from '../../../src/import/import.service';
import { describeStores, TestStore } from '../../helpers/stores';

/** A survey response at a UTC instant (the reporting zone is Asia/Shanghai, UTC+8). */
const resp = (id: string, regionId: string, utc: string, score: number) => ({ id, regionId, respondedAt: utc, channel: 'PHONE_CALLBACK', score });

const ASOF = new Date('2030-01-01T00:00:00Z');
const SAT_PARTS = ['responses', 'score_sum', 'satisfied', 'dissatisfied'];

/** A rollup table's rows as [day, region_id, …parts as numbers], in day and region order. */
async function tableRows(store: () => TestStore, table: string, parts: string[]): Promise<unknown[][]> {
  const rows: Array<Record<string, unknown>> = await store().ds.query(`SELECT day, region_id, ${parts.join(', ')} FROM ${table} ORDER BY day, region_id`);
  return rows.map((r) => [r.day, r.region_id, ...parts.map((p) => Number(r[p]))]);
}

/**
 * Runs a query (over `defaults`) on the raw tables and on the rollup path: the answers must be
 * equal, only the flag saying which path answered may differ. Returns the rollup path's answer
 * and whether it read a table named `marker…`.
 */
function bothPaths(store: () => TestStore, services: () => [raw: MetricsService, sut: MetricsService], defaults: Partial<MetricsQueryArgs>, marker: string) {
  return async (q: Partial<MetricsQueryArgs>, scope: Scope = UNSCOPED) => {
    const [raw, sut] = services();
    const query = { asOf: ASOF, ...defaults, ...q } as MetricsQueryArgs;
    const expected = await raw.compute(query, scope);
    store().resetQueries();
    const got = await sut.compute(query, scope);
    const usedRollup = store().queries.some((s) => s.includes(marker));
    expect(got).toEqual({ ...expected, servedByRollup: usedRollup });
    expect(expected.servedByRollup).toBe(false);
    return { got, usedRollup };
  };
}

describeStores('daily satisfaction rollup', (store) => {
  let imports: ImportService;
  let raw: MetricsService;
  let sut: MetricsService;
  const rollupRows = () => tableRows(store, 'rollup_satisfaction_daily', SAT_PARTS);
  const subtreeRows = () => tableRows(store, 'rollup_satisfaction_subtree_daily', SAT_PARTS);
  const both = bothPaths(store, () => [raw, sut], { measures: ['RESPONSES', 'SATISFACTION_AVG', 'SATISFIED_RATE', 'DISSATISFIED_RATE'], from: '2025-03-01', to: '2025-04-30' }, 'rollup_satisfaction_');

  beforeAll(async () => {
    imports = new ImportService(store().ds, store().config);
    raw = new MetricsService(store().ds, store().config, { rollups: false });
    sut = new MetricsService(store().ds, store().config);
    await imports.importRecords('regions', [
      { id: 'cty', level: 'COUNTY', name: '县' },
      { id: 't1', parentId: 'cty', level: 'TOWNSHIP', name: '一镇' },
      { id: 't2', parentId: 'cty', level: 'TOWNSHIP', name: '二镇' },
      { id: 'v1', parentId: 't1', level: 'VILLAGE', name: '一村' },
      { id: 'v2', parentId: 't1', level: 'VILLAGE', name: '二村' },
      { id: 'v3', parentId: 't2', level: 'VILLAGE', name: '三村' },
    ]);
    await imports.importRecords('survey_responses', [
      resp('r1', 'v1', '2025-03-02T01:00:00Z', 5), // 03-02 local
      resp('r2', 'v1', '2025-03-02T15:59:59Z', 2), // 03-02 23:59:59 local
      resp('r3', 'v1', '2025-03-02T16:00:00Z', 4), // 03-03 00:00 local: the next day
      resp('r4', 'v2', '2025-03-02T03:00:00Z', 3),
      resp('r5', 'v3', '2025-03-31T17:00:00Z', 1), // 04-01 local
      resp('r6', 't2', '2025-04-10T02:00:00Z', 5), // recorded at township level
      resp('r7', 'v3', '2025-02-28T15:00:00Z', 5), // 02-28 23:00 local: before the range
    ]);
  });

  it('is not used before it is built, and building it gives the hand-computed daily rows', async () => {
    expect(knownRollupZone(store().ds, SATISFACTION_DAILY)).toBeNull();
    expect((await both({ dimensions: ['REGION'], regionLevel: 'VILLAGE' })).usedRollup).toBe(false);
    expect(await rebuildRollup(store().ds, SATISFACTION_DAILY, 'Asia/Shanghai')).toEqual({ days: 42, rows: 6 });
    expect(await rollupRows()).toEqual([
      ['2025-02-28', 'v3', 1, 5, 1, 0],
      ['2025-03-02', 'v1', 2, 7, 1, 1],
      ['2025-03-02', 'v2', 1, 3, 0, 0],
      ['2025-03-03', 'v1', 1, 4, 1, 0],
      ['2025-04-01', 'v3', 1, 1, 0, 1],
      ['2025-04-10', 't2', 1, 5, 1, 0],
    ]);
    // Each region's day summed over its subtree (itself included).
    expect(await subtreeRows()).toEqual([
      ['2025-02-28', 'cty', 1, 5, 1, 0],
      ['2025-02-28', 't2', 1, 5, 1, 0],
      ['2025-02-28', 'v3', 1, 5, 1, 0],
      ['2025-03-02', 'cty', 3, 10, 1, 1],
      ['2025-03-02', 't1', 3, 10, 1, 1],
      ['2025-03-02', 'v1', 2, 7, 1, 1],
      ['2025-03-02', 'v2', 1, 3, 0, 0],
      ['2025-03-03', 'cty', 1, 4, 1, 0],
      ['2025-03-03', 't1', 1, 4, 1, 0],
      ['2025-03-03', 'v1', 1, 4, 1, 0],
      ['2025-04-01', 'cty', 1, 1, 0, 1],
      ['2025-04-01', 't2', 1, 1, 0, 1],
      ['2025-04-01', 'v3', 1, 1, 0, 1],
      ['2025-04-10', 'cty', 1, 5, 1, 0],
      ['2025-04-10', 't2', 1, 5, 1, 0],
    ]);
  });

  it('gives the facts under no region of the level a null row, in and out of a scope', async () => {
    // r6 is recorded at township t2: by village it has no region, so it is the null row.
    const byVillage = await both({ dimensions: ['REGION'], regionLevel: 'VILLAGE' });
    const nullRow = byVillage.got.rows.find((r) => r.regionId === null)!;
    expect(nullRow.values.find((v) => v.measure === 'RESPONSES')!.value).toBe(1);
    expect((await both({ dimensions: ['REGION', 'PERIOD'], regionLevel: 'VILLAGE', granularity: 'MONTH' }, { regionId: 't2' })).usedRollup).toBe(true);
    // In t1's scope there is no such fact, so no null row.
    const t1 = await both({ dimensions: ['REGION'], regionLevel: 'VILLAGE' }, { regionId: 't1' });
    expect(t1.got.rows.some((r) => r.regionId === null)).toBe(false);
    // A level above the scope: every fact of the scope is the null row (4 responses under t1 in the range).
    const above = await both({ dimensions: ['REGION'], regionLevel: 'COUNTY' }, { regionId: 't1' });
    expect(above.got.rows.map((r) => [r.regionId, r.values.find((v) => v.measure === 'RESPONSES')!.value])).toEqual([[null, 4]]);
    // A filter inside the scope, with and without the region dimension.
    expect((await both({ dimensions: ['PERIOD'], granularity: 'WEEK', regionId: 'v1' }, { regionId: 't1' })).usedRollup).toBe(true);
    expect((await both({ dimensions: ['REGION'], regionLevel: 'VILLAGE', regionId: 'v1' }, { regionId: 't1' })).usedRollup).toBe(true);
    expect((await both({ dimensions: ['REGION'], regionLevel: 'TOWNSHIP', regionId: 't2' })).usedRollup).toBe(true);
  });

  it('answers region, period and scoped queries exactly as the raw tables do', async () => {
    const byVillage = await both({ dimensions: ['REGION'], regionLevel: 'VILLAGE' });
    expect(byVillage.usedRollup).toBe(true);
    const v1 = byVillage.got.rows.find((r) => r.regionId === 'v1')!;
    expect(v1.values.find((v) => v.measure === 'RESPONSES')!.value).toBe(3);
    expect((await both({ dimensions: ['REGION'], regionLevel: 'TOWNSHIP' })).usedRollup).toBe(true);
    expect((await both({ dimensions: ['PERIOD'], granularity: 'MONTH' })).usedRollup).toBe(true);
    expect((await both({ dimensions: ['PERIOD'], granularity: 'DAY', from: '2025-03-01', to: '2025-03-05' })).usedRollup).toBe(true);
    expect((await both({ dimensions: ['PERIOD', 'REGION'], granularity: 'WEEK', regionLevel: 'TOWNSHIP' })).usedRollup).toBe(true);
    expect((await both({ dimensions: [], regionId: 't1' })).usedRollup).toBe(true);
    expect((await both({ dimensions: [], from: '2025-03-03', to: '2025-03-03' })).usedRollup).toBe(true);
  });

  it('falls back to the raw tables when the rollup cannot answer exactly', async () => {
    expect((await both({ dimensions: ['PERIOD'], granularity: 'DAY', from: '2025-03-01', to: '2025-03-05', timeZone: 'Europe/Berlin' })).usedRollup).toBe(false);
    expect((await both({ dimensions: ['REGION'], regionLevel: 'VILLAGE', asOf: new Date('2025-03-02T12:00:00Z') })).usedRollup).toBe(false);
    expect((await both({ dimensions: ['CADRE'] })).usedRollup).toBe(false);
  });

  it('stays exact as imports add responses and move one to another village and day', async () => {
    await imports.importRecords('survey_responses', [
      resp('r8', 'v2', '2025-03-02T05:00:00Z', 5),
      resp('r1', 'v3', '2025-03-20T01:00:00Z', 5), // moved from v1 on 03-02
    ]);
    expect(await rollupRows()).toEqual([
      ['2025-02-28', 'v3', 1, 5, 1, 0],
      ['2025-03-02', 'v1', 1, 2, 0, 1],
      ['2025-03-02', 'v2', 2, 8, 1, 0],
      ['2025-03-03', 'v1', 1, 4, 1, 0],
      ['2025-03-20', 'v3', 1, 5, 1, 0],
      ['2025-04-01', 'v3', 1, 1, 0, 1],
      ['2025-04-10', 't2', 1, 5, 1, 0],
    ]);
    expect((await both({ dimensions: ['REGION'], regionLevel: 'VILLAGE' })).usedRollup).toBe(true);
    expect((await both({ dimensions: ['PERIOD', 'REGION'], granularity: 'DAY', regionLevel: 'TOWNSHIP', from: '2025-03-01', to: '2025-03-21' })).usedRollup).toBe(true);
  });

  it('follows a village that moves to another township', async () => {
    const before = await subtreeRows();
    await imports.importRecords('regions', [{ id: 'v2', parentId: 't2', level: 'VILLAGE', name: '二村' }]);
    const after = await subtreeRows();
    // 03-02: v2's two responses (scores 3 and 5) leave t1 for t2; the county total stays.
    expect(before.filter((r) => r[0] === '2025-03-02' && r[1] !== 'v1' && r[1] !== 'v2')).toEqual([
      ['2025-03-02', 'cty', 3, 10, 1, 1],
      ['2025-03-02', 't1', 3, 10, 1, 1],
    ]);
    expect(after.filter((r) => r[0] === '2025-03-02' && r[1] !== 'v1' && r[1] !== 'v2')).toEqual([
      ['2025-03-02', 'cty', 3, 10, 1, 1],
      ['2025-03-02', 't1', 1, 2, 0, 1],
      ['2025-03-02', 't2', 2, 8, 1, 0],
    ]);
    expect((await both({ dimensions: ['REGION'], regionLevel: 'TOWNSHIP' })).usedRollup).toBe(true);
    expect((await both({ dimensions: ['REGION'], regionLevel: 'VILLAGE' }, { regionId: 't2' })).usedRollup).toBe(true);
  });

  it('follows a region that changes level', async () => {
    const villages = async () => (await both({ dimensions: ['REGION'], regionLevel: 'VILLAGE' })).got.rows.map((r) => r.regionId);
    expect(await villages()).toEqual(['v1', 'v2', 'v3', null]);
    await imports.importRecords('regions', [{ id: 'v3', parentId: 't2', level: 'GROUP', name: '三村' }]);
    // v3's responses now lie under no village of t2: they join r6 in the null row.
    expect(await villages()).toEqual(['v1', 'v2', null]);
    const byGroup = await both({ dimensions: ['REGION'], regionLevel: 'GROUP' });
    expect(byGroup.usedRollup).toBe(true);
    expect(byGroup.got.rows.map((r) => [r.regionId, r.values.find((v) => v.measure === 'RESPONSES')!.value])).toEqual([['v3', 2], [null, 5]]);
    await imports.importRecords('regions', [{ id: 'v3', parentId: 't2', level: 'VILLAGE', name: '三村' }]);
    expect(await villages()).toEqual(['v1', 'v2', 'v3', null]);
  });

  describe('a repeated query', () => {
    const query = (q: Partial<MetricsQueryArgs> = {}) =>
      ({ measures: ['RESPONSES', 'SATISFIED_RATE'], dimensions: ['REGION'], regionLevel: 'VILLAGE', from: '2025-03-01', to: '2025-04-30', asOf: ASOF, ...q }) as MetricsQueryArgs;
    const refusal = (p: Promise<unknown>) => p.then(() => 'OK', (e: { code?: string }) => e.code);
    let fresh: MetricsService;
    beforeEach(() => {
      fresh = new MetricsService(store().ds, store().config);
    });
    afterEach(() => jest.restoreAllMocks());

    it('is planned once, also by the next request’s service: the repeat, with a later asOf, runs the same statements and answers the same', async () => {
      const planned = jest.spyOn(bucketsModule, 'computeBuckets');
      const once = query({ to: '2025-04-29' }); // terms no other test plans
      store().resetQueries();
      const first = await fresh.compute(once, UNSCOPED);
      const statements = [...store().queries];
      store().resetQueries();
      const later = new Date('2031-06-01T00:00:00Z');
      // Resolvers build a MetricsService per request: the plan is kept per data source and configuration.
      const again = await new MetricsService(store().ds, store().config).compute({ ...once, asOf: later }, UNSCOPED);
      expect(planned).toHaveBeenCalledTimes(1);
      expect(store().queries).toEqual(statements);
      expect(first.servedByRollup).toBe(true);
      expect(again).toEqual({ ...first, dataAsOf: later });
    });

    it('is planned again, on the raw tables, when its asOf falls inside the range', async () => {
      expect((await fresh.compute(query(), UNSCOPED)).servedByRollup).toBe(true);
      const inside = query({ asOf: new Date('2025-03-02T12:00:00Z') });
      const got = await fresh.compute(inside, UNSCOPED);
      expect(got.servedByRollup).toBe(false);
      expect(got).toEqual(await raw.compute(inside, UNSCOPED));
    });

    it('still refuses an asOf that is not an instant', async () => {
      await fresh.compute(query(), UNSCOPED);
      expect(await refusal(fresh.compute(query({ asOf: new Date('not a date') }), UNSCOPED))).toBe('BAD_USER_INPUT');
    });

    it('answers each caller’s scope, not the first caller’s', async () => {
      for (const scope of [{ regionId: 't1' }, { regionId: 't2' }, UNSCOPED]) {
        expect(await fresh.compute(query(), scope)).toEqual({ ...(await raw.compute(query(), scope)), servedByRollup: true });
      }
    });

    it('checks its region filter against each caller’s scope', async () => {
      expect(await refusal(fresh.compute(query({ regionId: 'v1' }), { regionId: 't1' }))).toBe('OK');
      expect(await refusal(fresh.compute(query({ regionId: 'v1' }), { regionId: 't1' }))).toBe('OK');
      expect(await refusal(fresh.compute(query({ regionId: 'v1' }), { regionId: 't2' }))).toBe('FORBIDDEN');
    });

    it('is planned again once the rollup is rebuilt for another zone, and then reads the raw tables', async () => {
      await fresh.compute(query(), UNSCOPED);
      await rebuildRollup(store().ds, SATISFACTION_DAILY, 'UTC');
      try {
        const planned = jest.spyOn(bucketsModule, 'computeBuckets');
        const got = await fresh.compute(query(), UNSCOPED);
        expect(planned).toHaveBeenCalledTimes(1);
        expect(got.servedByRollup).toBe(false);
        expect(got).toEqual(await raw.compute(query(), UNSCOPED));
      } finally {
        await rebuildRollup(store().ds, SATISFACTION_DAILY, 'Asia/Shanghai');
      }
    });
  });
});

/** A visit at a UTC instant (reporting zone Asia/Shanghai, UTC+8; 春节 2025 window: local 2025-01-22 … 2025-02-05). */
const visit = (id: string, regionId: string, utc: string, kind = 'HOME_VISIT', stayDays?: number) => ({ id, cadreId: 'c1', regionId, visitedAt: utc, kind, ...(stayDays ? { stayDays } : {}) });

describeStores('daily visits rollup', (store) => {
  let imports: ImportService;
  let raw: MetricsService;
  let sut: MetricsService;
  const subtreeRows = () => tableRows(store, 'rollup_visits_subtree_daily', ['visits', 'stay_days']);
  const both = bothPaths(store, () => [raw, sut], { measures: ['VISITS', 'VILLAGE_STAY_DAYS', 'HOLIDAY_VISIT_SHARE'], from: '2025-01-01', to: '2025-02-28' }, 'rollup_visits_');
  const value = (row: { values: Array<{ measure: string; value: number | null }> }, m: string) => row.values.find((v) => v.measure === m)!.value;

  beforeAll(async () => {
    imports = new ImportService(store().ds, store().config);
    raw = new MetricsService(store().ds, store().config, { rollups: false });
    sut = new MetricsService(store().ds, store().config);
    await imports.importRecords('regions', [
      { id: 'cty', level: 'COUNTY', name: '县' },
      { id: 't1', parentId: 'cty', level: 'TOWNSHIP', name: '一镇' },
      { id: 't2', parentId: 'cty', level: 'TOWNSHIP', name: '二镇' },
      { id: 'v1', parentId: 't1', level: 'VILLAGE', name: '一村' },
      { id: 'v2', parentId: 't2', level: 'VILLAGE', name: '二村' },
    ]);
    await imports.importRecords('cadres', [{ id: 'c1', name: '王干部', regionId: 't1', rank: 'STAFF' }]);
    await imports.importRecords('visits', [
      visit('w1', 'v1', '2025-01-21T15:59:00Z'), // local 01-21 23:59: the day before the festival window
      visit('w2', 'v1', '2025-01-21T16:00:00Z'), // local 01-22 00:00: the window's first day
      visit('w3', 'v2', '2025-02-05T15:00:00Z', 'VILLAGE_STAY', 3), // local 02-05 23:00: the window's last day
      visit('w4', 'v2', '2025-02-05T16:00:00Z'), // local 02-06: after the window
      visit('w5', 't2', '2025-01-10T02:00:00Z', 'FORUM'), // recorded at township level
      visit('w6', 'v1', '2025-01-10T03:00:00Z', 'VILLAGE_STAY'), // stayDays defaults to 1
    ]);
    await ensureRollups(store().ds, 'Asia/Shanghai', new Map(), () => undefined);
  });

  it('sums each region’s subtree per local day, by hand', async () => {
    expect(await subtreeRows()).toEqual([
      ['2025-01-10', 'cty', 2, 1],
      ['2025-01-10', 't1', 1, 1],
      ['2025-01-10', 't2', 1, 0],
      ['2025-01-10', 'v1', 1, 1],
      ['2025-01-21', 'cty', 1, 0],
      ['2025-01-21', 't1', 1, 0],
      ['2025-01-21', 'v1', 1, 0],
      ['2025-01-22', 'cty', 1, 0],
      ['2025-01-22', 't1', 1, 0],
      ['2025-01-22', 'v1', 1, 0],
      ['2025-02-05', 'cty', 1, 3],
      ['2025-02-05', 't2', 1, 3],
      ['2025-02-05', 'v2', 1, 3],
      ['2025-02-06', 'cty', 1, 0],
      ['2025-02-06', 't2', 1, 0],
      ['2025-02-06', 'v2', 1, 0],
    ]);
  });

  it('answers visits, stay days and the festival share exactly as the raw table', async () => {
    const all = await both({ dimensions: [] });
    expect(all.usedRollup).toBe(true);
    // 6 visits, 2 in the window (w2, w3); stay days 3 + 1.
    expect([value(all.got.rows[0], 'VISITS'), value(all.got.rows[0], 'VILLAGE_STAY_DAYS'), value(all.got.rows[0], 'HOLIDAY_VISIT_SHARE')]).toEqual([6, 4, 2 / 6]);
    const byVillage = await both({ dimensions: ['REGION'], regionLevel: 'VILLAGE' });
    expect(byVillage.usedRollup).toBe(true);
    expect(byVillage.got.rows.map((r) => [r.regionId, value(r, 'VISITS')])).toEqual([['v1', 3], ['v2', 2], [null, 1]]);
    expect((await both({ dimensions: ['PERIOD'], granularity: 'WEEK' })).usedRollup).toBe(true);
    expect((await both({ dimensions: ['PERIOD', 'REGION'], granularity: 'DAY', regionLevel: 'TOWNSHIP', from: '2025-01-20', to: '2025-02-07' })).usedRollup).toBe(true);
    expect((await both({ dimensions: ['REGION'], regionLevel: 'VILLAGE' }, { regionId: 't2' })).usedRollup).toBe(true);
    expect((await both({ dimensions: ['PERIOD'], granularity: 'MONTH', regionId: 'v1' })).usedRollup).toBe(true);
  });

  it('leaves distinct households, issue rates, cadres, other zones and an inner asOf to the raw table', async () => {
    expect((await both({ measures: ['VISITS', 'HOUSEHOLDS_VISITED'], dimensions: [] })).usedRollup).toBe(false);
    expect((await both({ measures: ['VISITS', 'VISIT_ISSUE_RATE'], dimensions: [] })).usedRollup).toBe(false);
    expect((await both({ dimensions: ['CADRE'] })).usedRollup).toBe(false);
    expect((await both({ dimensions: [], timeZone: 'Europe/Berlin' })).usedRollup).toBe(false);
    expect((await both({ dimensions: [], asOf: new Date('2025-02-01T00:00:00Z') })).usedRollup).toBe(false);
  });

  it('stays exact as an import adds a visit and moves one to another village and day', async () => {
    await imports.importRecords('visits', [visit('w7', 'v2', '2025-01-25T02:00:00Z'), visit('w1', 'v2', '2025-02-20T02:00:00Z')]);
    const all = await both({ dimensions: ['REGION'], regionLevel: 'TOWNSHIP' });
    expect(all.usedRollup).toBe(true);
    expect(all.got.rows.map((r) => [r.regionId, value(r, 'VISITS'), value(r, 'HOLIDAY_VISIT_SHARE')])).toEqual([
      ['t1', 2, 1 / 2],
      ['t2', 5, 2 / 5],
    ]);
    expect((await subtreeRows()).filter((r) => r[0] === '2025-01-21')).toEqual([]);
  });
});
