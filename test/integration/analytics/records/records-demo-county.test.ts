import fc from 'fast-check';
import type { Measure } from '../../../../src/analytics/analytics.enums';
import type { MetricValueData } from '../../../../src/analytics/catalogue';
import { AGEING_BANDS } from '../../../../src/analytics/dashboard/dashboard.service';
import { DrillCell, DRILLS } from '../../../../src/analytics/records/drills';
import { RECORD_LISTS, RecordListName } from '../../../../src/analytics/records/record-filters';
import { HouseholdTags, IssueCategories, IssueChannels, IssueStatuses, ResidentAnswers, VisitKinds } from '../../../../src/domain/enums';
import { seedDatabase } from '../../../../src/cli/seed.command';
import { Scope, UNSCOPED } from '../../../../src/domain/access';
import { createServices, Services } from '../../../../src/services';
import { describeStores } from '../../../helpers/stores';

/*
 * The record lists over the demo county. The rule that makes them trustworthy (action.md): for the same range, zone, asOf and
 * region, the list a number opens holds exactly that number of records. Over the demo county
 * (scale 0.05, its rollups built, so the engine answers as the dashboard's does), for every
 * measure with a drill-through, both parts, a few regions (county, a township, a village, an
 * OFFICER's scope), months and asOf: past (states derived from events up to it) and now.
 */

const MEASURES = Object.keys(DRILLS) as Measure[];
const ISSUE_MEASURES = MEASURES.filter((m) => ['ISSUES_RECEIVED', 'RESPONSE_RATE', 'CLOSURE_RATE', 'RESOLUTION_RATE', 'FALSE_CLOSURE_RATE', 'ISSUE_SATISFIED_RATE', 'ON_TIME_RATE', 'MEDIAN_HOURS_TO_RESOLVE', 'P90_HOURS_TO_RESOLVE', 'MEDIAN_HOURS_TO_FIRST_RESPONSE', 'TRANSFER_RATE', 'AVG_TRANSFERS', 'REOPEN_RATE', 'PROACTIVE_RATE', 'CONTACTED_RATE', 'REPEAT_RATE', 'BACKLOG', 'THREE_RATE_SCORE'].includes(m));
const CADRE_MEASURES: Measure[] = ['RESPONSES', 'SATISFACTION_AVG', 'SATISFIED_RATE', 'DISSATISFIED_RATE', 'VISITS', 'HOUSEHOLDS_VISITED', 'VILLAGE_STAY_DAYS', 'HOLIDAY_VISIT_SHARE', 'VISIT_ISSUE_RATE', 'PAIRED_COVERAGE'];
const TAG_MEASURES: Measure[] = ['VISIT_COVERAGE', 'PAIRED_HOUSEHOLD_RATE', 'HOUSEHOLDS_VISITED', 'PAIRED_COVERAGE'];

/** The count a part of a metric value states (null: that part has no records to list). */
function expected(measure: Measure, v: MetricValueData, part: 'NUMERATOR' | 'DENOMINATOR', issuesReceived: number): number | null {
  const def = DRILLS[measure]!;
  if (measure === 'BACKLOG') return v.value;
  if (measure === 'THREE_RATE_SCORE') return issuesReceived;
  const side = part === 'NUMERATOR' ? def.numerator : (def.denominator ?? def.numerator);
  if (!side) return null;
  // A count (no denominator of its own) lists its records either way.
  if (!def.denominator) return v.value;
  if (v.suppressed) return 0; // MIN_RESPONSES = 1: suppressed means no responses at all
  return part === 'NUMERATOR' ? v.numerator : v.denominator;
}

