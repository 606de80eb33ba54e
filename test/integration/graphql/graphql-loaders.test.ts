import { describeStores } from '../../helpers/stores';
import { graphqlClient } from '../../helpers/graphql-client';
import { buildRegion, insertFixtures } from '../../factories';
import { insertCounty, iso } from '../../factories/graphql-county';
import { isAuditWrite } from '../../helpers/audit';

/** The table each statement reads first (FROM ...), to show which loader ran. */
const tables = (queries: string[]) => queries.map((q) => /FROM [`"]?(\w+)[`"]?/i.exec(q)?.[1]);

describeStores('GraphQL relations through DataLoaders', (store) => {
  const gql = graphqlClient(store);
  /**
   * The statements that read (an ADMIN's answer with personal fields also appends one audit
   * entry, in a transaction of its own: once per response, not per level; audit-trail.test.ts).
   */
  const reads = () => store().queries.filter((q) => !isAuditWrite(q));
  beforeAll(() => insertCounty(store().ds));

  it('reads a three-level region tree in one statement per level', async () => {
    store().resetQueries();
    const data = await gql.data(`{
      regions(level: TOWNSHIP) { edges { node { name children { name children { name parent { name } } } } } }
    }`);
    expect(data.regions.edges.map((e: { node: unknown }) => e.node)).toEqual([
      {
        name: '东镇',
        children: [
          { name: '东村', children: [{ name: '一组', parent: { name: '东村' } }, { name: '二组', parent: { name: '东村' } }] },
          { name: '南村', children: [{ name: '三组', parent: { name: '南村' } }] },
        ],
      },
      { name: '西镇', children: [{ name: '西村', children: [{ name: '四组', parent: { name: '西村' } }] }] },
    ]);
    // townships; their children; the villages' children. The groups' parents were read with
    // the villages, so the by-id loader answers them from its cache.
    expect(tables(reads())).toEqual(['regions', 'regions', 'regions']);
    expect(reads()[1]).toMatch(/IN \(\?, \?\)/);
  });

  it('reads issues with events, surveys, households and ancestors in one statement per loader', async () => {
    store().resetQueries();
    const data = await gql.data(`{
      issues(first: 100) { edges { node {
        id
        events { department { name } }
        surveys { cadre { name } }
        household { region { ancestors { name } } }
      } } }
    }`);
    const nodes = data.issues.edges.map((e: { node: unknown }) => e.node);
    expect(nodes).toEqual([
      { id: 'is5', events: [], surveys: [], household: { region: { ancestors: [{ name: '测试县' }, { name: '东镇' }, { name: '南村' }] } } },
      { id: 'is3', events: [], surveys: [], household: { region: { ancestors: [{ name: '测试县' }, { name: '西镇' }, { name: '西村' }] } } },
      {
        id: 'is2',
        events: [{ department: { name: '民政局' } }, { department: null }, { department: null }],
        surveys: [{ cadre: { name: '王干部' } }],
        household: { region: { ancestors: [{ name: '测试县' }, { name: '东镇' }, { name: '东村' }] } },
      },
      {
        id: 'is1',
        events: [{ department: { name: '民政局' } }, { department: { name: '人社局' } }, { department: null }, { department: null }],
        surveys: [{ cadre: { name: '李镇长' } }],
        household: { region: { ancestors: [{ name: '测试县' }, { name: '东镇' }, { name: '东村' }] } },
      },
      { id: 'is4', events: [{ department: { name: '住建局' } }, { department: null }], surveys: [], household: null },
    ]);
    // issues; then events, surveys and households (one batch each); then the events'
    // departments, the surveys' cadres and the households' regions; then those regions' ancestors.
    expect(reads()).toHaveLength(8);
    expect(tables(reads()).sort()).toEqual(
      ['issues', 'issue_events', 'survey_responses', 'households', 'departments', 'cadres', 'regions', 'regions'].sort(),
    );
  });

  it('costs as many statements for one row as for every row', async () => {
    const query = (first: number) => `{ regions(level: GROUP, first: ${first}) { edges { node { ancestors { name } parent { children { name } } } } } }`;
    const counts: number[] = [];
    for (const first of [1, 4]) {
      store().resetQueries();
      const data = await gql.data(query(first));
      expect(data.regions.edges).toHaveLength(first);
      counts.push(reads().length);
    }
    // groups; their ancestors and (in the same batch round) their parents; the parents' children.
    expect(counts).toEqual([4, 4]);
  });

  it('batches by-id lookups of many parents into one IN (...) and returns them in key order', async () => {
    store().resetQueries();
    const data = await gql.data(`{
      visits { edges { node { id cadre { name } household { headName } region { name } issues { id visit { id } } } } }
    }`);
    expect(data.visits.edges.map((e: { node: { id: string; cadre: { name: string } } }) => [e.node.id, e.node.cadre.name])).toEqual([
      ['vs5', '县干部'],
      ['vs3', '李镇长'],
      ['vs2', '王干部'],
      ['vs1', '李镇长'],
      ['vs4', '赵干部'],
    ]);
    expect(data.visits.edges[0].node.issues).toEqual([{ id: 'is5', visit: { id: 'vs5' } }]);
    // visits; then cadres, households, regions and visit issues; the issues' visits come from the primed cache.
    expect(tables(reads()).sort()).toEqual(['cadres', 'households', 'issues', 'regions', 'visits']);
    // Four distinct cadres for five visits: one IN list of four.
    expect(reads().find((q) => /FROM [`"]cadres/.test(q))).toMatch(/IN \(\?, \?, \?, \?\)/);
  });

  it('answers aliased get-by-id queries with one batched statement', async () => {
    store().resetQueries();
    const data = await gql.data('{ a: household(id: "h1") { headName } b: household(id: "h4") { headName } c: household(id: "nope") { headName } }');
    expect(data).toEqual({ a: { headName: '张三' }, b: { headName: '赵六' }, c: null });
    expect(reads()).toHaveLength(1);
  });

  it('reads cadre and household pairings in one statement per level', async () => {
    store().resetQueries();
    const data = await gql.data('{ cadres { edges { node { id pairings { id household { id pairings { id } } } } } } }');
    expect(data.cadres.edges.map((e: { node: unknown }) => e.node)).toEqual([
      {
        id: 'c1',
        pairings: [
          { id: 'p1', household: { id: 'h1', pairings: [{ id: 'p2' }, { id: 'p1' }] } },
          { id: 'p3', household: { id: 'h2', pairings: [{ id: 'p3' }] } },
        ],
      },
      { id: 'c2', pairings: [{ id: 'p2', household: { id: 'h1', pairings: [{ id: 'p2' }, { id: 'p1' }] } }] },
      { id: 'c3', pairings: [{ id: 'p4', household: { id: 'h4', pairings: [{ id: 'p4' }] } }] },
      { id: 'c4', pairings: [{ id: 'p5', household: { id: 'h3', pairings: [{ id: 'p5' }] } }] },
    ]);
    expect(tables(reads())).toEqual(['cadres', 'pairings', 'households', 'pairings']);
  });
});

describeStores('GraphQL relations both ways as paged connections (one statement per level)', (store) => {
  const gql = graphqlClient(store);
  beforeAll(() => insertCounty(store().ds));

  const NESTED = `query($n: Int) { regions(level: TOWNSHIP, first: $n) { edges { node { id
    households(first: 1) { totalCount edges { node { id
      visits(first: 1) { totalCount edges { node { id } } }
      issues(first: 2) { edges { node { id } } }
      surveys(first: 1) { totalCount }
    } } }
    issues(first: 1) { totalCount edges { node { id } } }
    visits(first: 1) { edges { node { id } } }
    cadres(first: 5) { totalCount edges { node { id visits(first: 1) { edges { node { id } } } surveys(first: 1) { totalCount } } } }
  } } } }`;
  const idsOf = (c: { edges: Array<{ node: { id: string } }> }) => c.edges.map((e) => e.node.id);

  it('pages every parent’s relation in one statement per relation and level, counts in one more', async () => {
    store().resetQueries();
    const data = await gql.data(NESTED, { n: 2 });
    const [t1, t2] = data.regions.edges.map((e: { node: any }) => e.node);
    expect([t1.id, t2.id]).toEqual(['t1', 't2']);
    expect([t1.households.totalCount, idsOf(t1.households), t2.households.totalCount, idsOf(t2.households)]).toEqual([3, ['h1'], 1, ['h4']]);
    const [h1] = t1.households.edges.map((e: { node: any }) => e.node);
    expect([h1.visits.totalCount, idsOf(h1.visits), idsOf(h1.issues), h1.surveys.totalCount]).toEqual([1, ['vs1'], ['is1'], 1]);
    expect([t1.issues.totalCount, idsOf(t1.issues), idsOf(t1.visits)]).toEqual([4, ['is5'], ['vs5']]);
    expect([t2.issues.totalCount, idsOf(t2.issues), idsOf(t2.visits)]).toEqual([1, ['is3'], ['vs4']]);
    expect(t1.cadres.edges.map((e: { node: any }) => [e.node.id, idsOf(e.node.visits), e.node.surveys.totalCount])).toEqual([
      ['c1', ['vs3'], 1],
      ['c2', ['vs2'], 1],
    ]);
    expect([t1.cadres.totalCount, t2.cadres.totalCount]).toEqual([2, 1]);
    // regions; then per relation of the townships a page (households, issues, visits, cadres) and
    // the counts asked for (households, issues, cadres); then the households' visits (page, count),
    // issues, surveys (page, count) and the cadres' visits and surveys (page, count).
    expect(store().queries).toHaveLength(1 + 7 + 8);
    expect(tables(store().queries).filter((t) => t === 'regions')).toHaveLength(1);
  });

  it('costs as many statements for one parent as for every parent', async () => {
    const counts: number[] = [];
    for (const n of [1, 2]) {
      store().resetQueries();
      await gql.data(NESTED, { n });
      counts.push(store().queries.length);
    }
    expect(counts).toEqual([16, 16]);
  });

  it('pages a relation after a cursor (few parents: a LIMIT per parent in one UNION ALL)', async () => {
    const first = await gql.data('{ region(id: "t1") { issues(first: 2) { edges { node { id } } pageInfo { endCursor hasNextPage } } } }');
    expect(idsOf(first.region.issues)).toEqual(['is5', 'is2']);
    expect(first.region.issues.pageInfo.hasNextPage).toBe(true);
    store().resetQueries();
    const next = await gql.data('query($a: String) { region(id: "t1") { issues(first: 5, after: $a) { edges { node { id } } pageInfo { hasNextPage hasPreviousPage } } } }', { a: first.region.issues.pageInfo.endCursor });
    expect(idsOf(next.region.issues)).toEqual(['is1', 'is4']);
    expect(next.region.issues.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true });
    // The region by id, then its issues.
    expect(tables(store().queries)[0]).toBe('regions');
    expect(store().queries).toHaveLength(2);
    expect(store().queries[1]).toMatch(/UNION ALL/);
    expect(store().queries[1]).not.toMatch(/PARTITION BY g.parent_key/);
  });

  it('reads every pairing’s last contact in one statement', async () => {
    store().resetQueries();
    const data = await gql.data('{ cadres { edges { node { id pairings { id lastVisitAt } } } } }');
    expect(data.cadres.edges.flatMap((e: { node: any }) => e.node.pairings.map((p: any) => [p.id, p.lastVisitAt]))).toEqual([
      ['p1', iso('2025-03-10T09:00:00')],
      ['p3', null],
      ['p2', null],
      ['p4', iso('2025-02-01T10:00:00')],
      ['p5', iso('2025-03-20T08:00:00')],
    ]);
    expect(tables(store().queries)).toEqual(['cadres', 'pairings', 'pairings']);
  });

  it('filters a relation with the list’s own filter', async () => {
    const data = await gql.data('{ region(id: "t1") { issues(filter: { closed: true }) { totalCount edges { node { id } } } households(filter: { paired: false }) { totalCount } } }');
    expect([data.region.issues.totalCount, idsOf(data.region.issues), data.region.households.totalCount]).toEqual([2, ['is1', 'is4'], 0]);
  });
});

describeStores('GraphQL relations on a level wider than a thousand rows', (store) => {
  const gql = graphqlClient(store);
  const VILLAGES = 2600;
  beforeAll(() =>
    insertFixtures(store().ds, {
      regions: [
        buildRegion({ id: 'cty', level: 'COUNTY', name: '宽县' }),
        buildRegion({ id: 't1', parentId: 'cty', level: 'TOWNSHIP', name: '甲镇' }),
        buildRegion({ id: 't2', parentId: 'cty', level: 'TOWNSHIP', name: '乙镇' }),
        ...Array.from({ length: VILLAGES }, (_, i) => [
          buildRegion({ id: `v${i}`, parentId: i % 2 ? 't2' : 't1', level: 'VILLAGE', name: `村${i}` }),
          buildRegion({ id: `g${i}`, parentId: `v${i}`, level: 'GROUP', name: `组${i}` }),
        ]).flat(),
      ],
    }),
  );

  it('pages a relation of a hundred parents in one statement ranked with ROW_NUMBER, counts in one more', async () => {
    store().resetQueries();
    const data = await gql.data('{ regions(level: VILLAGE, first: 100) { edges { node { id cadres(first: 1) { totalCount edges { node { id } } } } } } }');
    expect(data.regions.edges).toHaveLength(100);
    expect(data.regions.edges.map((e: { node: { cadres: { totalCount: number } } }) => e.node.cadres.totalCount)).toEqual(Array(100).fill(0));
    expect(store().queries).toHaveLength(3);
    expect(store().queries[1]).toMatch(/ROW_NUMBER\(\) OVER \(PARTITION BY g.parent_key/);
  });

  it('reads the 2,600 villages’ groups in one statement', async () => {
    store().resetQueries();
    const data = await gql.data('{ regions(level: TOWNSHIP) { edges { node { name children { name children { name } } } } } }');
    const townships = data.regions.edges.map((e: { node: { name: string; children: Array<{ children: unknown[] }> } }) => e.node);
    expect(townships.map((t: { name: string }) => t.name)).toEqual(['甲镇', '乙镇']);
    expect(townships.map((t: { children: unknown[] }) => t.children.length)).toEqual([VILLAGES / 2, VILLAGES / 2]);
    // Every village has exactly its own group: v0 → 组0, v2 → 组2...
    expect(townships[0].children[0]).toEqual({ name: '村0', children: [{ name: '组0' }] });
    expect(townships.flatMap((t: { children: Array<{ children: unknown[] }> }) => t.children.map((v) => v.children.length))).toEqual(
      Array(VILLAGES).fill(1),
    );
    // townships; the villages (2 parents); the groups (2,600 parents in one IN list).
    expect(tables(store().queries)).toEqual(['regions', 'regions', 'regions']);
  });
});
