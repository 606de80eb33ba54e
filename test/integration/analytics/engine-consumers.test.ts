import { Measure } from '../../../src/analytics/analytics.enums';
import { MetricsQueryArgs, MetricsRowData } from '../../../src/analytics/metrics.service';
import { seedDatabase } from '../../../src/cli/seed.command';
import { UNSCOPED } from '../../../src/domain/access';
import { extractParams } from '../../../src/extracts/extract.service';
import { createServices, Services } from '../../../src/services';
import { jobActor } from '../../../src/domain/audit';
import { describeStores } from '../../helpers/stores';

/*
 * daily_metrics and the cadre scorecards are engine queries: what they state equals what
 * `metrics` states for the same range, on the demo county (rollups kept by the seed).
 */

const FROM = '2026-01-01';
const TO = '2026-10-31';
const ASOF = new Date('2026-11-15T00:00:00Z');

/** A row's values by measure: the numerator (for rates and means) or the value (counts). */
const byMeasure = (row: MetricsRowData) => Object.fromEntries(row.values.map((v) => [v.measure, v.numerator ?? v.value]));
const denominators = (row: MetricsRowData) => Object.fromEntries(row.values.map((v) => [v.measure, v.denominator]));

describeStores('engine consumers', (store) => {
  let services: Services;

  beforeAll(async () => {
    services = createServices(store().config, store().ds);
    await services.rollups.load();
    await services.rollups.buildStale(() => undefined); // empty: the seed keeps them
    await seedDatabase(store().ds, store().config, { scale: 0.05 });
  });

  it('daily_metrics summed over each village’s days equals metrics by REGION at village level for the range', async () => {
    const handle = await services.extracts.open(extractParams('daily_metrics', { from: FROM, to: TO }), { actor: jobActor('engine-consumers test') });
    const text = await new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      handle.stream.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks).toString('utf8'))).on('error', reject);
    });
    const rows = text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, number | string>);
    expect(rows.length).toBeGreaterThan(100);
    const sums = new Map<string, Record<string, number>>();
    for (const r of rows) {
      const s = sums.get(String(r.villageId)) ?? {};
      for (const [k, v] of Object.entries(r)) if (typeof v === 'number') s[k] = (s[k] ?? 0) + v;
      sums.set(String(r.villageId), s);
    }
    const measures: Measure[] = ['RESPONSES', 'DISSATISFIED_RATE', 'VISITS', 'VILLAGE_STAY_DAYS', 'HOLIDAY_VISIT_SHARE', 'VISIT_ISSUE_RATE', 'ISSUES_RECEIVED', 'RESPONSE_RATE', 'CLOSURE_RATE', 'RESOLUTION_RATE', 'FALSE_CLOSURE_RATE', 'ISSUE_SATISFIED_RATE', 'ON_TIME_RATE', 'TRANSFER_RATE', 'AVG_TRANSFERS', 'REOPEN_RATE', 'PROACTIVE_RATE', 'CONTACTED_RATE', 'REPEAT_RATE'];
    const asOf = new Date(handle.asOf);
    const q = { measures, dimensions: ['REGION'], regionLevel: 'VILLAGE', from: FROM, to: TO, asOf } as MetricsQueryArgs;
    const metrics = (await services.metrics.compute({ ...q, measures: measures.filter((m) => m !== 'DISSATISFIED_RATE') }, UNSCOPED)).rows;
    // Satisfaction values of small villages are suppressed: their parts are compared with MIN_RESPONSES 1.
    const open = createServices({ ...store().config, minResponses: 1 }, store().ds);
    await open.rollups.load();
    const satisfaction = (await open.metrics.compute({ ...q, measures: ['SATISFACTION_AVG', 'SATISFIED_RATE', 'DISSATISFIED_RATE'] }, UNSCOPED)).rows;
    let compared = 0;
    const newParts = { contactAnswered: 0, repeatAppeals: 0 };
    for (const [i, row] of metrics.entries()) {
      if (row.regionId === null) continue;
      const s = sums.get(row.regionId) ?? {};
      const v = byMeasure(row);
      const d = denominators(row);
      const sat = byMeasure(satisfaction[i]);
      const got = {
        responses: v.RESPONSES, scoreSum: sat.SATISFACTION_AVG, satisfied: sat.SATISFIED_RATE, dissatisfied: sat.DISSATISFIED_RATE,
        visits: v.VISITS, villageStayDays: v.VILLAGE_STAY_DAYS, holidayVisits: v.HOLIDAY_VISIT_SHARE, visitsWithIssue: v.VISIT_ISSUE_RATE,
        issuesReceived: v.ISSUES_RECEIVED, respondedInSla: v.RESPONSE_RATE, closed: v.CLOSURE_RATE, residentYes: v.RESOLUTION_RATE, residentAnswered: d.RESOLUTION_RATE,
        unitResolvedDenied: v.FALSE_CLOSURE_RATE, unitResolvedAnswered: d.FALSE_CLOSURE_RATE, issueLatestSatisfied: v.ISSUE_SATISFIED_RATE, issuesWithResponse: d.ISSUE_SATISFIED_RATE,
        onTime: v.ON_TIME_RATE, withDue: d.ON_TIME_RATE, transferred: v.TRANSFER_RATE, transfers: v.AVG_TRANSFERS, reopened: v.REOPEN_RATE, proactive: v.PROACTIVE_RATE,
        contactedYes: v.CONTACTED_RATE, contactAnswered: d.CONTACTED_RATE, repeatAppeals: v.REPEAT_RATE, withHousehold: d.REPEAT_RATE,
      };
      const want = Object.fromEntries(Object.keys(got).map((k) => [k, s[k] ?? 0]));
      expect({ village: row.regionId, ...got }).toEqual({ village: row.regionId, ...want });
      compared += (got.issuesReceived ?? 0) + (got.visits ?? 0);
      for (const k of ['contactAnswered', 'repeatAppeals'] as const) newParts[k] += got[k] ?? 0;
    }
    expect(compared).toBeGreaterThan(1000);
    // The issue 18 parts are really compared, not zero on both sides.
    expect(newParts.contactAnswered).toBeGreaterThan(10);
    expect(newParts.repeatAppeals).toBeGreaterThan(0);
  });

  it('a cadre scorecard states what metrics by CADRE states for its year', async () => {
    const cards = await services.scorecards.all(2025, UNSCOPED);
    expect(cards.length).toBeGreaterThanOrEqual(30);
    const measures: Measure[] = ['VISITS', 'VILLAGE_STAY_DAYS', 'HOLIDAY_VISIT_SHARE', 'PAIRED_COVERAGE', 'SATISFIED_RATE', 'SATISFACTION_AVG'];
    const rows = (
      await services.metrics.compute({ measures, dimensions: ['CADRE'], from: '2025-01-01', to: '2025-12-31', asOf: ASOF } as MetricsQueryArgs, UNSCOPED)
    ).rows;
    const byCadre = new Map(rows.map((r) => [r.cadreId, r.values]));
    let withFacts = 0;
    for (const c of cards) {
      const v = byCadre.get(c.cadreId);
      if (!v) {
        expect({ cadre: c.cadreId, visits: c.visits, pairings: c.activePairings }).toEqual({ cadre: c.cadreId, visits: 0, pairings: 0 });
        continue;
      }
      withFacts++;
      expect({ cadre: c.cadreId, visits: c.visits, stayDays: c.stayDays, holiday: c.holidayVisitShare, coverage: c.pairedCoverage, satisfaction: c.satisfaction, avg: c.satisfactionAvg }).toEqual({
        cadre: c.cadreId,
        visits: v[0].value,
        stayDays: v[1].value,
        holiday: v[2],
        coverage: v[3],
        satisfaction: v[4],
        avg: v[5],
      });
    }
    expect(withFacts).toBeGreaterThan(20);
  });
});
