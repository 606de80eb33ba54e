import { DEMO_TO } from '../../../../seeds/demo-county';
import { ScorecardData, ScorecardService } from '../../../../src/analytics/dashboard/scorecard.service';
import { seedDatabase } from '../../../../src/cli/seed.command';
import { UNSCOPED } from '../../../../src/domain/access';
import { createServices } from '../../../../src/services';
import { describeStores } from '../../../helpers/stores';

/*
 * The whole demo county (scale 1: 823 cadres). Before the composite credited work above quota,
 * paced the year in progress and shrank small satisfaction samples, every part saturated at 1:
 * in 2025 154 cadres scored 100.0 and shared rank 1 (105 as of the demo's last day of 2026), so
 * the top 20 held one score. Now those who meet the quotas are told apart by how far beyond them
 * they went and by how much satisfaction evidence stands behind them.
 */
const AS_OF = new Date(`${DEMO_TO}T23:59:59+08:00`);

describeStores(`${ScorecardService.name} on the demo county`, (store) => {
  let sut: ScorecardService;
  beforeAll(async () => {
    await seedDatabase(store().ds, store().config, { scale: 1 });
    sut = createServices(store().config, store().ds).scorecards;
  }, 300_000);

  const expectRanking = (cards: ScorecardData[]) => {
    const ranked = cards.filter((c) => !c.vetoed);
    const top = ranked.slice(0, 20);
    expect(cards).toHaveLength(823);
    expect(new Set(top.map((c) => c.composite)).size).toBeGreaterThanOrEqual(5);
    expect(ranked.filter((c) => c.rank === 1).length).toBeLessThanOrEqual(3);
    // Ranks and bands stay honest: equal scores share both, unequal ones neither.
    for (let i = 1; i < ranked.length; i++) {
      const [a, b] = [ranked[i - 1], ranked[i]];
      expect(b.composite).toBeLessThanOrEqual(a.composite);
      expect([b.rank === a.rank, b.tieBand === a.tieBand]).toEqual([b.composite === a.composite, b.composite === a.composite]);
    }
    // The top is earned with evidence: stay days at least the pace (the quota, for a past year),
    // pairings met, satisfaction not hidden by the privacy threshold.
    for (const c of top) {
      const got = { id: c.cadreId, onPace: c.stayDays >= c.stayPace, pairingsMet: c.pairingsMet, suppressed: c.satisfaction.suppressed };
      expect(got).toEqual({ id: c.cadreId, onPace: true, pairingsMet: true, suppressed: false });
    }
    expect(Math.max(...ranked.map((c) => c.composite))).toBeLessThan(100);
  };

  it('tells apart the cadres who meet their quotas in a whole year (2025)', async () => {
    expectRanking(await sut.all(2025, UNSCOPED));
  });

  it('and in the year in progress, against the pace (2026 as of the last demo day)', async () => {
    const cards = await sut.all(2026, UNSCOPED, null, AS_OF);
    expectRanking(cards);
    expect(cards.every((c) => c.stayPace === (c.stayQuota * 304) / 365)).toBe(true);
  });
});
