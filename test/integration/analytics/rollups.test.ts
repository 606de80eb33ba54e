import fc from 'fast-check';
import { Measure } from '../../../src/analytics/analytics.enums';
import { Calendar } from '../../../src/analytics/calendar';
import { MetricsQueryArgs, MetricsService } from '../../../src/analytics/metrics.service';
import { ROLLUPS, Rollups } from '../../../src/analytics/rollups';
import { createTable, keyColumns, partColumns, rebuild, rollupPartContext } from '../../../src/analytics/rollups/rollup';
import { Scope, UNSCOPED } from '../../../src/domain/access';
import { ImportService } from '../../../src/import/import.service';
import { describeStores, TestStore } from '../../helpers/stores';

/*
 * The rollups answer exactly what the raw tables answer. A county gets random histories through
 * the import (events out of order and late, reopen after resolve, transfers, callbacks that deny
 * a closure, future-dated facts), then changed records, a moved village and a township that
 * becomes a village; after each step every rollup-served measure, grouped every way a rollup
 * answers, must equal the raw path (and come from the rollup), and each rollup's table must equal
 * a rebuild from scratch.
 */

const SH = (d: string, h = 9) => `${d}T${String(h).padStart(2, '0')}:00:00+08:00`;
const DAY = 86_400_000;

/** A small deterministic random source (mulberry32), so a failing history can be replayed by seed. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)] };
}

const REGIONS = [
  { id: 'C', level: 'COUNTY', name: '县' },
  { id: 'T1', parentId: 'C', level: 'TOWNSHIP', name: '一镇' },
  { id: 'T2', parentId: 'C', level: 'TOWNSHIP', name: '二镇' },
  { id: 'V1', parentId: 'T1', level: 'VILLAGE', name: '一村' },
  { id: 'V2', parentId: 'T1', level: 'VILLAGE', name: '二村' },
  { id: 'V3', parentId: 'T2', level: 'VILLAGE', name: '三村' },
  { id: 'G1', parentId: 'V1', level: 'GROUP', name: '一组' },
  { id: 'G2', parentId: 'V2', level: 'GROUP', name: '二组' },
  { id: 'G3', parentId: 'V3', level: 'GROUP', name: '三组' },
];
const PLACES = ['C', 'T1', 'T2', 'V1', 'V2', 'V3', 'G1', 'G2', 'G3'];
const CADRES = ['K1', 'K2', 'K3'];
const DEPARTMENTS = ['D1', 'D2', 'D3'];
const CATEGORIES = ['EMPLOYMENT', 'HEALTHCARE', 'DISPUTE'];
const CHANNELS = ['HOTLINE', 'VISIT', 'PETITION'];
const EVENT_TYPES = ['ASSIGNED', 'TRANSFERRED', 'RESPONDED', 'RESOLVED', 'EXPLAINED', 'REOPENED', 'CLOSED'];

/** A random history: visits, responses, issues with events in random order and at random delays. */
function history(seed: number, n: number, tag: string) {
  const r = rng(seed);
  // Two years of days around the queries' ranges, some facts in the future of the asOf used.
  const start = Date.parse('2024-12-20T00:00:00+08:00');
  const when = () => new Date(start + r.int(560) * DAY + r.int(24) * 3_600_000 + r.int(3) * 1000).toISOString();
  const visits = Array.from({ length: n }, (_, i) => ({
    id: `${tag}v${i}`,
    cadreId: r.pick(CADRES),
    regionId: r.pick(PLACES),
    householdId: r.next() < 0.5 ? r.pick(['H1', 'H2', 'H3']) : null,
    visitedAt: when(),
    kind: r.pick(['HOME_VISIT', 'VILLAGE_STAY', 'HOLIDAY_GREETING']),
    stayDays: null as number | null,
  }));
  for (const v of visits) if (v.kind === 'VILLAGE_STAY' && r.next() < 0.5) v.stayDays = 1 + r.int(5);
  const issues = Array.from({ length: n }, (_, i) => ({
    id: `${tag}i${i}`,
    regionId: r.pick(PLACES),
    channel: r.pick(CHANNELS),
    category: r.pick(CATEGORIES),
    receivedAt: when(),
    dueAt: null as string | null,
    visitId: r.next() < 0.3 ? visits[r.int(visits.length)].id : null,
    householdId: r.next() < 0.7 ? r.pick(['H1', 'H2', 'H3']) : null,
  }));
  for (const i of issues) if (r.next() < 0.6) i.dueAt = new Date(Date.parse(i.receivedAt) + (1 + r.int(10)) * DAY).toISOString();
  const events: Array<Record<string, unknown>> = [];
  const responses: Array<Record<string, unknown>> = [];
  for (const i of issues) {
    const k = r.int(6);
    for (let e = 0; e < k; e++) {
      const type = r.pick(EVENT_TYPES);
      // Mostly after receipt, some at the same instant, a few a long time later.
      const delay = r.next() < 0.1 ? 0 : r.next() < 0.1 ? (200 + r.int(200)) * DAY : r.int(30) * 3_600_000 * 5;
      events.push({
        id: `${i.id}e${e}`,
        issueId: i.id,
        at: new Date(Date.parse(i.receivedAt) + delay).toISOString(),
        type,
        departmentId: type === 'ASSIGNED' || type === 'TRANSFERRED' ? r.pick(DEPARTMENTS) : null,
      });
    }
    if (r.next() < 0.5) {
      responses.push({
        id: `${i.id}s`,
        regionId: i.regionId,
        issueId: i.id,
        cadreId: r.next() < 0.5 ? r.pick(CADRES) : null,
        respondedAt: new Date(Date.parse(i.receivedAt) + (1 + r.int(40)) * DAY).toISOString(),
        channel: 'PHONE_CALLBACK',
        score: 1 + r.int(5),
        resolved: r.next() < 0.8 ? r.pick(['YES', 'PARTLY', 'NO']) : null,
        contacted: r.next() < 0.7 ? r.next() < 0.8 : null,
      });
    }
  }
  for (let s = 0; s < n; s++) {
    responses.push({ id: `${tag}g${s}`, regionId: r.pick(PLACES), cadreId: r.next() < 0.7 ? r.pick(CADRES) : null, respondedAt: when(), channel: 'SMS', score: 1 + r.int(5) });
  }
  // Out of order: events and responses are shuffled and split across batches.
  const shuffle = <T>(xs: T[]) => {
    for (let k = xs.length - 1; k > 0; k--) {
      const j = r.int(k + 1);
      [xs[k], xs[j]] = [xs[j], xs[k]];
    }
    return xs;
  };
  return { visits, issues, events: shuffle(events), responses: shuffle(responses) };
}

