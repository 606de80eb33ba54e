import { ScorecardData, ScorecardService } from '../../../../src/analytics/dashboard/scorecard.service';
import { UNSCOPED } from '../../../../src/domain/access';
import { describeStores } from '../../../helpers/stores';
import { insertScorecardCounty, SCORECARD_ENV } from '../../../factories/scorecard-county';
import { MetricsService } from '../../../../src/analytics/metrics.service';

/*
 * Weights stay/pairing/coverage/satisfaction 0.4/0.2/0.2/0.2, quota cap 1.2, satisfaction shrunk
 * by MIN_RESPONSES (5) imagined responses at VETO_LINE (0.6): (k + 3) / (n + 5).
 * cL: stay 30/30 and pairings 3/3 each earn 1/1.2; coverage 2/3; 3 of 5 satisfied → 6/10.
 * cS: stay 59/60 → (59/60)/1.2; pairing 1/1 → 1/1.2; coverage 1; 4 responses: suppressed → 0.6.
 * cV: nothing but 2 of 5 satisfied → 5/10 (vetoed all the same). cX, cY: nothing, suppressed → 0.6.
 */
const COMPOSITE_L = 100 * (0.4 / 1.2 + 0.2 / 1.2 + 0.2 * (2 / 3) + 0.2 * 0.6);
const COMPOSITE_S = 100 * ((0.4 * 59) / 60 / 1.2 + 0.2 / 1.2 + 0.2 * 1 + 0.2 * 0.6);

