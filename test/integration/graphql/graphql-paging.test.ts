import { buildCadre, buildIssue, buildRegion, buildVisit, insertFixtures } from '../../factories';
import { describeStores } from '../../helpers/stores';
import { graphqlClient } from '../../helpers/graphql-client';

const T = ['2025-04-01T08:00:00+08:00', '2025-04-02T08:00:00+08:00', '2025-04-03T08:00:00+08:00'];
const pad = (n: number) => String(n).padStart(2, '0');
/** 23 visits on only three instants, so most neighbours tie on visitedAt and the id decides. */
const VISITS = Array.from({ length: 23 }, (_, k) => ({ id: `pv${pad(k + 1)}`, visitedAt: T[(k * 7) % 3] }));
/** The order the API promises: visitedAt descending, then id descending. */
const EXPECTED = [...VISITS]
  .sort((a, b) => Date.parse(b.visitedAt) - Date.parse(a.visitedAt) || (a.id < b.id ? 1 : -1))
  .map((v) => v.id);

const PAGE = `query($first: Int, $after: String) {
  visits(first: $first, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } }
}`;

interface PageResult {
  visits: {
    edges: Array<{ cursor: string; node: { id: string } }>;
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  };
}

describeStores('GraphQL connections and keyset paging', (store) => {
  const gql = graphqlClient(store);
  beforeAll(() =>
    insertFixtures(store().ds, {
      regions: [buildRegion({ id: 'cty' }), ...Array.from({ length: 11 }, (_, k) => buildRegion({ id: `rt${pad(k + 1)}`, parentId: 'cty', level: 'TOWNSHIP' }))],
      cadres: [buildCadre({ id: 'c1', regionId: 'cty' })],
      visits: VISITS.map((v) => buildVisit({ ...v, cadreId: 'c1', regionId: 'rt01' })),
      issues: ['ia', 'ib', 'ic', 'id', 'ie'].map((id) => buildIssue({ id, regionId: 'rt02', receivedAt: T[0] })),
    }),
  );

  it('pages through equal timestamps without duplicates or gaps, in (visitedAt, id) descending order', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    const shapes: Array<[number, boolean, boolean]> = [];
    for (;;) {
      const data: PageResult = await gql.data<PageResult>(PAGE, { first: 5, after });
      const { edges, pageInfo } = data.visits;
      seen.push(...edges.map((e) => e.node.id));
      shapes.push([edges.length, pageInfo.hasNextPage, pageInfo.hasPreviousPage]);
      expect(pageInfo.startCursor).toBe(edges[0].cursor);
      expect(pageInfo.endCursor).toBe(edges[edges.length - 1].cursor);
      if (!pageInfo.hasNextPage) break;
      after = pageInfo.endCursor;
    }
    expect(seen).toEqual(EXPECTED);
    expect(shapes).toEqual([
      [5, true, false],
      [5, true, true],
      [5, true, true],
      [5, true, true],
      [3, false, true],
    ]);
  });

  it('ends exactly on a full last page with hasNextPage false', async () => {
    const first = await gql.data<PageResult>(PAGE, { first: 20 });
    const rest = await gql.data<PageResult>(PAGE, { first: 3, after: first.visits.pageInfo.endCursor });
    expect(rest.visits.edges.map((e) => e.node.id)).toEqual(EXPECTED.slice(20));
    expect(rest.visits.pageInfo.hasNextPage).toBe(false);
    const beyond = await gql.data<PageResult>(PAGE, { first: 3, after: rest.visits.pageInfo.endCursor });
    expect(beyond.visits).toEqual({ edges: [], pageInfo: { hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null } });
  });

  it('keeps its place when a newer record arrives between pages (no OFFSET shift)', async () => {
    const page1 = await gql.data<PageResult>(PAGE, { first: 4 });
    await insertFixtures(store().ds, { visits: [buildVisit({ id: 'pv99', cadreId: 'c1', regionId: 'rt01', visitedAt: '2025-05-01T08:00:00+08:00' })] });
    const page2 = await gql.data<PageResult>(PAGE, { first: 4, after: page1.visits.pageInfo.endCursor });
    expect([...page1.visits.edges, ...page2.visits.edges].map((e) => e.node.id)).toEqual(EXPECTED.slice(0, 8));
    await store().ds.query('DELETE FROM visits WHERE id = ?', ['pv99']);
  });

  it('pages id-ordered lists by id, and issues with equal receivedAt by id descending', async () => {
    const r1 = await gql.data('{ regions(level: TOWNSHIP, first: 4) { edges { node { id } } pageInfo { endCursor hasNextPage } } }');
    expect(r1.regions.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(['rt01', 'rt02', 'rt03', 'rt04']);
    const r2 = await gql.data('query($a: String) { regions(level: TOWNSHIP, first: 10, after: $a) { edges { node { id } } pageInfo { hasNextPage } } }', {
      a: r1.regions.pageInfo.endCursor,
    });
    expect(r2.regions.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(['rt05', 'rt06', 'rt07', 'rt08', 'rt09', 'rt10', 'rt11']);
    expect(r2.regions.pageInfo.hasNextPage).toBe(false);
    const i1 = await gql.data('{ issues(first: 2) { edges { node { id } } pageInfo { endCursor } } }');
    const i2 = await gql.data('query($a: String) { issues(first: 5, after: $a) { edges { node { id } } } }', { a: i1.issues.pageInfo.endCursor });
    expect([...i1.issues.edges, ...i2.issues.edges].map((e: { node: { id: string } }) => e.node.id)).toEqual(['ie', 'id', 'ic', 'ib', 'ia']);
  });

  it('defaults to 50 and reads one statement per page; totalCount adds one COUNT only when selected', async () => {
    store().resetQueries();
    const plain = await gql.data('{ visits { edges { node { id } } pageInfo { hasNextPage } } }');
    expect(plain.visits.edges).toHaveLength(23);
    expect(store().queries).toHaveLength(1);
    expect(store().queries[0]).toMatch(/LIMIT 51/);

    store().resetQueries();
    const counted = await gql.data('{ visits(first: 2, filter: { from: "2025-04-02T08:00:00+08:00" }) { totalCount edges { node { id } } } }');
    expect(counted.visits.totalCount).toBe(VISITS.filter((v) => v.visitedAt !== T[0]).length);
    expect(counted.visits.totalCount).toBe(15);
    expect(store().queries).toHaveLength(2);
    expect(store().queries.filter((q) => /COUNT\(/i.test(q))).toHaveLength(1);

    store().resetQueries();
    const onlyCount = await gql.data('fragment F on VisitConnection { n: totalCount } { visits(first: 1) { ...F } }');
    expect(onlyCount.visits.n).toBe(23);
    expect(store().queries).toHaveLength(2);
  });

  it('accepts first from 1 to the configured maximum (500) and rejects the rest with BAD_USER_INPUT', async () => {
    expect((await gql.data('{ visits(first: 1) { edges { node { id } } } }')).visits.edges).toHaveLength(1);
    expect((await gql.data('{ visits(first: 500) { edges { node { id } } } }')).visits.edges).toHaveLength(23);
    for (const first of [0, -1, 501, 100000]) {
      const r = await gql.run('query($n: Int) { visits(first: $n) { edges { node { id } } } }', { n: first });
      expect(r.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([['BAD_USER_INPUT', `"first" must be from 1 to 500, got ${first}`]]);
    }
    expect(await gql.codes('{ regions(first: 501) { totalCount } }')).toEqual(['BAD_USER_INPUT']);
  });

  it('rejects a malformed or foreign `after` cursor with BAD_USER_INPUT', async () => {
    const regionCursor = (await gql.data('{ regions(first: 1) { pageInfo { endCursor } } }')).regions.pageInfo.endCursor;
    const crafted = [
      'nope!',
      '',
      Buffer.from('not json').toString('base64url'),
      Buffer.from('{"id":"pv01"}').toString('base64url'),
      Buffer.from('[1.5,"pv01"]').toString('base64url'),
      Buffer.from(`[1,"${'x'.repeat(65)}"]`).toString('base64url'),
      // Not canonical: the same payload with padding.
      Buffer.from('[1743465600000,"pv01"]').toString('base64'),
      regionCursor,
    ];
    for (const after of crafted) {
      expect([after, await gql.codes('query($a: String) { visits(after: $a) { totalCount } }', { a: after })]).toEqual([after, ['BAD_USER_INPUT']]);
    }
  });

  it('rejects bad filters with BAD_USER_INPUT', async () => {
    const bad = async (filter: Record<string, unknown>) => gql.codes('query($f: VisitFilter) { visits(filter: $f) { totalCount } }', { f: filter });
    expect(await bad({ from: '2025-04-03T00:00:00+08:00', to: '2025-04-02T00:00:00+08:00' })).toEqual(['BAD_USER_INPUT']);
    expect(await bad({ kinds: [] })).toEqual(['BAD_USER_INPUT']);
    expect(await bad({ regionId: 'x'.repeat(65) })).toEqual(['BAD_USER_INPUT']);
    expect(await bad({ from: 'yesterday' })).toEqual(['BAD_USER_INPUT']);
    expect(await bad({ kinds: ['PICNIC'] })).toEqual(['BAD_USER_INPUT']);
    expect(await gql.codes('{ issues(filter: { statuses: [] }) { totalCount } }')).toEqual(['BAD_USER_INPUT']);
    expect(await gql.codes('{ households(tags: []) { totalCount } }')).toEqual(['BAD_USER_INPUT']);
    // An empty window is allowed and empty.
    const empty = await gql.data('{ visits(filter: { from: "2025-04-02T08:00:00+08:00", to: "2025-04-02T08:00:00+08:00" }) { totalCount edges { node { id } } } }');
    expect(empty.visits).toEqual({ totalCount: 0, edges: [] });
  });
});