const SATISFACTION: Measure[] = ['RESPONSES', 'SATISFACTION_AVG', 'SATISFIED_RATE', 'DISSATISFIED_RATE'];
const VISITS: Measure[] = ['VISITS', 'VILLAGE_STAY_DAYS', 'HOLIDAY_VISIT_SHARE', 'VISIT_ISSUE_RATE'];
const ISSUES: Measure[] = [
  'ISSUES_RECEIVED', 'RESPONSE_RATE', 'CLOSURE_RATE', 'RESOLUTION_RATE', 'FALSE_CLOSURE_RATE', 'ISSUE_SATISFIED_RATE',
  'ON_TIME_RATE', 'TRANSFER_RATE', 'AVG_TRANSFERS', 'REOPEN_RATE', 'PROACTIVE_RATE', 'THREE_RATE_SCORE', 'CONTACTED_RATE', 'REPEAT_RATE',
];
const DURATIONS: Measure[] = ['MEDIAN_HOURS_TO_RESOLVE', 'P90_HOURS_TO_RESOLVE', 'MEDIAN_HOURS_TO_FIRST_RESPONSE'];
const ALL: Measure[] = [...SATISFACTION, ...VISITS, ...ISSUES, ...DURATIONS, 'BACKLOG', 'VISIT_COVERAGE', 'PAIRED_HOUSEHOLD_RATE', 'PAIRED_COVERAGE', 'HOUSEHOLDS_VISITED'];

/** The queries compared after each step: every way a rollup answers, plus ranges that need complements and corrections. */
function queries(asOf: Date): Array<[string, MetricsQueryArgs, Scope, boolean]> {
  const q = (o: Partial<MetricsQueryArgs>): MetricsQueryArgs => ({ measures: ALL, from: '2025-01-01', to: '2025-12-31', asOf, ...o }) as MetricsQueryArgs;
  const issueOnly = [...ISSUES, ...DURATIONS, 'BACKLOG'] as Measure[];
  return [
    ['whole range', q({}), UNSCOPED, true],
    ['by month', q({ dimensions: ['PERIOD'], granularity: 'MONTH' }), UNSCOPED, true],
    ['by week, a year to date', q({ dimensions: ['PERIOD'], granularity: 'WEEK', from: '2025-01-01', to: '2025-06-17' }), UNSCOPED, true],
    ['by day, mid-month to mid-month', q({ dimensions: ['PERIOD'], granularity: 'DAY', from: '2025-02-10', to: '2025-03-20' }), UNSCOPED, true],
    ['by quarter across years', q({ dimensions: ['PERIOD'], granularity: 'QUARTER', from: '2024-11-15', to: '2026-02-03' }), UNSCOPED, true],
    ['by year', q({ dimensions: ['PERIOD'], granularity: 'YEAR', from: '2024-12-01', to: '2026-06-30' }), UNSCOPED, true],
    ['townships', q({ dimensions: ['REGION'], regionLevel: 'TOWNSHIP' }), UNSCOPED, true],
    // Rollups keep the county and townships: villages and groups read the facts.
    ['villages by month', q({ dimensions: ['REGION', 'PERIOD'], regionLevel: 'VILLAGE', granularity: 'MONTH' }), UNSCOPED, false],
    ['groups', q({ dimensions: ['REGION'], regionLevel: 'GROUP', from: '2025-03-01', to: '2025-08-31' }), UNSCOPED, false],
    ['villages, mid-month to mid-month', q({ dimensions: ['REGION'], regionLevel: 'VILLAGE', from: '2025-03-10', to: '2025-05-20' }), UNSCOPED, false],
    ['villages, mid-month to mid-month, no percentiles', q({ measures: [...SATISFACTION, ...VISITS, ...ISSUES, 'BACKLOG'], dimensions: ['REGION'], regionLevel: 'VILLAGE', from: '2025-03-10', to: '2025-05-20' }), UNSCOPED, false],
    ['villages, a month to date', q({ dimensions: ['REGION'], regionLevel: 'VILLAGE', from: '2025-06-01', to: '2025-06-17' }), UNSCOPED, false],
    ['an officer of T1, townships', q({ dimensions: ['REGION'], regionLevel: 'TOWNSHIP' }), { regionId: 'T1' }, true],
    // The level above the root: every fact of the root is in the null row.
    ['an officer of T1, by county', q({ dimensions: ['REGION'], regionLevel: 'COUNTY' }), { regionId: 'T1' }, true],
    ['an officer of V1, villages by quarter', q({ dimensions: ['REGION', 'PERIOD'], regionLevel: 'VILLAGE', granularity: 'QUARTER' }), { regionId: 'V1' }, false],
    ['regionId T2, groups', q({ dimensions: ['REGION'], regionLevel: 'GROUP', regionId: 'T2' }), UNSCOPED, false],
    ['regionId V3, by month', q({ dimensions: ['PERIOD'], granularity: 'MONTH', regionId: 'V3' }), UNSCOPED, false],
    ['regionId T2, by month, mid-month to mid-month', q({ dimensions: ['PERIOD'], granularity: 'MONTH', regionId: 'T2', from: '2025-03-10', to: '2025-08-20' }), UNSCOPED, true],
    ['categories', q({ measures: issueOnly, dimensions: ['CATEGORY'] }), UNSCOPED, true],
    ['departments by month', q({ measures: issueOnly, dimensions: ['DEPARTMENT', 'PERIOD'], granularity: 'MONTH' }), UNSCOPED, true],
    ['channels × townships, filtered', q({ measures: issueOnly, dimensions: ['CHANNEL', 'REGION'], regionLevel: 'TOWNSHIP', categories: ['DISPUTE', 'HEALTHCARE'] as never }), UNSCOPED, true],
    ['departments filter', q({ measures: issueOnly, departmentIds: ['D1', 'D3'] }), UNSCOPED, true],
    ['cadres by month', q({ measures: [...SATISFACTION, ...VISITS, 'PAIRED_COVERAGE'], dimensions: ['CADRE', 'PERIOD'], granularity: 'MONTH' }), UNSCOPED, true],
    ['cadre filter', q({ measures: [...SATISFACTION, ...VISITS, 'PAIRED_COVERAGE'], cadreIds: ['K2'] }), UNSCOPED, true],
    // An officer's cadre rows cannot come from the county-wide cadre rollup: raw.
    ['cadres of an officer', q({ measures: [...SATISFACTION, ...VISITS, 'PAIRED_COVERAGE'], dimensions: ['CADRE'] }), { regionId: 'T2' }, false],
  ];
}

/** An import keeping every rollup, the engine on them and on the raw tables; the rollups made on the empty database, then kept by every import (as at first start). */
async function withRollups(store: TestStore) {
  const calendar = new Calendar(store.config.festivals);
  const rollups = new Rollups(store.ds, calendar, store.config);
  const imports = new ImportService(store.ds, store.config, rollups);
  const raw = new MetricsService(store.ds, store.config, { rollups: false });
  const sut = new MetricsService(store.ds, store.config, { calendar, rollupState: rollups });
  await rollups.buildStale(() => undefined);
  return { rollups, imports, raw, sut };
}

