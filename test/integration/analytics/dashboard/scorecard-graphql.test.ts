import { ScorecardService } from '../../../../src/analytics/dashboard/scorecard.service';
import { MetricsService } from '../../../../src/analytics/metrics.service';
import { UNSCOPED } from '../../../../src/domain/access';
import { describeStores } from '../../../helpers/stores';
import { graphqlClient } from '../../../helpers/graphql-client';
import { insertScorecardCounty, SCORECARD_ENV } from '../../../factories/scorecard-county';

const MV = 'measure value numerator denominator low high suppressed';
const QUERY = `query($year: Int!, $first: Int, $after: String, $regionId: ID, $orderBy: ScorecardOrder) {
  cadreScorecards(year: $year, first: $first, after: $after, regionId: $regionId, orderBy: $orderBy) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node {
      cadre { id rank } year stayDays stayQuota stayMet activePairings pairingQuota pairingsMet
      pairedCoverage { ${MV} } visits holidayVisitShare { ${MV} } satisfaction { ${MV} } satisfactionAvg { ${MV} }
      composite vetoed vetoReason rank tieBand
    } }
  }
}`;

describeStores(
  'cadreScorecards (GraphQL)',
  (store) => {
    const gql = graphqlClient(store);
    beforeAll(() => insertScorecardCounty(store()));

    it('serves a ranked page with the cadre, quotas, values and veto', async () => {
      const d = await gql.data(QUERY, { year: 2025, first: 2 });
      const c = d.cadreScorecards;
      expect(c.totalCount).toBe(5);
      expect(c.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
      expect(c.edges.map((e: any) => [e.node.cadre.id, e.node.cadre.rank, e.node.rank, e.node.stayQuota, e.node.pairingQuota])).toEqual([
        ['cS', 'STAFF', 1, 60, 1],
        ['cL', 'LEADER', 2, 30, 3],
      ]);
      expect(c.edges[1].node).toMatchObject({
        year: 2025,
        stayDays: 30,
        stayMet: true,
        activePairings: 3,
        pairingsMet: true,
        visits: 4,
        vetoed: false,
        vetoReason: null,
        tieBand: 2,
        satisfaction: { measure: 'SATISFIED_RATE', value: 0.6, numerator: 3, denominator: 5, suppressed: false },
      });
      // Stay and pairings at quota earn 1/1.2 each (SCORECARD_QUOTA_CAP); 3 of 5 satisfied → (3 + 5 × 0.6) / (5 + 5).
      expect(c.edges[1].node.composite).toBeCloseTo(100 * (0.4 / 1.2 + 0.2 / 1.2 + 0.2 * (2 / 3) + 0.2 * 0.6), 8);
      expect(c.edges[0].node.composite).toBeCloseTo(100 * ((0.4 * 59) / 60 / 1.2 + 0.2 / 1.2 + 0.2 + 0.2 * 0.6), 8);
      const rest = await gql.data(QUERY, { year: 2025, first: 10, after: c.pageInfo.endCursor });
      expect(rest.cadreScorecards.edges.map((e: any) => [e.node.cadre.id, e.node.rank, e.node.vetoed])).toEqual([
        ['cX', 3, false],
        ['cY', 3, false],
        ['cV', null, true],
      ]);
      expect(rest.cadreScorecards.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    });

    it('states the pace and the composite as of a past asOf', async () => {
      const q = `query($asOf: DateTime) { cadreScorecards(year: 2025, orderBy: CADRE_ID, first: 1, asOf: $asOf) { edges { node { cadre { id } stayDays stayQuota stayPace behindPace activePairings composite } } } }`;
      // cL (LEADER, quota 30) as of 15 July 2025 (day 196): pace 30 × 196/365; 30 stay days → not behind,
      // and credited at the cap: composite 100 × (0.4 + 0.2 + 0.2 × 1/4 + 0.2 × 0.6) = 77.
      const july = (await gql.data(q, { asOf: '2025-07-15T04:00:00.000Z' })).cadreScorecards.edges[0].node;
      expect(july).toMatchObject({ cadre: { id: 'cL' }, stayDays: 30, stayQuota: 30, behindPace: false, activePairings: 4, composite: 77 });
      expect(july.stayPace).toBeCloseTo((30 * 196) / 365, 12);
      // As of 28 February (day 59): no stay days, below floor(30 × 59 × 0.9 / 365) = 4 → behind.
      const feb = (await gql.data(q, { asOf: '2025-02-28T04:00:00.000Z' })).cadreScorecards.edges[0].node;
      expect(feb).toMatchObject({ stayDays: 0, behindPace: true });
      expect(feb.stayPace).toBeCloseTo((30 * 59) / 365, 12);
    });

    it('hides cadres outside the scope and forbids regions outside it', async () => {
      const scoped = await gql.data(QUERY, { year: 2025 }, { regionId: 't2' });
      expect(scoped.cadreScorecards.edges.map((e: any) => e.node.cadre.id)).toEqual(['cX', 'cY', 'cV']);
      const forbidden = await gql.run(QUERY, { year: 2025, regionId: 't1' }, { regionId: 't2' });
      expect(forbidden.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
      expect(await gql.codes(QUERY, { year: 1999 })).toEqual(['BAD_USER_INPUT']);
      const small = `query($first: Int) { cadreScorecards(year: 2025, first: $first) { totalCount } }`;
      expect(await gql.codes(small, { first: 501 })).toEqual(['BAD_USER_INPUT']);
      expect(await gql.codes(small, { first: 0 })).toEqual(['BAD_USER_INPUT']);
      expect(await gql.codes(QUERY, { year: 2025, after: 'not-a-cursor' })).toEqual(['BAD_USER_INPUT']);
    });

    it('agrees with the metrics engine (CADRE dimension) on every shared measure', async () => {
      const engine = await new MetricsService(store().ds, store().config).compute(
        {
          measures: ['VILLAGE_STAY_DAYS', 'VISITS', 'HOLIDAY_VISIT_SHARE', 'PAIRED_COVERAGE', 'SATISFIED_RATE', 'SATISFACTION_AVG'],
          dimensions: ['CADRE'],
          from: '2025-01-01',
          to: '2025-12-31',
        },
        UNSCOPED,
      );
      const cards = await new ScorecardService(store().ds, store().config, new MetricsService(store().ds, store().config), () => new Date('2026-06-01T00:00:00Z')).all(2025, UNSCOPED);
      const compared = engine.rows.filter((r) => r.cadreId !== null);
      expect(compared.map((r) => r.cadreId).sort()).toEqual(['cL', 'cS', 'cV']);
      for (const row of compared) {
        const card = cards.find((c) => c.cadreId === row.cadreId)!;
        const [stay, visits, share, coverage, satisfied, avg] = row.values;
        expect([card.stayDays, card.visits]).toEqual([stay.value, visits.value]);
        expect(card.holidayVisitShare).toEqual(share);
        expect(card.pairedCoverage).toEqual(coverage);
        expect(card.satisfaction).toEqual(satisfied);
        expect(card.satisfactionAvg).toEqual(avg);
      }
    });
  },
  SCORECARD_ENV,
);
