import { describeStores } from '../../helpers/stores';
import { graphqlClient } from '../../helpers/graphql-client';
import { buildRegion, insertFixtures } from '../../factories';
import { insertCounty } from '../../factories/graphql-county';
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