describeStores('rollups answer as the raw tables do', (store) => {
  let imports: ImportService;
  let raw: MetricsService;
  let sut: MetricsService;

  const check = async (asOf: Date) => {
    for (const [what, query, scope, rollup] of queries(asOf)) {
      const expected = await raw.compute(query, scope);
      const got = await sut.compute(query, scope);
      if (JSON.stringify(got.rows) !== JSON.stringify(expected.rows)) {
        expect({ what, rows: got.rows }).toEqual({ what, rows: expected.rows });
      }
      expect({ what, servedByRollup: got.servedByRollup }).toEqual({ what, servedByRollup: rollup });
      // Whole months up to the last visits: PAIRED_COVERAGE's pairings visited come from their rollup.
      const paired = PAIRED_SERVED[what];
      if (asOf === asOfs[0] && paired) expect({ what, read: got.rollupsRead }).toEqual({ what, read: expect.arrayContaining([paired]) });
    }
  };
  const PAIRED_SERVED: Record<string, string> = {
    'whole range': 'rollup_paired_coverage',
    'by month': 'rollup_paired_coverage',
    townships: 'rollup_paired_coverage',
    'an officer of T1, townships': 'rollup_paired_coverage',
    'an officer of T1, by county': 'rollup_paired_coverage',
    'cadres by month': 'rollup_cadre_paired_coverage',
    'cadre filter': 'rollup_cadre_paired_coverage',
  };

  /** Each rollup's rows (zero rows left out) equal a rebuild's. */
  const sameAsRebuild = async () => {
    const calendar = new Calendar(store().config.festivals);
    const rollups = new Rollups(store().ds, calendar, store().config);
    for (const r of ROLLUPS) {
      const c = rollupPartContext(calendar, rollups.wanted);
      const read = async (table: string) => {
        // A per-fact rollup (durations) has every column compared; a summing one its non-zero rows.
        const values = r.rows ? ['fact_depth', ...r.rows.map((x) => x.column), ...r.dims.map((d) => d.column)] : partColumns(r, c);
        const cols = [...keyColumns(r), ...(r.levels ? ['region_id'] : []), ...values];
        const rows: Array<Record<string, unknown>> = await store().ds.query(`SELECT ${[...new Set(cols)].join(', ')} FROM ${table} ORDER BY ${keyColumns(r).join(', ')}`);
        return rows.filter((x) => r.rows || values.some((p) => Number(x[p]) !== 0)).map((x) => Object.values(x).map(String).join('|'));
      };
      const maintained = await read(r.table);
      const fresh = { ...r, table: `${r.table}_check` };
      await store().ds.transaction(async (m) => {
        await createTable(m, fresh, c);
        await rebuild(m, fresh, calendar, rollups.wanted);
      });
      expect({ rollup: r.name, rows: maintained }).toEqual({ rollup: r.name, rows: await read(fresh.table) });
      expect(maintained.length).toBeGreaterThan(0);
      await store().ds.query(`DROP TABLE ${fresh.table}`);
    }
  };

  beforeAll(async () => {
    const built = await withRollups(store());
    [imports, raw, sut] = [built.imports, built.raw, built.sut];
    await imports.importRecords('regions', REGIONS);
    await imports.importRecords('departments', DEPARTMENTS.map((id) => ({ id, name: id })));
    await imports.importRecords('cadres', CADRES.map((id, k) => ({ id, name: id, regionId: ['V1', 'V3', 'T1'][k], rank: 'STAFF' })));
    await imports.importRecords('households', ['H1', 'H2', 'H3'].map((id, k) => ({ id, regionId: ['G1', 'G2', 'G3'][k], headName: '张三' })));
    // Pairings open, ended on a month's last day and inside a month, a cadre paired twice with one household.
    await imports.importRecords('pairings', [
      { id: 'P1', cadreId: 'K1', householdId: 'H1', startedOn: '2024-11-10' },
      { id: 'P2', cadreId: 'K2', householdId: 'H2', startedOn: '2025-03-15', endedOn: '2025-08-31' },
      { id: 'P3', cadreId: 'K3', householdId: 'H3', startedOn: '2025-02-01', endedOn: '2025-06-17' },
      { id: 'P4', cadreId: 'K1', householdId: 'H1', startedOn: '2025-05-01', endedOn: '2025-12-31' },
      { id: 'P5', cadreId: 'K2', householdId: 'H3', startedOn: '2025-01-01', endedOn: '2025-01-31' },
      { id: 'P6', cadreId: 'K3', householdId: 'H1', startedOn: '2025-07-20' },
    ]);
    await built.rollups.load();
  });

  const asOfs = [new Date('2025-12-31T16:00:00Z'), new Date('2025-06-17T03:30:00Z'), new Date('2025-02-20T12:00:00Z')];

  it('after random histories imported in batches, out of order', async () => {
    const h = history(7, 60, 'a');
    await imports.importRecords('visits', h.visits);
    await imports.importRecords('issues', h.issues);
    for (let k = 0; k < h.events.length; k += 37) await imports.importRecords('issue_events', h.events.slice(k, k + 37));
    for (let k = 0; k < h.responses.length; k += 29) await imports.importRecords('survey_responses', h.responses.slice(k, k + 29));
    for (const asOf of asOfs) await check(asOf);
    await sameAsRebuild();
  });

  it('after changed records: an issue moved, recategorised, received later; a response re-linked; a visit moved', async () => {
    const h = history(7, 60, 'a');
    const issue = { ...h.issues[3], regionId: 'G3', category: 'EMPLOYMENT', householdId: 'H2', visitId: h.visits[9].id, receivedAt: new Date(Date.parse(h.issues[3].receivedAt) + 40 * DAY).toISOString() };
    await imports.importRecords('issues', [issue, { ...h.issues[5], channel: 'VISIT', dueAt: null, visitId: null }]);
    const linked = h.responses.find((s) => s.issueId);
    await imports.importRecords('survey_responses', [{ ...linked!, issueId: h.issues[8].id, score: 1, resolved: 'NO' }]);
    await imports.importRecords('visits', [{ ...h.visits[2], regionId: 'V2', cadreId: 'K1', visitedAt: SH('2025-09-30') }]);
    // A pairing now of another cadre and ending later, a new one.
    await imports.importRecords('pairings', [
      { id: 'P3', cadreId: 'K2', householdId: 'H3', startedOn: '2025-02-01', endedOn: '2025-09-30' },
      { id: 'P7', cadreId: 'K3', householdId: 'H2', startedOn: '2025-04-16' },
    ]);
    const ev = h.events.find((e) => e.type === 'RESOLVED')!;
    await imports.importRecords('issue_events', [{ ...ev, type: 'REOPENED', at: new Date(Date.parse(String(ev.at)) - 3_600_000).toISOString() }]);
    for (const asOf of asOfs) await check(asOf);
    await sameAsRebuild();
  });

  it('after a second history and a village moved to another township, then a group becoming a village', async () => {
    const h = history(11, 40, 'b');
    await imports.importRecords('visits', h.visits);
    await imports.importRecords('issues', h.issues);
    await imports.importRecords('issue_events', h.events);
    await imports.importRecords('survey_responses', h.responses);
    await imports.importRecords('regions', [{ ...REGIONS[4], parentId: 'T2' }]); // V2 moves from T1 to T2
    for (const asOf of asOfs) await check(asOf);
    await sameAsRebuild();
    await imports.importRecords('households', [{ id: 'H1', regionId: 'G3', headName: '张三' }]); // H1 moves from T1 to T2: its visits' coverage with it
    await check(asOfs[0]);
    await sameAsRebuild();
    await imports.importRecords('regions', [{ ...REGIONS[8], level: 'VILLAGE', parentId: 'T2' }]); // group G3 becomes a village of T2
    await check(asOfs[0]);
    await sameAsRebuild();
  });

  it('on any seeded history (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1_000_000 }), async (seed) => {
        const h = history(seed, 8, `p${seed}-`);
        await imports.importRecords('visits', h.visits);
        await imports.importRecords('issues', h.issues);
        await imports.importRecords('issue_events', h.events);
        await imports.importRecords('survey_responses', h.responses);
        const [what, query, scope] = queries(asOfs[seed % 3])[seed % queries(asOfs[0]).length];
        const expected = await raw.compute(query, scope);
        const got = await sut.compute(query, scope);
        expect({ what, seed, rows: got.rows }).toEqual({ what, seed, rows: expected.rows });
      }),
      { numRuns: 12, seed: 20261207 },
    );
    await sameAsRebuild();
  });
});

