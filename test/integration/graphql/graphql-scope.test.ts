import { describeStores } from '../../helpers/stores';
import { graphqlClient } from '../../helpers/graphql-client';
import { insertCounty } from '../../factories/graphql-county';

const ids = (conn: { edges: Array<{ node: { id: string } }> }) => conn.edges.map((e) => e.node.id);
const TOWNSHIP_EAST = { regionId: 't1' };

describeStores('GraphQL scope (the one place access control will restrict rows)', (store) => {
  const gql = graphqlClient(store);
  beforeAll(() => insertCounty(store().ds));

  it('restricts lists, get-by-id and nested relations to the scope subtree', async () => {
    const data = await gql.data(
      `{
        issues { totalCount edges { node { id } } }
        inside: issue(id: "is1") { id events { id } surveys { id } }
        east: region(id: "t1") { parent { id } ancestors { id } children { id } }
        group: region(id: "g1") { ancestors { id } }
        visits(filter: { regionId: "g3" }) { edges { node { id cadre { id } region { id } } } }
        pairings { edges { node { id cadre { id } } } }
      }`,
      {},
      TOWNSHIP_EAST,
    );
    expect(data.issues).toEqual({ totalCount: 4, edges: [{ node: { id: 'is5' } }, { node: { id: 'is2' } }, { node: { id: 'is1' } }, { node: { id: 'is4' } }] });
    expect(data.inside).toEqual({ id: 'is1', events: [{ id: 'e1' }, { id: 'e2' }, { id: 'e3' }, { id: 'e4' }], surveys: [{ id: 's1' }] });
    // Nothing above the scope root is returned, not even as a parent or an ancestor.
    expect(data.east).toEqual({ parent: null, ancestors: [], children: [{ id: 'v1' }, { id: 'v2' }] });
    expect(data.group).toEqual({ ancestors: [{ id: 't1' }, { id: 'v1' }] });
    // The county cadre's visit in 三组 is visible; the cadre is not.
    expect(data.visits.edges.filter((e: { node: { id: string } }) => e.node.id === 'vs5')).toEqual([{ node: { id: 'vs5', cadre: null, region: { id: 'g3' } } }]);
    // A pairing lives where its household does: p4 (西镇) is out, p5's county cadre is hidden.
    expect(data.pairings.edges.map((e: { node: { id: string; cadre: { id: string } | null } }) => [e.node.id, e.node.cadre?.id ?? null])).toEqual([
      ['p1', 'c1'],
      ['p2', 'c2'],
      ['p3', 'c1'],
      ['p5', null],
    ]);
  });

  it.each([
    ['an issue', '{ issue(id: "is3") { id } }'],
    ['a region above the scope', '{ region(id: "cty") { id } }'],
    ['a cadre', '{ cadre(id: "c4") { id } }'],
    ['a household', '{ household(id: "h4") { id } }'],
    ['a cadre in a filter', '{ visits(filter: { cadreId: "c4" }) { totalCount } }'],
    ['a region in a filter', '{ cadres(regionId: "t2") { totalCount } }'],
    ['an ancestor region in a filter', '{ cadres(regionId: "cty") { totalCount } }'],
  ])('answers FORBIDDEN, and no data, when %s outside the scope is named', async (_what, query) => {
    const r = await gql.run(query, {}, TOWNSHIP_EAST);
    expect(r.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    // A nullable lookup answers null; a non-null connection nulls the whole `data`.
    expect(r.data == null || Object.values(r.data).every((v) => v === null)).toBe(true);
  });

  it('answers null, not FORBIDDEN, for an id that does not exist', async () => {
    expect(await gql.data('{ issue(id: "nope") { id } }', {}, TOWNSHIP_EAST)).toEqual({ issue: null });
  });

  it('intersects filters with the scope and scopes every record type', async () => {
    const data = await gql.data(
      `{
        regions { edges { node { id } } }
        cadres { edges { node { id } } }
        village: cadres(regionId: "v2") { totalCount }
        households { edges { node { id } } }
        surveyResponses { edges { node { id } } }
        visits { totalCount }
        departments { totalCount }
      }`,
      {},
      TOWNSHIP_EAST,
    );
    expect(ids(data.regions)).toEqual(['g1', 'g2', 'g3', 't1', 'v1', 'v2']);
    expect(ids(data.cadres)).toEqual(['c1', 'c2']);
    expect(data.village).toEqual({ totalCount: 0 });
    expect(ids(data.households)).toEqual(['h1', 'h2', 'h3']);
    expect(ids(data.surveyResponses)).toEqual(['s1', 's2']);
    expect(data.visits.totalCount).toBe(4);
    // Departments are shared reference data: the same in every scope.
    expect(data.departments.totalCount).toBe(3);
  });

  it('narrows further for a village scope', async () => {
    const data = await gql.data('{ issues { edges { node { id } } } households { edges { node { id } } } }', {}, { regionId: 'v1' });
    expect(ids(data.issues)).toEqual(['is2', 'is1', 'is4']);
    expect(ids(data.households)).toEqual(['h1', 'h2']);
  });

  it('adds nothing to the SQL with the default scope, the scope’s subtree to every statement with a scope', async () => {
    const query = '{ issues { edges { node { id events { id } } } } }';
    store().resetQueries();
    await gql.data(query);
    expect(store().queries.some((q) => /region_closure/.test(q))).toBe(false);
    store().resetQueries();
    await gql.data(query, {}, TOWNSHIP_EAST);
    expect(store().queries).toHaveLength(2);
    // The issue list keeps the subtree in each branch of its facts (a semi-join); the events a closure join.
    expect(store().queries.map((q) => /region_closure/.test(q))).toEqual([true, true]);
    expect(store().queries[1]).toMatch(/JOIN [`"]region_closure/);
  });
});