describeStores(
  ScorecardService.name,
  (store) => {
    let sut: ScorecardService;
    beforeAll(async () => {
      await insertScorecardCounty(store());
      sut = new ScorecardService(store().ds, store().config, new MetricsService(store().ds, store().config), () => new Date('2026-11-25T12:00:00Z'));
    });
    const byId = (cards: ScorecardData[]) => Object.fromEntries(cards.map((c) => [c.cadreId, c]));

    it('computes quotas, coverage, festival share, satisfaction and composite per cadre', async () => {
      const cards = await sut.all(2025, UNSCOPED);
      expect(cards.map((c) => [c.cadreId, c.rank, c.tieBand, c.vetoed])).toEqual([
        ['cS', 1, 1, false],
        ['cL', 2, 2, false],
        ['cX', 3, 3, false],
        ['cY', 3, 3, false],
        ['cV', null, null, true],
      ]);
      const { cL, cS, cV, cX } = byId(cards);
      expect(cL).toMatchObject({
        stayDays: 30,
        stayQuota: 30,
        stayMet: true,
        activePairings: 3,
        pairingQuota: 3,
        pairingsMet: true,
        visits: 4,
        vetoed: false,
        vetoReason: null,
      });
      expect(cL.pairedCoverage).toMatchObject({ measure: 'PAIRED_COVERAGE', value: 2 / 3, numerator: 2, denominator: 3, suppressed: false });
      expect(cL.holidayVisitShare).toMatchObject({ value: 0.5, numerator: 2, denominator: 4 });
      expect(cL.satisfaction).toMatchObject({ measure: 'SATISFIED_RATE', value: 0.6, numerator: 3, denominator: 5, suppressed: false });
      // Wilson 95 % for 3/5, worked out by hand: (0.6 + z²/10 ± z·√(0.048 + z²/100)) / (1 + z²/5).
      expect(cL.satisfaction.low).toBeCloseTo(0.2307, 4);
      expect(cL.satisfaction.high).toBeCloseTo(0.8824, 4);
      expect(cL.satisfactionAvg).toMatchObject({ value: 3.6, numerator: 18, denominator: 5 });
      expect(cL.composite).toBeCloseTo(COMPOSITE_L, 8);
      expect(cL.composite).toBeCloseTo(75.33333333, 6);

      expect(cS).toMatchObject({ stayDays: 59, stayQuota: 60, stayMet: false, activePairings: 1, pairingQuota: 1, pairingsMet: true, visits: 3, vetoed: false });
      expect(cS.pairedCoverage).toMatchObject({ value: 1, numerator: 1, denominator: 1 });
      expect(cS.holidayVisitShare).toMatchObject({ value: 0, numerator: 0, denominator: 3 });
      expect(cS.satisfaction).toEqual({ measure: 'SATISFIED_RATE', value: null, numerator: null, denominator: null, low: null, high: null, suppressed: true });
      expect(cS.satisfactionAvg.suppressed).toBe(true);
      expect(cS.composite).toBeCloseTo(COMPOSITE_S, 8);
      expect(cS.composite).toBeCloseTo(81.44444444, 6);

      expect(cV.vetoed).toBe(true);
      expect(cV.vetoReason).toContain('40.0%');
      expect(cV.composite).toBe(10);
      expect(cV.satisfaction).toMatchObject({ value: 0.4, numerator: 2, denominator: 5 });
      expect(cX).toMatchObject({ stayDays: 0, activePairings: 0, visits: 0, composite: 12, stayMet: false, pairingsMet: false });
      expect(cX.pairedCoverage).toMatchObject({ value: null, numerator: 0, denominator: 0 });
    });

    it('limits cadres and facts to the scope, and regionId to the scope', async () => {
      const cards = await sut.all(2025, { regionId: 't1' });
      expect(cards.map((c) => c.cadreId)).toEqual(['cS', 'cL']);
      // cS's forum in 西镇 (t2) is outside the scope.
      expect(byId(cards).cS.visits).toBe(2);
      expect((await sut.all(2025, UNSCOPED, 't2')).map((c) => c.cadreId)).toEqual(['cX', 'cY', 'cV']);
      await expect(sut.all(2025, { regionId: 't1' }, 't2')).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(sut.all(2025, UNSCOPED, 'nowhere')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('counts the current year up to today (pairings active today)', async () => {
      const mid = new ScorecardService(store().ds, store().config, new MetricsService(store().ds, store().config), () => new Date('2025-07-15T04:00:00Z'));
      const { cL } = byId(await mid.all(2025, UNSCOPED));
      expect(cL).toMatchObject({ stayDays: 30, activePairings: 4, visits: 3 });
      expect(cL.pairedCoverage).toMatchObject({ numerator: 1, denominator: 4 });
      await expect(mid.all(2026, UNSCOPED)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
      await expect(mid.all(1999, UNSCOPED)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    });

    it('compares the year in progress with the quota pro rata (pace), as of asOf', async () => {
      // cL is a LEADER (quota 30): 20 days on 1 March, 10 more on 1 June.
      // As of 15 July 2025 (day 196 of 365): pace 30 × 196 / 365 = 16.1…; behind below floor(16.1… × 0.9) = 14: not behind.
      const july = byId(await sut.all(2025, UNSCOPED, null, new Date('2025-07-15T04:00:00Z'))).cL;
      expect(july).toMatchObject({ stayDays: 30, behindPace: false });
      expect(july.stayPace).toBeCloseTo((30 * 196) / 365, 12);
      // As of 28 February (day 59): no stay days yet, line floor(30 × 59 × 0.9 / 365) = 4: behind.
      expect(byId(await sut.all(2025, UNSCOPED, null, new Date('2025-02-28T04:00:00Z'))).cL).toMatchObject({ stayDays: 0, behindPace: true });
      // As of 2 March (day 61): 20 days ≥ floor(30 × 61 × 0.9 / 365) = 4: on pace. A whole past year: pace = quota.
      expect(byId(await sut.all(2025, UNSCOPED, null, new Date('2025-03-02T04:00:00Z'))).cL).toMatchObject({ stayDays: 20, behindPace: false });
      expect(byId(await sut.all(2025, UNSCOPED)).cL).toMatchObject({ stayPace: 30, behindPace: false });
      await expect(sut.all(2025, UNSCOPED, null, new Date('not a date'))).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    });

    it('credits stay days against the pace as of asOf and above quota up to SCORECARD_QUOTA_CAP', async () => {
      const july = byId(await sut.all(2025, UNSCOPED, null, new Date('2025-07-15T04:00:00Z')));
      // cL on 15 July: 30 stay days against a pace of 30 × 196/365 = 16.1… → capped at 1.2 → 1;
      // 4 active pairings of 3 → capped → 1; coverage 1/4; 3 of 5 satisfied → 0.6.
      expect(july.cL.composite).toBeCloseTo(100 * (0.4 + 0.2 + 0.2 * 0.25 + 0.2 * 0.6), 8);
      expect(july.cL.composite).toBe(77);
      // cS: 59 days against 60 × 196/365 = 32.2… → 1; 1 pairing of 1 → 1/1.2; coverage 1/1; suppressed → 0.6.
      expect(july.cS.composite).toBeCloseTo(100 * (0.4 + 0.2 / 1.2 + 0.2 + 0.2 * 0.6), 8);
      // As of 28 February cL has no stay days yet: the stay part is 0 (pairings 4 → 1, coverage 1/4, no responses yet → 0.6).
      const feb = byId(await sut.all(2025, UNSCOPED, null, new Date('2025-02-28T04:00:00Z')));
      expect(feb.cL.composite).toBeCloseTo(100 * (0.2 + 0.2 * 0.25 + 0.2 * 0.6), 8);
      // With no credit above quota (cap 1) meeting the quota earns the whole part again.
      const noCap = new ScorecardService(store().ds, { ...store().config, scorecardQuotaCap: 1 }, new MetricsService(store().ds, store().config), () => new Date('2026-11-25T12:00:00Z'));
      const year = byId(await noCap.all(2025, UNSCOPED));
      expect(year.cL.composite).toBeCloseTo(100 * (0.4 + 0.2 + 0.2 * (2 / 3) + 0.2 * 0.6), 8);
      expect(year.cS.composite).toBeCloseTo(100 * ((0.4 * 59) / 60 + 0.2 + 0.2 + 0.2 * 0.6), 8);
    });

    it('pages in keyset order by composite and by cadre id', async () => {
      const p1 = await sut.page({ year: 2025, first: 2 }, UNSCOPED);
      expect(p1.nodes.map((c) => c.cadreId)).toEqual(['cS', 'cL']);
      expect(p1).toMatchObject({ hasNextPage: true, hasPreviousPage: false, totalCount: 5 });
      const p2 = await sut.page({ year: 2025, first: 2, after: p1.cursors[1] }, UNSCOPED);
      expect(p2.nodes.map((c) => c.cadreId)).toEqual(['cX', 'cY']);
      const p3 = await sut.page({ year: 2025, first: 2, after: p2.cursors[1] }, UNSCOPED);
      expect(p3.nodes.map((c) => c.cadreId)).toEqual(['cV']);
      expect(p3.hasNextPage).toBe(false);
      const ids = await sut.page({ year: 2025, first: 3, orderBy: 'CADRE_ID' }, UNSCOPED);
      expect(ids.nodes.map((c) => c.cadreId)).toEqual(['cL', 'cS', 'cV']);
      const ids2 = await sut.page({ year: 2025, first: 3, orderBy: 'CADRE_ID', after: ids.cursors[2] }, UNSCOPED);
      expect(ids2.nodes.map((c) => c.cadreId)).toEqual(['cX', 'cY']);
      await expect(sut.page({ year: 2025, after: ids.cursors[0] }, UNSCOPED)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
      await expect(sut.page({ year: 2025, first: 0 }, UNSCOPED)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    });

    it('reads all cadres in one engine query: the cadre list and one statement per measure family, however many cadres', async () => {
      store().resetQueries();
      await sut.page({ year: 2025, first: 2 }, UNSCOPED);
      const selects = store().queries.filter((q) => /^\s*SELECT/i.test(q));
      expect(selects).toHaveLength(4);
      expect(selects.filter((q) => /FROM visits f|FROM survey_responses f|'active' AS part/.test(q))).toHaveLength(3);
    });
  },
  SCORECARD_ENV,
);