/**
 * `query` answered by `sut` exactly as by `raw` (asserted), as [period, region or cadre, numerator,
 * denominator] of each row's first measure, and whether one of `tables` served it.
 */
async function answeredAlike(sut: MetricsService, raw: MetricsService, query: MetricsQueryArgs, scope: Scope, tables: readonly string[]) {
  const [got, expected] = [await sut.compute(query, scope), await raw.compute(query, scope)];
  expect(got.rows).toEqual(expected.rows);
  return { served: got.rollupsRead.some((t) => tables.includes(t)), rows: got.rows.map((r) => [r.period ?? null, r.regionId ?? r.cadreId ?? null, r.values[0].numerator, r.values[0].denominator]) };
}

/*
 * VISIT_COVERAGE from the coverage rollup, hand-computed: C ⊃ T1 ⊃ V1 (H1, H2), C ⊃ T2 ⊃ V2 (H3),
 * Asia/Shanghai. A household visited twice in a bucket (at one instant, too) counts once; the
 * month is the local one; late and changed visits move the households' chains.
 */
describeStores('the households rollups: households visited per bucket of whole months, households in scope', (store) => {
  let imports: ImportService;
  let raw: MetricsService;
  let sut: MetricsService;
  const asOf = new Date('2026-01-01T00:00:00Z');
  const query = (o: Partial<MetricsQueryArgs>) => ({ measures: ['VISIT_COVERAGE'], from: '2025-01-01', to: '2025-04-30', asOf, ...o }) as MetricsQueryArgs;
  /** The rows as the raw tables give them, and whether `table` (the coverage rollup) served them. */
  const both = (o: Partial<MetricsQueryArgs>, scope: Scope = UNSCOPED, table = 'rollup_coverage') => answeredAlike(sut, raw, query(o), scope, [table]);
  const v = (id: string, householdId: string | null, local: string, regionId = 'V1') => ({ id, cadreId: 'K1', regionId, householdId, visitedAt: `${local}+08:00`, kind: 'HOME_VISIT' });
  const byMonth = { dimensions: ['PERIOD'], granularity: 'MONTH' } as Partial<MetricsQueryArgs>;

  beforeAll(async () => {
    const built = await withRollups(store());
    [imports, raw, sut] = [built.imports, built.raw, built.sut];
    await imports.importRecords('regions', REGIONS.filter((r) => ['C', 'T1', 'T2', 'V1', 'V3'].includes(r.id)).map((r) => (r.id === 'V3' ? { ...r, id: 'V2' } : r)));
    await imports.importRecords('cadres', [{ id: 'K1', name: 'K1', regionId: 'T1', rank: 'STAFF' }]);
    await imports.importRecords('households', [{ id: 'H1', regionId: 'V1', headName: '甲' }, { id: 'H2', regionId: 'V1', headName: '乙' }, { id: 'H3', regionId: 'V2', headName: '丙' }]);
    await imports.importRecords('visits', [
      v('a1', 'H1', '2025-01-31T23:59:59'),
      v('a2', 'H1', '2025-02-01T00:00:00'),
      v('z3', 'H1', '2025-03-05T10:00:00'),
      v('a4', 'H1', '2025-03-05T10:00:00'), // the same instant as z3 (the smaller id is the earlier)
      v('b1', 'H2', '2025-03-31T23:00:00', 'V2'), // placed by H2's region, V1, not the visit's
      v('b2', 'H2', '2025-04-01T01:00:00'),
      v('c1', 'H3', '2025-02-15T09:00:00', 'V2'),
      v('n1', null, '2025-02-16T09:00:00'),
    ]);
  });

  it('counts each household once per bucket, by local month, from the rollup', async () => {
    expect(await both(byMonth)).toEqual({ served: true, rows: [['2025-01-01', null, 1, 3], ['2025-02-01', null, 2, 3], ['2025-03-01', null, 2, 3], ['2025-04-01', null, 1, 3]] });
    expect(await both({ dimensions: ['PERIOD'], granularity: 'QUARTER' })).toEqual({ served: true, rows: [['2025-01-01', null, 3, 3], ['2025-04-01', null, 1, 3]] });
    expect(await both({ dimensions: ['REGION'], regionLevel: 'TOWNSHIP' })).toEqual({ served: true, rows: [[null, 'T1', 2, 2], [null, 'T2', 1, 1]] });
    expect(await both({ dimensions: ['REGION'], regionLevel: 'TOWNSHIP', from: '2025-03-01', to: '2025-03-31' }, { regionId: 'T1' })).toEqual({ served: true, rows: [[null, 'T1', 2, 2]] });
    // Up to a day inside April, no visit after it: April so far is all of April's visits. Up to a day inside March, with visits after it: the tables.
    expect(await both({ ...byMonth, to: '2025-04-15' })).toEqual({ served: true, rows: [['2025-01-01', null, 1, 3], ['2025-02-01', null, 2, 3], ['2025-03-01', null, 2, 3], ['2025-04-01', null, 1, 3]] });
    expect(await both({ ...byMonth, to: '2025-03-20' })).toEqual({ served: false, rows: [['2025-01-01', null, 1, 3], ['2025-02-01', null, 2, 3], ['2025-03-01', null, 1, 3]] });
    // Households in scope from the household-count rollup, whatever the range.
    const byTownship = { dimensions: ['REGION'], regionLevel: 'TOWNSHIP' } as Partial<MetricsQueryArgs>;
    expect(await both({ measures: ['PAIRED_HOUSEHOLD_RATE'], ...byTownship, from: '2025-01-15' }, UNSCOPED, 'rollup_households')).toEqual({ served: true, rows: [[null, 'T1', 0, 2], [null, 'T2', 0, 1]] });
    expect(await both({ ...byTownship }, { regionId: 'T1' }, 'rollup_households')).toEqual({ served: true, rows: [[null, 'T1', 2, 2]] });
    expect(await both({ dimensions: ['REGION'], regionLevel: 'VILLAGE' }, UNSCOPED, 'rollup_households')).toMatchObject({ served: false });
    // Not whole months, villages, or visits after a past asOf inside the range: the tables answer.
    expect(await both({ from: '2025-01-15', measures: ['VISIT_COVERAGE'], regionId: 'V1' })).toMatchObject({ served: false, rows: [[null, null, 2, 2]] });
    expect(await both({ dimensions: ['REGION'], regionLevel: 'VILLAGE' })).toMatchObject({ served: false, rows: [[null, 'V1', 2, 2], [null, 'V2', 1, 1]] });
    expect(await both({ ...byMonth, asOf: new Date('2025-03-05T02:00:00Z') })).toMatchObject({ served: false, rows: [['2025-01-01', null, 1, 3], ['2025-02-01', null, 2, 3], ['2025-03-01', null, 1, 3], ['2025-04-01', null, 0, 3]] });
  });

  it('counts HOUSEHOLDS_VISITED from the coverage rollup while every visit read is recorded in its household’s region', async () => {
    const visited = async (o: Partial<MetricsQueryArgs>, scope: Scope = UNSCOPED) => {
      const q = query({ measures: ['HOUSEHOLDS_VISITED'], ...o });
      const [got, expected] = [await sut.compute(q, scope), await raw.compute(q, scope)];
      expect(got.rows).toEqual(expected.rows);
      return { served: got.rollupsRead.includes('rollup_coverage'), rows: got.rows.map((r) => [r.period ?? null, r.regionId ?? null, r.values[0].value]) };
    };
    // January and February: every visit in its household's region (c1 in V2 is H3's).
    expect(await visited({ ...byMonth, to: '2025-02-28' })).toEqual({ served: true, rows: [['2025-01-01', null, 1], ['2025-02-01', null, 2]] });
    expect(await visited({ dimensions: ['REGION'], regionLevel: 'TOWNSHIP', to: '2025-02-28' })).toEqual({ served: true, rows: [[null, 'T1', 1], [null, 'T2', 1]] });
    expect(await visited({ dimensions: ['REGION'], regionLevel: 'TOWNSHIP', to: '2025-02-28' }, { regionId: 'T2' })).toEqual({ served: true, rows: [[null, 'T2', 1]] });
    // March holds b1, recorded in V2 though H2 lives in V1: by the visits' regions H2 is T2's in March, and T1's by b2 in April — the tables.
    expect(await visited({ dimensions: ['REGION'], regionLevel: 'TOWNSHIP', from: '2025-03-01' })).toEqual({ served: false, rows: [[null, 'T1', 2], [null, 'T2', 1]] });
    expect(await visited(byMonth)).toMatchObject({ served: false });
    // By cadre, or from a month's middle: the tables.
    expect(await visited({ dimensions: ['CADRE'], to: '2025-02-28' })).toEqual({ served: false, rows: [[null, null, 2]] });
    expect(await visited({ from: '2025-01-15', to: '2025-02-28' })).toEqual({ served: false, rows: [[null, null, 2]] });
  });

  it('follows late, changed and moved visits and a household that moves', async () => {
    // A late visit before H2's first, one of H3 in January; a2 now names H3 (H1 has no February visit left).
    await imports.importRecords('visits', [v('b0', 'H2', '2025-03-01T00:00:00'), v('c0', 'H3', '2025-01-15T09:00:00', 'V2'), { ...v('a2', 'H3', '2025-02-01T00:00:00'), regionId: 'V2' }]);
    expect(await both(byMonth)).toEqual({ served: true, rows: [['2025-01-01', null, 2, 3], ['2025-02-01', null, 1, 3], ['2025-03-01', null, 2, 3], ['2025-04-01', null, 1, 3]] });
    // H3 moves to V1: every household of T1 now.
    await imports.importRecords('households', [{ id: 'H3', regionId: 'V1', headName: '丙' }]);
    expect(await both({ dimensions: ['REGION'], regionLevel: 'TOWNSHIP' })).toEqual({ served: true, rows: [[null, 'T1', 3, 3], [null, 'T2', 0, 0]] });
  });

  it('answers a range that starts inside a month: the days before it taken away, or its own days added', async () => {
    // H1 on Jan 5 (and again Jan 31), H2 on Jan 10 only (then Mar 1): from Jan 15, January has H1 and H3 (c0, Jan 15 09:00).
    await imports.importRecords('visits', [v('e2', 'H1', '2025-01-05T09:00:00'), v('e1', 'H2', '2025-01-10T09:00:00')]);
    const fromMid = { ...byMonth, from: '2025-01-15' };
    expect(await both(fromMid)).toEqual({ served: true, rows: [['2025-01-01', null, 2, 3], ['2025-02-01', null, 1, 3], ['2025-03-01', null, 2, 3], ['2025-04-01', null, 1, 3]] });
    expect(await both({ from: '2025-01-15' })).toEqual({ served: true, rows: [[null, null, 3, 3]] });
    expect(await both({ from: '2025-01-15', dimensions: ['REGION'], regionLevel: 'TOWNSHIP' })).toEqual({ served: true, rows: [[null, 'T1', 3, 3], [null, 'T2', 0, 0]] });
    // Mar 2–31: H2's visit of Mar 1 is before, but H2 comes again on Mar 31.
    expect(await both({ ...byMonth, from: '2025-03-02' })).toEqual({ served: true, rows: [['2025-03-01', null, 2, 3], ['2025-04-01', null, 1, 3]] });
    // Late in a month: the rollup from the next month plus the households seen only in the range's first days (H1 on Jan 31).
    expect(await both({ from: '2025-01-28', to: '2025-02-28' })).toEqual({ served: true, rows: [[null, null, 2, 3]] });
    expect(await both({ from: '2025-01-25', dimensions: ['PERIOD'], granularity: 'QUARTER' })).toEqual({ served: true, rows: [['2025-01-01', null, 3, 3], ['2025-04-01', null, 1, 3]] });
    // Jan 12–20 with a visit on Jan 31 after it: the tables answer.
    expect(await both({ from: '2025-01-12', to: '2025-01-20' })).toEqual({ served: false, rows: [[null, null, 1, 3]] });
  });
});