describeStores(
  'drill-through over the demo county: each list holds the number it opens',
  (store) => {
    let services: Services;
    let township: string;
    let village: string;
    let cadre: string;

    beforeAll(async () => {
      await seedDatabase(store().ds, store().config, { scale: 0.05, worker: null });
      services = createServices(store().config, store().ds);
      await services.rollups.load();
      await services.rollups.buildStale(() => undefined);
      [{ id: township }] = await store().ds.query("SELECT id FROM regions WHERE level = 'TOWNSHIP' ORDER BY id LIMIT 1 OFFSET 1");
      [{ id: village }] = await store().ds.query("SELECT r.id FROM regions r WHERE r.level = 'VILLAGE' AND r.parent_id = ? ORDER BY r.id LIMIT 1", [township]);
      // A cadre with visits, pairings and responses in 2025.
      [{ id: cadre }] = await store().ds.query(
        "SELECT c.id FROM cadres c WHERE EXISTS (SELECT 1 FROM pairings p WHERE p.cadre_id = c.id) AND EXISTS (SELECT 1 FROM survey_responses s WHERE s.cadre_id = c.id) ORDER BY (SELECT COUNT(*) FROM visits v WHERE v.cadre_id = c.id) DESC, c.id LIMIT 1",
      );
    }, 900_000);

    /** Pairs compared, and how many of them were not zero (so the agreement is not one of empty lists). */
    const tally = { compared: 0, nonZero: 0 };

    /** Compares every measure's counts with its lists' totals for one cell; returns how many pairs were compared. */
    async function compare(cell: Omit<DrillCell, 'measure'>, measures: Measure[], scope: Scope = UNSCOPED): Promise<number> {
      // THREE_RATE_SCORE lists the issues it is computed over: ISSUES_RECEIVED counts them.
      const withReceived = measures.includes('THREE_RATE_SCORE');
      const query = {
        measures: withReceived ? [...measures, 'ISSUES_RECEIVED' as Measure] : measures,
        from: cell.from!,
        to: cell.to!,
        ...(cell.timeZone ? { timeZone: cell.timeZone } : {}),
        ...(cell.asOf ? { asOf: cell.asOf } : { asOf: new Date() }),
        ...(cell.regionId ? { regionId: cell.regionId } : {}),
        ...(cell.categories ? { categories: cell.categories } : {}),
        ...(cell.channels ? { channels: cell.channels } : {}),
        ...(cell.cadreIds ? { cadreIds: cell.cadreIds } : {}),
        ...(cell.householdTags ? { householdTags: cell.householdTags } : {}),
      };
      const [row] = (await services.metrics.compute(query, scope)).rows;
      const received = withReceived ? (row.values[measures.length].value ?? 0) : 0;
      const asOf = query.asOf;
      let compared = 0;
      const mismatches: unknown[] = [];
      for (const [i, measure] of measures.entries()) {
        for (const part of ['NUMERATOR', 'DENOMINATOR'] as const) {
          const want = expected(measure, row.values[i], part, received);
          if (want === null) continue;
          const target = services.records.drill({ ...cell, asOf, measure, part });
          const total = await services.records.total(target, scope);
          const listed = await services.records.count(target.list, scope, target.filter as never);
          const got = target.total === 'count' ? listed : total;
          if (got !== want || (target.total === 'count' && total !== listed)) mismatches.push({ measure, part, want, got, total, cell });
          compared++;
          tally.compared++;
          if (want !== 0) tally.nonZero++;
        }
      }
      expect(mismatches).toEqual([]);
      return compared;
    }

    const PAST = new Date('2026-02-15T12:00:00+08:00');
    const MONTHS: Array<[string, string]> = [
      ['2025-03-01', '2025-03-31'],
      ['2026-01-01', '2026-01-31'],
      ['2025-01-01', '2025-12-31'],
    ];

    it('agrees for every measure, region and month, as of a past instant and now', async () => {
      let n = 0;
      for (const regionId of [null, township, village]) {
        for (const [from, to] of MONTHS) {
          for (const asOf of [PAST, null]) n += await compare({ from, to, asOf, regionId }, MEASURES);
        }
      }
      // Every measure of DRILLS was compared (rates twice), most of them on lists that are not empty.
      expect(n).toBeGreaterThan(MEASURES.length * 9 * 2);
      expect(tally.nonZero).toBeGreaterThan(tally.compared * 0.7);
    });

    it('agrees with issue filters, a cadre, household tags and another zone', async () => {
      const issueOnly = ISSUE_MEASURES;
      await compare({ from: '2025-01-01', to: '2025-12-31', asOf: PAST, categories: ['SOCIAL_SECURITY', 'INCOME'], channels: ['HOTLINE', 'VISIT'] }, issueOnly);
      await compare({ from: '2025-01-01', to: '2025-12-31', regionId: township, categories: ['EMPLOYMENT'] }, issueOnly);
      await compare({ from: '2025-01-01', to: '2025-12-31', asOf: PAST, cadreIds: [cadre] }, CADRE_MEASURES);
      await compare({ from: '2025-06-01', to: '2026-01-31', householdTags: ['LOW_INCOME'] }, TAG_MEASURES);
      await compare({ from: '2025-06-01', to: '2025-06-30', regionId: township, householdTags: ['EXTREME_HARDSHIP'] }, TAG_MEASURES);
      await compare({ from: '2025-01-29', to: '2025-02-05', timeZone: 'America/New_York' }, MEASURES);
    });

    it('agrees inside an OFFICER’s scope', async () => {
      await compare({ from: '2025-01-01', to: '2025-12-31', asOf: PAST }, MEASURES, { regionId: township });
      await compare({ from: '2026-01-01', to: '2026-01-31', regionId: village }, MEASURES, { regionId: township });
    });

    it('opens a scorecard’s cells: the cadre’s year as its scorecard counts it', async () => {
      const [card] = (await services.scorecards.all(2025, UNSCOPED, null)).filter((c) => c.cadreId === cadre);
      const total = (measure: Measure, part: 'NUMERATOR' | 'DENOMINATOR' = 'NUMERATOR') => {
        const t = services.records.drill({ measure, part, year: 2025, cadreIds: [cadre] });
        return services.records.total(t, UNSCOPED);
      };
      expect(await total('VISITS')).toBe(card.visits);
      expect(await total('VILLAGE_STAY_DAYS')).toBe(card.stayDays);
      expect(await total('PAIRED_COVERAGE', 'DENOMINATOR')).toBe(card.activePairings);
      expect(await total('PAIRED_COVERAGE')).toBe(card.pairedCoverage.numerator);
      expect(await total('HOLIDAY_VISIT_SHARE')).toBe(card.holidayVisitShare.numerator);
      expect(await total('RESPONSES')).toBe(card.satisfaction.suppressed ? 0 : card.satisfaction.denominator);
      if (!card.satisfaction.suppressed) expect(await total('SATISFIED_RATE')).toBe(card.satisfaction.numerator);
    });

    it('opens each backlog ageing band: the bands’ lists are the panel’s counts and add up to BACKLOG', async () => {
      for (const [to, asOf] of [['2025-06-30', null], ['2026-01-31', PAST], ['2026-02-20', PAST]] as const) {
        const filter = await services.dashboard.resolveFilter({ from: '2025-01-01', to, asOf }, UNSCOPED);
        const bands = await services.dashboard.backlogAgeing(filter, UNSCOPED);
        const totals = [];
        for (const b of AGEING_BANDS) totals.push(await services.records.total(services.records.drill({ measure: 'BACKLOG', to, asOf: filter.asOf, ageBand: b.key }), UNSCOPED));
        expect(totals).toEqual(bands.map((b) => b.count));
        const all = await services.records.total(services.records.drill({ measure: 'BACKLOG', to, asOf: filter.asOf }), UNSCOPED);
        expect(totals.reduce((a, b) => a + b, 0)).toBe(all);
        expect(all).toBeGreaterThan(0);
      }
    });

    it('never lists a record outside the caller’s scope, whatever the filter (property)', async () => {
      const regions: Array<{ id: string; level: string }> = await store().ds.query("SELECT id, level FROM regions WHERE level IN ('TOWNSHIP', 'VILLAGE') ORDER BY id");
      const subtree = new Map<string, Set<string>>();
      for (const r of regions) {
        const rows: Array<{ d: string }> = await store().ds.query('SELECT descendant_id AS d FROM region_closure WHERE ancestor_id = ?', [r.id]);
        subtree.set(r.id, new Set(rows.map((x) => String(x.d))));
      }
      const householdRegion = new Map<string, string>((await store().ds.query('SELECT id, region_id FROM households')).map((h: { id: string; region_id: string }) => [String(h.id), String(h.region_id)]));
      const cadres: string[] = (await store().ds.query('SELECT id FROM cadres ORDER BY id')).map((c: { id: string }) => String(c.id));
      const regionOf = (list: RecordListName, node: { regionId?: string; householdId?: string }) => (list === 'pairings' ? householdRegion.get(node.householdId!)! : node.regionId!);

      const day = fc.integer({ min: 0, max: 730 }).map((d) => new Date(Date.UTC(2024, 10, 1) + d * 86_400_000).toISOString().slice(0, 10));
      const some = <T>(values: readonly T[]) => fc.uniqueArray(fc.constantFrom(...values), { minLength: 1, maxLength: 3 });
      const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
      const window = fc.tuple(day, day).map(([a, b]) => (a <= b ? { from: a, to: b } : { from: b, to: a }));
      const asOf = maybe(fc.integer({ min: 0, max: 760 }).map((d) => new Date(Date.UTC(2024, 10, 1) + d * 86_400_000)));
      const region = maybe(fc.constantFrom(...regions.map((r) => r.id)));
      const filters: { [K in RecordListName]: fc.Arbitrary<object> } = {
        issues: fc.record({ receivedFrom: maybe(day), asOf, regionId: region, closed: maybe(fc.boolean()), unitResolved: maybe(fc.boolean()), residentAnswers: maybe(some(ResidentAnswers.values)), overdue: maybe(fc.boolean()), repeat: maybe(fc.boolean()), inSla: maybe(fc.boolean()), contacted: maybe(fc.boolean()), minTransfers: maybe(fc.integer({ min: 0, max: 2 })), statuses: maybe(some(IssueStatuses.values)), categories: maybe(some(IssueCategories.values)), channels: maybe(some(IssueChannels.values)), householdTags: maybe(some(HouseholdTags.values)) }, { requiredKeys: [] }),
        visits: fc.record({ visitedFrom: maybe(day), asOf, regionId: region, festival: maybe(fc.boolean()), withIssue: maybe(fc.boolean()), kinds: maybe(some(VisitKinds.values)), cadreIds: maybe(some(cadres.slice(0, 40))) }, { requiredKeys: [] }),
        surveyResponses: fc.record({ respondedFrom: maybe(day), asOf, regionId: region, scoreBands: maybe(some(['SATISFIED', 'NEUTRAL', 'DISSATISFIED'] as const)) }, { requiredKeys: [] }),
        households: fc.record({ regionId: region, tags: maybe(some(HouseholdTags.values)), visitedBetween: maybe(window), notVisitedBetween: maybe(window), paired: maybe(fc.boolean()), asOf }, { requiredKeys: [] }),
        pairings: fc.record({ regionId: region, activeOn: maybe(day), visitedBetween: maybe(window), notVisitedSince: maybe(day), asOf }, { requiredKeys: [] }),
      };
      const scopes = regions.filter((_r, i) => i % 3 === 0).map((r) => r.id);
      let listed = 0;
      const listAndFilter = fc.oneof(...RECORD_LISTS.map((list) => fc.record({ list: fc.constant(list), filter: filters[list] })));
      await fc.assert(
        fc.asyncProperty(listAndFilter, fc.constantFrom(...scopes), fc.integer({ min: 1, max: 200 }), async ({ list, filter }, scopeRoot, first) => {
          const scope = { regionId: scopeRoot };
          const page = await services.records.page(list, scope, filter as never, { first, maxPageSize: 500 });
          const inside = subtree.get(scopeRoot)!;
          for (const e of page.edges) expect([list, e.node.id, inside.has(regionOf(list, e.node as never))]).toEqual([list, e.node.id, true]);
          // The count is of the same rows: never fewer than a page, and the whole list when the page is it.
          const n = await page.count();
          expect(n).toBeGreaterThanOrEqual(page.edges.length);
          if (!page.hasNextPage) expect(n).toBe(page.edges.length);
          listed += page.edges.length;
        }),
        { numRuns: 150, seed: 19 },
      );
      // The filters are not all so narrow that every list is empty.
      expect(listed).toBeGreaterThan(200);
    });
  },
  { MIN_RESPONSES: '1' },
);
