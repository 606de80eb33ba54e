import { DashboardService } from '../../../../src/analytics/dashboard/dashboard.service';
import { UNSCOPED } from '../../../../src/domain/access';
import { buildRegion, buildSurveyResponse, insertFixtures } from '../../../factories';
import { describeStores } from '../../../helpers/stores';
import { createServices } from '../../../../src/services';

/**
 * Tie bands chain: with satisfied rates 10/10, 7/10, 3/10 and 0/10 the Wilson intervals are
 * [0.7225, 1], [0.3968, 0.8922], [0.1078, 0.6032], [0, 0.2775]. Neighbours overlap down to 3/10
 * (so 10/10 and 3/10 share a band without overlapping each other); 0/10 overlaps 3/10 too. With a
 * fifth region at 0/10 the last two also tie on value and share a rank.
 */
describeStores(`${DashboardService.name} ranking`, (store) => {
  let sut: DashboardService;
  beforeAll(async () => {
    const scores = (regionId: string, satisfied: number) =>
      Array.from({ length: 10 }, (_, i) => buildSurveyResponse({ regionId, score: i < satisfied ? 5 : 1, respondedAt: '2025-06-10T10:00:00+08:00' }));
    await insertFixtures(store().ds, {
      regions: [
        buildRegion({ id: 'cty', level: 'COUNTY' }),
        ...['ta', 'tb', 'tc', 'td', 'te'].map((id) => buildRegion({ id, parentId: 'cty', level: 'TOWNSHIP' })),
      ],
      survey_responses: [...scores('ta', 10), ...scores('tb', 7), ...scores('tc', 3), ...scores('td', 0), ...scores('te', 0)],
    });
    sut = createServices(store().config, store().ds).dashboard;
  });

  it('chains bands through neighbours whose intervals overlap; equal values share a rank', async () => {
    const f = await sut.resolveFilter({ from: '2025-06-01', to: '2025-06-30', asOf: new Date('2025-07-01T00:00:00Z') }, UNSCOPED);
    const r = await sut.ranking(f, UNSCOPED, 'TOWNSHIP', 'SATISFIED_RATE');
    expect(r.map((e) => [e.regionId, e.value.value, e.rank, e.tieBand, e.tiedWith, e.count])).toEqual([
      ['ta', 1, 1, 1, ['tb', 'tc', 'td', 'te'], 10],
      ['tb', 0.7, 2, 1, ['ta', 'tc', 'td', 'te'], 10],
      ['tc', 0.3, 3, 1, ['ta', 'tb', 'td', 'te'], 10],
      ['td', 0, 4, 1, ['ta', 'tb', 'tc', 'te'], 10],
      ['te', 0, 4, 1, ['ta', 'tb', 'tc', 'td'], 10],
    ]);
    expect(r[0].value.low).toBeCloseTo(0.72247, 5);
    expect(r[2].value.high).toBeCloseTo(0.60322, 5);
  });

  it('ranks equal values alike, lower first where lower is better, and bands values without an interval by equality', async () => {
    const f = await sut.resolveFilter({ from: '2025-06-01', to: '2025-06-30', asOf: new Date('2025-07-01T00:00:00Z') }, UNSCOPED);
    // DISSATISFIED_RATE (score ≤ 2, lower is better): 0/10 ta, 3/10 tb, 7/10 tc, 10/10 td and te.
    const r = await sut.ranking(f, UNSCOPED, 'TOWNSHIP', 'DISSATISFIED_RATE');
    expect(r.map((e) => [e.regionId, e.value.value, e.rank, e.tieBand])).toEqual([
      ['ta', 0, 1, 1],
      ['tb', 0.3, 2, 1],
      ['tc', 0.7, 3, 1],
      ['td', 1, 4, 1],
      ['te', 1, 4, 1],
    ]);
    // VISITS has no interval: only equal counts tie, so every region with 0 visits shares one band.
    const v = await sut.ranking(f, UNSCOPED, 'TOWNSHIP', 'VISITS');
    expect(v.map((e) => [e.regionId, e.rank, e.tieBand, e.count])).toEqual([
      ['ta', 1, 1, 0],
      ['tb', 1, 1, 0],
      ['tc', 1, 1, 0],
      ['td', 1, 1, 0],
      ['te', 1, 1, 0],
    ]);
  });
});