/*
 * PAIRED_COVERAGE from the paired-coverage rollup, hand-computed: C ⊃ T1 ⊃ V1 (H1, H2), C ⊃ T2 ⊃
 * V2 (H3), Asia/Shanghai. Pairings: p1 K1–H1 from Jan 10; p2 K1–H2 Feb 1 – Mar 31 (a month's last
 * day: active on it); p3 K2–H3 Jan 1 – Mar 30 (not active on Mar 31); p4 K2–H1 from Mar 31.
 * Active on the months' last days: Jan p1 p3; Feb p1 p2 p3; Mar p1 p2 p4; Apr p1 p4.
 */
describeStores('the paired-coverage rollup: pairings visited per bucket of whole months', (store) => {
  let imports: ImportService;
  let raw: MetricsService;
  let sut: MetricsService;
  const asOf = new Date('2026-01-01T00:00:00Z');
  const query = (o: Partial<MetricsQueryArgs>) => ({ measures: ['PAIRED_COVERAGE'], from: '2025-01-01', to: '2025-04-30', asOf, ...o }) as MetricsQueryArgs;
  /** The rows as the raw tables give them, and whether a paired-coverage rollup served them. */
  const both = (o: Partial<MetricsQueryArgs>, scope: Scope = UNSCOPED) => answeredAlike(sut, raw, query(o), scope, ['rollup_paired_coverage', 'rollup_cadre_paired_coverage']);
  const v = (id: string, cadreId: string, householdId: string | null, local: string, regionId = 'V1') => ({ id, cadreId, regionId, householdId, visitedAt: `${local}+08:00`, kind: 'HOME_VISIT' });
  const byMonth = { dimensions: ['PERIOD'], granularity: 'MONTH' } as Partial<MetricsQueryArgs>;
  const byTownship = { dimensions: ['REGION'], regionLevel: 'TOWNSHIP' } as Partial<MetricsQueryArgs>;
  /** PAIRED_HOUSEHOLD_RATE's rows as `both` gives them, and whether the paired-households rollup served them. */
  const paired = (o: Partial<MetricsQueryArgs>, scope: Scope = UNSCOPED) => answeredAlike(sut, raw, query({ measures: ['PAIRED_HOUSEHOLD_RATE'], ...o }), scope, ['rollup_paired_households']);
  const days = (o: { served: boolean; rows: unknown[][] }, wanted: string[]) => ({ served: o.served, rows: o.rows.filter((r) => wanted.includes(String(r[0]))) });

  beforeAll(async () => {
    const built = await withRollups(store());
    [imports, raw, sut] = [built.imports, built.raw, built.sut];
    await imports.importRecords('regions', REGIONS.filter((r) => ['C', 'T1', 'T2', 'V1', 'V3'].includes(r.id)).map((r) => (r.id === 'V3' ? { ...r, id: 'V2' } : r)));
    await imports.importRecords('cadres', [{ id: 'K1', name: 'K1', regionId: 'T1', rank: 'STAFF' }, { id: 'K2', name: 'K2', regionId: 'T2', rank: 'STAFF' }]);
    await imports.importRecords('households', [{ id: 'H1', regionId: 'V1', headName: '甲' }, { id: 'H2', regionId: 'V1', headName: '乙' }, { id: 'H3', regionId: 'V2', headName: '丙' }]);
    await imports.importRecords('pairings', [
      { id: 'p1', cadreId: 'K1', householdId: 'H1', startedOn: '2025-01-10' },
      { id: 'p2', cadreId: 'K1', householdId: 'H2', startedOn: '2025-02-01', endedOn: '2025-03-31' },
      { id: 'p3', cadreId: 'K2', householdId: 'H3', startedOn: '2025-01-01', endedOn: '2025-03-30' },
      { id: 'p4', cadreId: 'K2', householdId: 'H1', startedOn: '2025-03-31' },
    ]);
    await imports.importRecords('visits', [
      v('a1', 'K1', 'H1', '2025-01-31T23:59:59'),
      v('a2', 'K1', 'H1', '2025-02-01T00:00:00'),
      v('z3', 'K1', 'H1', '2025-03-05T10:00:00'),
      v('a4', 'K1', 'H1', '2025-03-05T10:00:00'), // the same instant as z3
      v('b1', 'K1', 'H2', '2025-03-31T23:00:00', 'V2'), // placed by H2's region, V1, not the visit's
      v('b2', 'K1', 'H2', '2025-04-01T01:00:00'), // p2 ended Mar 31
      v('c1', 'K2', 'H3', '2025-02-15T09:00:00', 'V2'),
      v('d1', 'K2', 'H1', '2025-03-20T09:00:00'), // before p4 started: it still covers p4 in March
      v('x1', 'K1', 'H3', '2025-02-20T09:00:00', 'V2'), // no pairing of K1 with H3
      v('n1', 'K1', null, '2025-02-16T09:00:00'),
    ]);
  });

  it('counts each active pairing with a visit by its cadre to its household once per bucket, from the rollup', async () => {
    expect(await both(byMonth)).toEqual({ served: true, rows: [['2025-01-01', null, 1, 2], ['2025-02-01', null, 2, 3], ['2025-03-01', null, 3, 3], ['2025-04-01', null, 0, 2]] });
    expect(await both({ dimensions: ['PERIOD'], granularity: 'QUARTER', to: '2025-06-30' })).toEqual({ served: true, rows: [['2025-01-01', null, 3, 3], ['2025-04-01', null, 0, 2]] });
    expect(await both({})).toEqual({ served: true, rows: [[null, null, 2, 2]] });
    expect(await both({ ...byTownship, to: '2025-02-28' })).toEqual({ served: true, rows: [[null, 'T1', 1, 2], [null, 'T2', 1, 1]] });
    expect(await both({ ...byTownship, to: '2025-02-28' }, { regionId: 'T1' })).toEqual({ served: true, rows: [[null, 'T1', 1, 2]] });
    // Up to a day inside April, no visit after it and no pairing starting or ending later in April: the rollup.
    expect(await both({ ...byMonth, to: '2025-04-15' })).toEqual({ served: true, rows: [['2025-01-01', null, 1, 2], ['2025-02-01', null, 2, 3], ['2025-03-01', null, 3, 3], ['2025-04-01', null, 0, 2]] });
    // Up to a day inside March with visits after it (p3, ended Mar 30, is active on Mar 20), villages, an officer's cadres, a past asOf: the tables.
    expect(await both({ ...byMonth, to: '2025-03-20' })).toEqual({ served: false, rows: [['2025-01-01', null, 1, 2], ['2025-02-01', null, 2, 3], ['2025-03-01', null, 1, 3]] });
    expect(await both({ from: '2025-01-15', to: '2025-01-31' })).toEqual({ served: true, rows: [[null, null, 1, 2]] });
    expect(await both({ dimensions: ['REGION'], regionLevel: 'VILLAGE', to: '2025-02-28' })).toEqual({ served: false, rows: [[null, 'V1', 1, 2], [null, 'V2', 1, 1]] });
    // Active pairings on any day from the pairings rollup (the visited ones by day from the tables).
    expect(await both({ dimensions: ['PERIOD'], granularity: 'DAY', from: '2025-03-29', to: '2025-04-01' })).toEqual({
      served: false,
      rows: [['2025-03-29', null, 0, 3], ['2025-03-30', null, 0, 3], ['2025-03-31', null, 1, 3], ['2025-04-01', null, 0, 2]],
    });
    const read = async (o: Partial<MetricsQueryArgs>, scope: Scope = UNSCOPED) => (await sut.compute(query(o), scope)).rollupsRead;
    expect(await read({ dimensions: ['PERIOD'], granularity: 'DAY', from: '2025-03-29', to: '2025-04-01' })).toEqual(['rollup_pairings']);
    expect(await read(byMonth)).toEqual(['rollup_paired_coverage', 'rollup_pairings']);
    // By cadre over one bucket the active pairings come from idx_pairings_cadre_span alone; over several, from the cadre stock rollup.
    expect(await read({ dimensions: ['CADRE'] })).toEqual(['rollup_cadre_paired_coverage']);
    expect(await read({ dimensions: ['CADRE', 'PERIOD'], granularity: 'MONTH' })).toEqual(['rollup_cadre_paired_coverage', 'rollup_cadre_pairings']);
    expect(await read({ dimensions: ['REGION'], regionLevel: 'VILLAGE' })).toEqual([]);
    // By cadre over the whole county: the cadre rollup (K1: p1 visited, p2 not; K2: p3); an officer's cadres: the tables.
    expect(await both({ dimensions: ['CADRE'], to: '2025-02-28' })).toEqual({ served: true, rows: [[null, 'K1', 1, 2], [null, 'K2', 1, 1]] });
    expect(await both({ cadreIds: ['K2'], dimensions: ['PERIOD'], granularity: 'MONTH' })).toEqual({ served: true, rows: [['2025-01-01', null, 0, 1], ['2025-02-01', null, 1, 1], ['2025-03-01', null, 1, 1], ['2025-04-01', null, 0, 1]] });
    expect(await both({ dimensions: ['CADRE'], to: '2025-02-28' }, { regionId: 'T1' })).toEqual({ served: false, rows: [[null, 'K1', 1, 2]] });
    expect(await both({ ...byMonth, asOf: new Date('2025-03-05T02:00:00Z') })).toMatchObject({ served: false, rows: [['2025-01-01', null, 1, 2], ['2025-02-01', null, 2, 3], ['2025-03-01', null, 1, 3], ['2025-04-01', null, 0, 2]] });
  });

  it('counts the households with a pairing active on each bucket’s last day from the paired-households rollup, by day too', async () => {
    // Spells: H1 from Jan 10 (p1, then p4 inside it), H2 Feb 1 – Mar 31, H3 Jan 1 – Mar 30.
    expect(await paired(byMonth)).toEqual({ served: true, rows: [['2025-01-01', null, 2, 3], ['2025-02-01', null, 3, 3], ['2025-03-01', null, 2, 3], ['2025-04-01', null, 1, 3]] });
    expect(await paired({ dimensions: ['PERIOD'], granularity: 'DAY', from: '2025-03-29', to: '2025-04-01' })).toEqual({
      served: true,
      rows: [['2025-03-29', null, 3, 3], ['2025-03-30', null, 3, 3], ['2025-03-31', null, 2, 3], ['2025-04-01', null, 1, 3]],
    });
    expect(await paired({ to: '2025-01-09' })).toEqual({ served: true, rows: [[null, null, 1, 3]] });
    expect(await paired({ ...byTownship, to: '2025-03-30' })).toEqual({ served: true, rows: [[null, 'T1', 2, 2], [null, 'T2', 1, 1]] });
    expect(await paired({ ...byTownship, to: '2025-03-31' }, { regionId: 'T2' })).toEqual({ served: true, rows: [[null, 'T2', 0, 1]] });
    expect(await paired({ dimensions: ['REGION'], regionLevel: 'VILLAGE' })).toEqual({ served: false, rows: [[null, 'V1', 1, 2], [null, 'V2', 0, 1]] });
  });

  it('follows late and changed visits, changed and new pairings, and a household that moves', async () => {
    // A late visit of p2 in February; a2 now by K2 (p1 has no February visit left, p4's chain gains one).
    await imports.importRecords('visits', [v('b0', 'K1', 'H2', '2025-02-10T09:00:00'), v('a2', 'K2', 'H1', '2025-02-01T00:00:00')]);
    expect(await both(byMonth)).toEqual({ served: true, rows: [['2025-01-01', null, 1, 2], ['2025-02-01', null, 2, 3], ['2025-03-01', null, 3, 3], ['2025-04-01', null, 0, 2]] });
    // p3 now ends Apr 30 (active on Mar 31 and Apr 30, no visit then); a new pairing ends inside April.
    await imports.importRecords('pairings', [
      { id: 'p3', cadreId: 'K2', householdId: 'H3', startedOn: '2025-01-01', endedOn: '2025-04-30' },
      { id: 'p5', cadreId: 'K1', householdId: 'H3', startedOn: '2025-02-01', endedOn: '2025-04-20' },
    ]);
    expect(await both(byMonth)).toEqual({ served: true, rows: [['2025-01-01', null, 1, 2], ['2025-02-01', null, 3, 4], ['2025-03-01', null, 3, 5], ['2025-04-01', null, 0, 3]] });
    // p5 ends on Apr 20, after Apr 15: its month-end says nothing about Apr 15, so the tables answer.
    expect(await both({ ...byMonth, to: '2025-04-15' })).toEqual({ served: false, rows: [['2025-01-01', null, 1, 2], ['2025-02-01', null, 3, 4], ['2025-03-01', null, 3, 5], ['2025-04-01', null, 0, 4]] });
    // H1 moves to V2: its pairings (p1, p4) with it; T1 keeps only pairings ended by Apr 30.
    await imports.importRecords('households', [{ id: 'H1', regionId: 'V2', headName: '甲' }]);
    expect(await both(byTownship)).toEqual({ served: true, rows: [[null, 'T1', 0, 0], [null, 'T2', 3, 3]] });
    // H3's spell is Jan 1 – Apr 30 now (p5 inside p3); H2 gets a pairing from the day after its spell ended (Apr 1–10): its two spells meet.
    await imports.importRecords('pairings', [{ id: 'p6', cadreId: 'K2', householdId: 'H2', startedOn: '2025-04-01', endedOn: '2025-04-10' }]);
    expect(await paired({ dimensions: ['PERIOD'], granularity: 'DAY', from: '2025-03-30', to: '2025-04-12' }).then((o) => days(o, ['2025-03-30', '2025-03-31', '2025-04-01', '2025-04-10', '2025-04-11']))).toEqual({
      served: true,
      rows: [['2025-03-30', null, 3, 3], ['2025-03-31', null, 3, 3], ['2025-04-01', null, 3, 3], ['2025-04-10', null, 3, 3], ['2025-04-11', null, 2, 3]],
    });
    expect(await paired({ ...byTownship, ...byMonth, dimensions: ['REGION', 'PERIOD'] })).toEqual({
      served: true,
      rows: [
        ['2025-01-01', 'T1', 0, 1], ['2025-01-01', 'T2', 2, 2], ['2025-02-01', 'T1', 1, 1], ['2025-02-01', 'T2', 2, 2],
        ['2025-03-01', 'T1', 1, 1], ['2025-03-01', 'T2', 2, 2], ['2025-04-01', 'T1', 0, 1], ['2025-04-01', 'T2', 2, 2],
      ],
    });
  });

  it('answers a range that starts inside a month: the pairings seen only before it taken away, or those seen only in its first days added', async () => {
    // p3 visited on Jan 5 only in January; p1 on Jan 12 and Jan 31; a new pairing p7 (K2–H2 from Jan 20) visited on Jan 28 only.
    await imports.importRecords('pairings', [{ id: 'p7', cadreId: 'K2', householdId: 'H2', startedOn: '2025-01-20' }]);
    await imports.importRecords('visits', [v('e1', 'K2', 'H3', '2025-01-05T09:00:00', 'V2'), v('e2', 'K1', 'H1', '2025-01-12T09:00:00'), v('e3', 'K2', 'H2', '2025-01-28T09:00:00')]);
    // Head: January from the rollup (p1, p3, p7) minus p3, seen only before Jan 15.
    expect(await both({ from: '2025-01-15', to: '2025-01-31' })).toEqual({ served: true, rows: [[null, null, 2, 3]] });
    expect(await both({ from: '2025-01-25', to: '2025-03-31', ...byMonth })).toEqual({ served: true, rows: [['2025-01-01', null, 2, 3], ['2025-02-01', null, 3, 5], ['2025-03-01', null, 3, 6]] });
    // Tail: February to April from the rollup (p1, p3, p4) plus p7, seen only from Jan 25 to Jan 31.
    expect(await both({ from: '2025-01-25' })).toEqual({ served: true, rows: [[null, null, 4, 4]] });
    expect(await both({ from: '2025-01-15', to: '2025-01-31', ...byTownship })).toEqual({ served: true, rows: [[null, 'T1', 1, 1], [null, 'T2', 1, 2]] });
    expect(await both({ from: '2025-01-15', to: '2025-01-31', dimensions: ['CADRE'] })).toEqual({ served: true, rows: [[null, 'K1', 1, 1], [null, 'K2', 1, 2]] });
    // A cadre whose only pairing ended before the range is a row of its own (0 of 0), as the tables give it.
    await imports.importRecords('cadres', [{ id: 'K3', name: 'K3', regionId: 'T2', rank: 'STAFF' }]);
    await imports.importRecords('pairings', [{ id: 'p8', cadreId: 'K3', householdId: 'H3', startedOn: '2024-01-01', endedOn: '2024-06-30' }]);
    expect(await both({ dimensions: ['CADRE'] })).toEqual({ served: true, rows: [[null, 'K1', 1, 1], [null, 'K2', 3, 3], [null, 'K3', 0, 0]] });
  });

  it('by cadre over whole years reads one year row of the cadre rollup per cadre and kind of pairing visit', async () => {
    // K1's 2025: p1's chain e2, a1, a4, z3 (runs on); p2's b0, b1, b2 and p5's x1 (ended in 2025). A year's row keeps only
    // whether the previous visit is before the year ('' or the month), and the first and end months from December on.
    const rows = await store().ds.query("SELECT prev_month AS p, start_month AS s, end_month AS e, pairing_visits AS n FROM rollup_cadre_paired_coverage WHERE grain = 'Y' AND period = '2025' AND cadre_id = 'K1' ORDER BY prev_month, end_month");
    expect(rows.map((r: Record<string, unknown>) => [r.p, r.s, r.e, Number(r.n)])).toEqual([
      ['', '2025-12', '2025-12', 2],
      ['', '2025-12', '9999-12', 1],
      ['2025-01', '2025-12', '2025-12', 2],
      ['2025-01', '2025-12', '9999-12', 3],
    ]);
    // Active on Dec 31: p1 (K1, visited), p4 and p7 (K2, visited); p8 (K3) ended in 2024.
    expect(await both({ from: '2025-01-01', to: '2025-12-31', dimensions: ['CADRE'] })).toEqual({ served: true, rows: [[null, 'K1', 1, 1], [null, 'K2', 2, 2], [null, 'K3', 0, 0]] });
    expect(await both({ from: '2024-01-01', to: '2025-12-31', dimensions: ['CADRE', 'PERIOD'], granularity: 'YEAR' })).toMatchObject({ served: true });
    expect(await both({ from: '2024-07-01', to: '2025-12-31', dimensions: ['CADRE'] })).toEqual({ served: true, rows: [[null, 'K1', 1, 1], [null, 'K2', 2, 2], [null, 'K3', 0, 0]] });
  });
});

