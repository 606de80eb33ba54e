import { AlertTypes } from '../../../../src/domain/enums';
import { describeStores } from '../../../helpers/stores';
import { graphqlClient } from '../../../helpers/graphql-client';
import { ALERTS_AS_OF, ALERTS_AT_AS_OF, insertAlertsCounty } from '../../../factories/alerts-county';

const AS_OF = new Date(ALERTS_AS_OF).toISOString();
const QUERY = `query($regionId: ID, $types: [AlertType!], $asOf: DateTime, $first: Int, $after: String) {
  alerts(regionId: $regionId, types: $types, asOf: $asOf, first: $first, after: $after) {
    totalCount asOf
    countsByType { type count }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node {
      id type subjectId since ageHours
      region { id name } department { id name } cadre { id }
      subject {
        __typename
        ... on Issue { id dueAt }
        ... on Pairing { id startedOn }
        ... on Cadre { id rank }
        ... on Household { id headName phone }
      }
    } }
  }
}`;

describeStores('alerts (GraphQL)', (store) => {
  const gql = graphqlClient(store);
  const analyst = graphqlClient(store, { role: 'ANALYST' });
  beforeAll(() => insertAlertsCounty(store()));
  const all = (vars: Record<string, unknown>, scope?: { regionId: string }) => gql.data(QUERY, { asOf: AS_OF, first: 100, ...vars }, scope).then((d) => d.alerts);

  it('lists every alert with its subject, region, department and cadre, and the counts by type', async () => {
    const a = await all({});
    expect(a.asOf).toBe(AS_OF);
    expect(a.totalCount).toBe(Object.values(ALERTS_AT_AS_OF).flat().length);
    expect(a.countsByType).toEqual(AlertTypes.values.map((type) => ({ type, count: ALERTS_AT_AS_OF[type].length })));
    const node = (id: string) => a.edges.find((e: any) => e.node.id === id).node;
    expect(node('OVERDUE:iP1')).toMatchObject({
      type: 'OVERDUE',
      subjectId: 'iP1',
      since: new Date(ALERTS_AS_OF - 3_600_000).toISOString(),
      ageHours: 1,
      region: { id: 'v1', name: '东村' },
      department: { id: 'd1', name: '民政局' },
      cadre: null,
      subject: { __typename: 'Issue', id: 'iP1' },
    });
    expect(node('SILENT_PAIRING:pS1')).toMatchObject({ cadre: { id: 'cP' }, department: null, subject: { __typename: 'Pairing', id: 'pS1', startedOn: '2025-03-17' } });
    expect(node('VETO_RISK:cV2')).toMatchObject({ cadre: { id: 'cV2' }, subject: { __typename: 'Cadre', id: 'cV2', rank: 'STAFF' } });
    // ADMIN sees the household head unmasked.
    expect(node('REPEAT_APPEALS:hA1').subject).toEqual({ __typename: 'Household', id: 'hA1', headName: '张三', phone: '13812345678' });
  });

  it('masks the subject’s personal fields for roles that mask, as everywhere', async () => {
    const d = await analyst.data(QUERY, { asOf: AS_OF, types: ['REPEAT_APPEALS'] });
    expect(d.alerts.edges.map((e: any) => e.node.subject)).toEqual([{ __typename: 'Household', id: 'hA1', headName: '张*', phone: '138****5678' }]);
    // An OFFICER in its own subtree sees them.
    const officer = await all({ types: ['REPEAT_APPEALS'] }, { regionId: 't1' });
    expect(officer.edges[0].node.subject.headName).toBe('张三');
  });

  it('keeps an OFFICER to its subtree and refuses a region outside it', async () => {
    const a = await all({}, { regionId: 't1' });
    expect(a.edges.map((e: any) => e.node.region.id).every((r: string) => r === 'v1' || r === 't1')).toBe(true);
    expect(a.edges.some((e: any) => e.node.id === 'OVERDUE:iO2' || e.node.id === 'BEHIND_PACE:cX')).toBe(false);
    expect(await gql.codes(QUERY, { asOf: AS_OF, regionId: 't2' }, { regionId: 't1' })).toEqual(['FORBIDDEN']);
    expect(await gql.codes(QUERY, { asOf: AS_OF, regionId: 'nowhere' })).toEqual(['NOT_FOUND']);
    const west = await all({ regionId: 't2' });
    expect(west.edges.map((e: any) => e.node.id)).toEqual(['BEHIND_PACE:cX', 'OVERDUE:iO2']);
  });

  it('pages oldest first with opaque cursors; counts ignore paging', async () => {
    const whole = await all({});
    const ids: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = await gql.data(QUERY, { asOf: AS_OF, first: 5, after }).then((d) => d.alerts);
      expect(page.countsByType).toEqual(whole.countsByType);
      expect(page.totalCount).toBe(whole.totalCount);
      ids.push(...page.edges.map((e: any) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(ids).toEqual(whole.edges.map((e: any) => e.node.id));
    const since = whole.edges.map((e: any) => Date.parse(e.node.since));
    expect(since).toEqual([...since].sort((x, y) => x - y));
  });

  it('answers for the types asked for, zeros included', async () => {
    const a = await all({ types: ['VETO_RISK', 'DUE_SOON'], regionId: 't2' });
    expect(a.countsByType).toEqual([{ type: 'DUE_SOON', count: 0 }, { type: 'VETO_RISK', count: 0 }]);
    expect(a.edges).toEqual([]);
  });

  it('refuses bad input', async () => {
    // An unknown type is a validation error, as a literal and as a variable.
    expect(await gql.codes('{ alerts(types: [LATE]) { totalCount } }')).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(await gql.codes(QUERY, { types: ['LATE'] })).toEqual(['BAD_USER_INPUT']);
    // asOf not an instant: refused before anything is computed.
    store().resetQueries();
    expect(await gql.codes(QUERY, { asOf: '2025-06-15' })).toEqual(['BAD_USER_INPUT']);
    expect(await gql.codes(QUERY, { asOf: 'yesterday' })).toEqual(['BAD_USER_INPUT']);
    expect(store().queries.filter((q) => !/tokens|users|sessions/i.test(q))).toEqual([]);
    expect(await gql.codes(QUERY, { after: 'not-a-cursor' })).toEqual(['BAD_USER_INPUT']);
    expect(await gql.codes(QUERY, { first: 0 })).toEqual(['BAD_USER_INPUT']);
    expect(await gql.codes('query($first: Int) { alerts(first: $first) { totalCount } }', { first: 501 })).toEqual(['BAD_USER_INPUT']);
  });

  it('is read by the roles that read analytics, not by INGEST', async () => {
    const res = await gql.http().post('/graphql').set('Authorization', await gql.bearer('INGEST')).send({ query: '{ alerts { totalCount } }' });
    expect(res.body.errors.map((e: any) => e.extensions.code)).toEqual(['FORBIDDEN']);
    for (const role of ['ANALYST', 'EXTRACT'] as const) {
      const ok = await gql.http().post('/graphql').set('Authorization', await gql.bearer(role)).send({ query: '{ alerts { totalCount } }' });
      expect([role, ok.body.errors]).toEqual([role, undefined]);
    }
  });
});
