import { insertCounty } from '../../../factories/graphql-county';
import { graphqlClient } from '../../../helpers/graphql-client';
import { describeStores } from '../../../helpers/stores';

/*
 * What the household card (民情登记卡) and the cadre ledger (民情台账) ask of the API, as each role
 * gets it: masking and scope exactly as elsewhere (api.md "Access").
 */

const CARD = `query($id: ID!) { household(id: $id) {
  headName phone members tags
  pairings { id lastVisitAt cadre { name phone } }
  visits(first: 10) { totalCount edges { node { id note } } }
  issues(first: 10) { totalCount edges { node { id summary status surveys { comment } } } }
  surveys(first: 10) { totalCount edges { node { id comment } } }
} }`;

const LEDGER = `query($id: ID!) {
  cadre(id: $id) {
    name phone
    scorecard(year: 2025) { stayDays stayQuota activePairings visits }
    pairings { id lastVisitAt household { headName } }
    visits(filter: { visitedFrom: "2025-01-01", visitedTo: "2025-12-31" }) { totalCount edges { node { id note } } }
    surveys { totalCount edges { node { id comment } } }
  }
  raised: issues(filter: { cadreId: $id }) { totalCount edges { node { id summary } } }
}`;

describeStores('the record views through the API', (store) => {
  const admin = graphqlClient(store);
  const analyst = graphqlClient(store, { role: 'ANALYST' });
  beforeAll(() => insertCounty(store().ds));

  it('gives an ADMIN the whole household card', async () => {
    const h = (await admin.data(CARD, { id: 'h1' })).household;
    expect([h.headName, h.phone, h.members, h.tags]).toEqual(['张三', '13812345678', 2, ['ELDERLY_ALONE', 'LOW_INCOME']]);
    expect(h.visits.edges).toEqual([{ node: { id: 'vs1', note: null } }]);
    expect(h.issues.edges).toEqual([{ node: { id: 'is1', summary: '低保申请', status: 'RESOLVED', surveys: [{ comment: null }] } }]);
    expect(h.pairings.map((p: { id: string; cadre: { name: string } }) => [p.id, p.cadre.name])).toEqual([
      ['p2', '王干部'],
      ['p1', '李镇长'],
    ]);
  });

  it('masks an ANALYST’s card: 张*, no phone digits, free text withheld', async () => {
    const h = (await analyst.data(CARD, { id: 'h2' })).household;
    expect([h.headName, h.phone]).toEqual(['李*', null]);
    expect(h.surveys.edges).toEqual([{ node: { id: 's2', comment: null } }]);
    const h1 = (await analyst.data(CARD, { id: 'h1' })).household;
    expect([h1.headName, h1.phone]).toEqual(['张*', '138****5678']);
    expect(h1.issues.edges[0].node.summary).toBeNull();
    expect(h1.pairings[1].cadre.phone).toBe('138****0001');
    const c = await analyst.data(LEDGER, { id: 'c1' });
    expect(c.cadre.visits.edges.map((e: { node: { note: string | null } }) => e.node.note)).toEqual([null, null]);
    expect(c.raised.edges).toEqual([{ node: { id: 'is1', summary: null } }]);
  });

  it('gives the cadre ledger: the year against quota, pairings and their last contact, appeals raised, responses', async () => {
    const { cadre, raised } = await admin.data(LEDGER, { id: 'c1' });
    expect(cadre.scorecard).toEqual({ stayDays: 3, stayQuota: 30, activePairings: 2, visits: 2 });
    expect(cadre.pairings).toEqual([
      { id: 'p1', lastVisitAt: new Date('2025-03-10T09:00:00+08:00').toISOString(), household: { headName: '张三' } },
      { id: 'p3', lastVisitAt: null, household: { headName: '李四' } },
    ]);
    expect(cadre.visits.edges.map((e: { node: { id: string; note: string | null } }) => [e.node.id, e.node.note])).toEqual([
      ['vs3', '驻村三天'],
      ['vs1', null],
    ]);
    expect([cadre.surveys.totalCount, raised.totalCount]).toEqual([1, 1]);
  });

  it('refuses an OFFICER a household or cadre outside its subtree, with nothing of it', async () => {
    const scope = { regionId: 't2' };
    for (const [query, id] of [[CARD, 'h1'], [LEDGER, 'c1']] as const) {
      const r = await admin.run(query, { id }, scope);
      expect(r.errors?.map((e) => e.extensions?.code)).toEqual(expect.arrayContaining(['FORBIDDEN']));
      expect(JSON.stringify(r.data ?? null)).not.toMatch(/张三|李镇长|低保/);
    }
    // Inside its subtree it sees the card unmasked, and only what lies inside.
    const h4 = (await admin.data(CARD, { id: 'h4' }, scope)).household;
    expect([h4.headName, h4.visits.totalCount, h4.surveys.totalCount]).toEqual(['赵六', 1, 1]);
  });
});