describeStores('rollups are used only when built for the query zone', (store) => {
  it('reads the raw tables in another zone and for a rollup not built', async () => {
    const calendar = new Calendar(store().config.festivals);
    const rollups = new Rollups(store().ds, calendar, store().config);
    const imports = new ImportService(store().ds, store().config, rollups);
    const sut = new MetricsService(store().ds, store().config, { calendar, rollupState: rollups });
    await imports.importRecords('regions', REGIONS);
    await imports.importRecords('survey_responses', [{ id: 's1', regionId: 'V1', respondedAt: SH('2025-03-02'), channel: 'SMS', score: 5 }]);
    const query = { measures: ['RESPONSES'], from: '2025-03-01', to: '2025-03-31', asOf: new Date('2026-01-01T00:00:00Z') } as MetricsQueryArgs;
    expect((await sut.compute(query, UNSCOPED)).servedByRollup).toBe(false);
    await rollups.buildStale(() => undefined);
    expect(rollups.stale()).toEqual([]);
    expect(await sut.compute(query, UNSCOPED)).toMatchObject({ servedByRollup: true, rows: [{ values: [{ value: 1 }] }] });
    expect((await sut.compute({ ...query, timeZone: 'Europe/Paris' }, UNSCOPED)).servedByRollup).toBe(false);
    // Built from another definition of the rollup (an earlier version of the code): not read until rebuilt.
    await store().ds.query("UPDATE rollup_state SET params = REPLACE(params, '\"definition\":\"', '\"definition\":\"x') WHERE name = 'satisfaction.v3'");
    await rollups.load();
    expect(rollups.stale().map((r) => r.name)).toEqual(['satisfaction.v3']);
    expect((await sut.compute({ ...query, asOf: new Date('2026-01-02T00:00:00Z') }, UNSCOPED)).servedByRollup).toBe(false);
    await rollups.buildStale(() => undefined);
    expect(rollups.stale()).toEqual([]);
    // Another process built it for another SLA: this one does not read it until it is rebuilt for its own.
    const other = new Rollups(store().ds, calendar, { ...store().config, responseSlaHours: 48 });
    await other.load();
    expect(other.stale().map((r) => r.name)).toEqual(ROLLUPS.map((r) => r.name));
  });
});
