import { Calendar } from '../../../../src/analytics/calendar';
import { RecordsService } from '../../../../src/analytics/records/records.service';
import { UNSCOPED } from '../../../../src/domain/access';
import { buildIssue, buildIssueEvent, insertFixtures } from '../../../factories';
import { insertCounty } from '../../../factories/graphql-county';
import { graphqlClient } from '../../../helpers/graphql-client';
import { describeStores } from '../../../helpers/stores';

/*
 * Every filter of the record lists on the small county of graphql-county.ts, with the expected
 * records worked out by hand (local times are +08:00). Two issues are added:
 *   is6 (v2, no household): received 2025-04-01 10:00, due 04-02 10:00, RESPONDED at 12:00 (in SLA), still open: overdue now;
 *   is7 (g1, h1): SOCIAL_SECURITY like is1, received 2025-03-25, 15 days after is1: a repeat appeal.
 * The county's issues as they are now: is1 RESOLVED (transferred, answered YES, contacted, on
 * time), is2 REOPENED (answered NO, not contacted), is3 and is5 OPEN, is4 EXPLAINED.
 */

const ids = (conn: { edges: Array<{ node: { id: string } }> }) => conn.edges.map((e) => e.node.id);
const local = (t: string) => `${t}+08:00`;

describeStores('record lists: each filter selects what its measure counts', (store) => {
  const gql = graphqlClient(store);
  beforeAll(async () => {
    await insertCounty(store().ds);
    await insertFixtures(store().ds, {
      issues: [
        buildIssue({ id: 'is6', regionId: 'v2', channel: 'HOTLINE', category: 'OTHER', receivedAt: local('2025-04-01T10:00:00'), dueAt: local('2025-04-02T10:00:00') }),
        buildIssue({ id: 'is7', regionId: 'g1', householdId: 'h1', channel: 'HOTLINE', category: 'SOCIAL_SECURITY', receivedAt: local('2025-03-25T10:00:00') }),
      ],
      issue_events: [
        buildIssueEvent({ id: 'e10', issueId: 'is6', at: local('2025-04-01T11:00:00'), type: 'ASSIGNED', departmentId: 'd1' }),
        buildIssueEvent({ id: 'e11', issueId: 'is6', at: local('2025-04-01T12:00:00'), type: 'RESPONDED' }),
      ],
    });
  });

  const issues = async (filter: Record<string, unknown>) => ids((await gql.data('query($f: IssueFilter) { issues(filter: $f, first: 100) { edges { node { id } } } }', { f: filter })).issues);
  const count = async (filter: Record<string, unknown>) => (await gql.data('query($f: IssueFilter) { issues(filter: $f) { totalCount } }', { f: filter })).issues.totalCount;

  it('lists issues newest first, and the state flags select what the parts count', async () => {
    expect(await issues({})).toEqual(['is6', 'is7', 'is5', 'is3', 'is2', 'is1', 'is4']);
    expect(await issues({ closed: true })).toEqual(['is1', 'is4']);
    expect(await issues({ closed: false })).toEqual(['is6', 'is7', 'is5', 'is3', 'is2']);
    expect(await issues({ unitResolved: true })).toEqual(['is1']);
    expect(await issues({ residentAnswers: ['NO'] })).toEqual(['is2']);
    expect(await issues({ residentAnswers: ['YES', 'PARTLY', 'NO'] })).toEqual(['is2', 'is1']);
    // is2 was resolved and denied, then reopened: not a false closure now.
    expect(await issues({ unitResolved: true, residentAnswers: ['NO'] })).toEqual([]);
    expect(await issues({ minTransfers: 1 })).toEqual(['is1']);
    expect(await issues({ minTransfers: 2 })).toEqual([]);
    expect(await issues({ reopened: true })).toEqual(['is2']);
    expect(await issues({ inSla: true })).toEqual(['is6']);
    expect(await issues({ responded: true })).toEqual(['is6', 'is2', 'is1', 'is4']);
    expect(await issues({ repeat: true })).toEqual(['is7']);
    expect(await issues({ hasHousehold: false })).toEqual(['is6', 'is4']);
    expect(await issues({ contacted: true })).toEqual(['is1']);
    expect(await issues({ contactAnswered: true, contacted: false })).toEqual(['is2']);
    expect(await issues({ calledBack: true })).toEqual(['is2', 'is1']);
    expect(await issues({ satisfied: true })).toEqual(['is1']);
    expect(await issues({ hasDue: true })).toEqual(['is6', 'is1']);
    expect(await issues({ onTime: true })).toEqual(['is1']);
    expect(await issues({ overdue: true })).toEqual(['is6']);
    expect(await issues({ overdue: false })).toHaveLength(6);
    expect(await issues({ statuses: ['OPEN'] })).toEqual(['is7', 'is5', 'is3']);
    expect(await issues({ departmentIds: ['d1'] })).toEqual(['is6', 'is2']);
    expect(await issues({ departmentId: 'd2', departmentIds: ['d1'] })).toEqual([]);
    expect(await issues({ categories: ['SOCIAL_SECURITY'], channels: ['VISIT'] })).toEqual(['is1']);
    expect(await issues({ householdTags: ['ELDERLY_ALONE'] })).toEqual(['is7', 'is3', 'is1']);
    expect(await issues({ regionId: 't1' })).toEqual(['is6', 'is7', 'is5', 'is2', 'is1', 'is4']);
    expect(await issues({ cadreId: 'c1' })).toEqual(['is1']);
    expect(await count({ closed: false, regionId: 't1' })).toBe(4);
  });

  it('reads the state as of asOf: derived where a later event or response fed it', async () => {
    const at = (t: string) => new Date(local(t)).toISOString();
    // 13 March 21:00: is2 resolved at 09:00 and denied at 20:00 (reopened only on the 14th); is1 resolved, no answer yet.
    const evening = at('2025-03-13T21:00:00');
    expect(await issues({ asOf: evening })).toEqual(['is3', 'is2', 'is1', 'is4']);
    expect(await issues({ asOf: evening, unitResolved: true, residentAnswers: ['NO'] })).toEqual(['is2']);
    expect(await issues({ asOf: evening, statuses: ['RESOLVED'] })).toEqual(['is2', 'is1']);
    expect(await issues({ asOf: evening, reopened: true })).toEqual([]);
    // Noon on the 12th: is1 in progress, is2 assigned at 09:00, is3 untouched.
    expect(await issues({ asOf: at('2025-03-12T12:00:00'), statuses: ['OPEN'] })).toEqual(['is3']);
    const rows = await gql.data('query($f: IssueFilter) { issues(filter: $f) { edges { node { id status residentAnswer transferCount reopenCount } } } }', { f: { asOf: evening, regionId: 'v1' } });
    expect(rows.issues.edges.map((e: { node: unknown }) => e.node)).toEqual([
      { id: 'is2', status: 'RESOLVED', residentAnswer: 'NO', transferCount: 0, reopenCount: 0 },
      { id: 'is1', status: 'RESOLVED', residentAnswer: null, transferCount: 1, reopenCount: 0 },
      { id: 'is4', status: 'EXPLAINED', residentAnswer: null, transferCount: 0, reopenCount: 0 },
    ]);
    // Nothing received after asOf exists; overdue is judged at asOf.
    expect(await issues({ asOf: at('2025-04-02T10:00:00'), overdue: true })).toEqual([]);
    expect(await issues({ asOf: at('2025-04-02T10:00:01'), overdue: true })).toEqual(['is6']);
  });

  it('reads receivedFrom/receivedTo as inclusive local dates in the zone', async () => {
    expect(await issues({ receivedFrom: '2025-03-12', receivedTo: '2025-03-12' })).toEqual(['is3', 'is2']);
    // is1 came in at 10:00 on the 10th in Beijing: 19:00 on the 9th in Los Angeles.
    expect(await issues({ receivedFrom: '2025-03-09', receivedTo: '2025-03-09' })).toEqual([]);
    expect(await issues({ receivedFrom: '2025-03-09', receivedTo: '2025-03-09', timeZone: 'America/Los_Angeles' })).toEqual(['is1']);
    expect(await issues({ receivedTo: '2025-03-11' })).toEqual(['is1', 'is4']);
  });

  it('filters visits by dates, cadres, festival days and raised issues', async () => {
    const visits = async (f: Record<string, unknown>) => ids((await gql.data('query($f: VisitFilter) { visits(filter: $f) { edges { node { id } } } }', { f })).visits);
    expect(await visits({ visitedFrom: '2025-03-10', visitedTo: '2025-03-12' })).toEqual(['vs3', 'vs2', 'vs1']);
    // Spring Festival 2025 (29 January) −7…+7: vs4 on 1 February.
    expect(await visits({ festival: true })).toEqual(['vs4']);
    expect(await visits({ festival: false })).toEqual(['vs5', 'vs3', 'vs2', 'vs1']);
    expect(await visits({ withIssue: true })).toEqual(['vs5', 'vs1']);
    expect(await visits({ withIssue: true, asOf: new Date(local('2025-03-15T00:00:00')).toISOString() })).toEqual(['vs1']);
    expect(await visits({ cadreIds: ['c1'] })).toEqual(['vs3', 'vs1']);
    expect(await visits({ householdTags: ['LOW_INCOME'] })).toEqual(['vs2', 'vs1']);
    expect(await visits({ kinds: ['VILLAGE_STAY'], regionId: 't1' })).toEqual(['vs3']);
  });

  it('filters survey responses by score band and dates', async () => {
    const responses = async (f: Record<string, unknown>) => ids((await gql.data('query($f: SurveyResponseFilter) { surveyResponses(filter: $f) { edges { node { id } } } }', { f })).surveyResponses);
    expect(await responses({ scoreBands: ['SATISFIED'] })).toEqual(['s1', 's3']);
    expect(await responses({ scoreBands: ['DISSATISFIED'] })).toEqual(['s2']);
    expect(await responses({ scoreBands: ['NEUTRAL'] })).toEqual([]);
    expect(await responses({ respondedFrom: '2025-03-01', cadreIds: ['c1', 'c2'] })).toEqual(['s1', 's2']);
  });

  it('filters households by tags, visits in a window and pairings on a date', async () => {
    const households = async (args: string, f: Record<string, unknown> = {}) => ids((await gql.data(`query($f: HouseholdFilter) { households(${args}filter: $f) { edges { node { id } } } }`, { f })).households);
    const march = { from: '2025-03-01', to: '2025-03-31' };
    expect(await households('', { visitedBetween: march })).toEqual(['h1', 'h2', 'h3']);
    expect(await households('', { notVisitedBetween: march })).toEqual(['h4']);
    expect(await households('', { visitedBetween: { ...march, cadreIds: ['c1'] } })).toEqual(['h1']);
    expect(await households('tags: [LOW_INCOME], ', { visitedBetween: march })).toEqual(['h1', 'h2']);
    // Today h4's pairing has ended; on 1 April 2025 every household had one.
    expect(await households('', { paired: false })).toEqual(['h4']);
    expect(await households('', { paired: false, pairedOn: '2025-04-01' })).toEqual([]);
    expect(await households('regionId: "t2", ')).toEqual(['h4']);
  });

  it('filters pairings by activity on a date, their cadre’s visits and silence', async () => {
    const pairings = async (f: Record<string, unknown>) => ids((await gql.data('query($f: PairingFilter) { pairings(filter: $f) { edges { node { id } } } }', { f })).pairings);
    expect(await pairings({ activeOn: '2025-04-01' })).toEqual(['p1', 'p3', 'p4', 'p5']);
    expect(await pairings({ activeOn: '2025-03-31', visitedBetween: { from: '2025-03-01', to: '2025-03-31' } })).toEqual(['p1', 'p5']);
    expect(await pairings({ notVisitedSince: '2025-03-01' })).toEqual(['p2', 'p3', 'p4']);
    expect(await pairings({ regionId: 't1' })).toEqual(['p1', 'p2', 'p3', 'p5']);
  });

  it('refuses what cannot apply with BAD_USER_INPUT naming the field', async () => {
    const refusal = async (query: string, variables: Record<string, unknown> = {}) => {
      const r = await gql.run(query, variables);
      return r.errors?.map((e) => [e.extensions?.code, e.extensions?.argument ?? null]);
    };
    const q = 'query($f: IssueFilter) { issues(filter: $f) { totalCount } }';
    expect(await refusal(q, { f: { receivedFrom: '2025-03-02', receivedTo: '2025-03-01' } })).toEqual([['BAD_USER_INPUT', 'receivedTo']]);
    expect(await refusal(q, { f: { timeZone: 'Mars/Olympus' } })).toEqual([['BAD_USER_INPUT', 'timeZone']]);
    expect(await refusal(q, { f: { minTransfers: -1 } })).toEqual([['BAD_USER_INPUT', 'minTransfers']]);
    expect(await refusal(q, { f: { statuses: [] } })).toEqual([['BAD_USER_INPUT', 'statuses']]);
    // An unknown enum value never reaches a resolver: GraphQL refuses the variable.
    expect((await refusal(q, { f: { residentAnswers: ['MAYBE'] } }))?.[0][0]).toBe('BAD_USER_INPUT');
    expect(await refusal('query($f: HouseholdFilter) { households(filter: $f) { totalCount } }', { f: { visitedBetween: { from: '2025-03-02', to: '2025-03-01' } } })).toEqual([['BAD_USER_INPUT', 'visitedBetween.to']]);
    expect(await refusal('query($f: HouseholdFilter) { households(filter: $f) { totalCount } }', { f: { pairedOn: '2025-03-01' } })).toEqual([['BAD_USER_INPUT', 'pairedOn']]);
    expect(await refusal('{ households(regionId: "t1", filter: { regionId: "t2" }) { totalCount } }')).toEqual([['BAD_USER_INPUT', 'regionId']]);
    expect(await refusal('{ household(id: "h1") { issues(filter: { householdId: "h2" }) { totalCount } } }')).toEqual([['BAD_USER_INPUT', 'householdId']]);
  });

  it('opens the records behind a metrics cell: drill(input)', async () => {
    const DRILL = 'query($d: DrillInput!) { drill(input: $d) { measure part list totalOf total filter issues { edges { node { id } } } visits { edges { node { id } } } pairings { edges { node { id } } } households { totalCount } } }';
    const drill = async (d: Record<string, unknown>) => (await gql.data(DRILL, { d })).drill;
    const year = { from: '2025-01-01', to: '2025-12-31' };
    const closed = await drill({ measure: 'CLOSURE_RATE', ...year });
    expect([closed.list, closed.part, closed.total, ids(closed.issues), closed.visits, closed.households]).toEqual(['ISSUES', 'NUMERATOR', 2, ['is1', 'is4'], null, null]);
    expect(JSON.parse(closed.filter)).toMatchObject({ receivedFrom: '2025-01-01', receivedTo: '2025-12-31', closed: true });
    expect((await drill({ measure: 'CLOSURE_RATE', part: 'DENOMINATOR', ...year })).total).toBe(7);
    const stay = await drill({ measure: 'VILLAGE_STAY_DAYS', year: 2025, cadreIds: ['c1'] });
    expect([stay.list, stay.totalOf, stay.total, ids(stay.visits)]).toEqual(['VISITS', 'STAY_DAYS', 3, ['vs3']]);
    const march = { from: '2025-03-01', to: '2025-03-31' };
    const metric = await gql.data('query($q: MetricsQuery!) { metrics(query: $q) { rows { values { numerator denominator } } } }', { q: { measures: ['PAIRED_COVERAGE'], ...march } });
    const covered = await drill({ measure: 'PAIRED_COVERAGE', ...march });
    const active = await drill({ measure: 'PAIRED_COVERAGE', part: 'DENOMINATOR', ...march });
    expect([ids(covered.pairings), ids(active.pairings)]).toEqual([['p1', 'p5'], ['p1', 'p3', 'p4', 'p5']]);
    expect([covered.total, active.total]).toEqual([metric.metrics.rows[0].values[0].numerator, metric.metrics.rows[0].values[0].denominator]);
    expect((await drill({ measure: 'VISIT_COVERAGE', ...march, householdTags: ['LOW_INCOME'] })).households.totalCount).toBe(2);
  });

  it('refuses a drill that cannot apply, naming the field; an OFFICER cannot name a region outside', async () => {
    const refusal = async (d: Record<string, unknown>) => (await gql.run('query($d: DrillInput!) { drill(input: $d) { total } }', { d })).errors?.map((e) => [e.extensions?.code, e.extensions?.argument ?? null]);
    const year = { from: '2025-01-01', to: '2025-12-31' };
    expect(await refusal({ measure: 'SATISFACTION_AVG', ...year })).toEqual([['BAD_USER_INPUT', 'part']]);
    expect(await refusal({ measure: 'CLOSURE_RATE', ...year, cadreIds: ['c1'] })).toEqual([['BAD_USER_INPUT', 'cadreIds']]);
    expect(await refusal({ measure: 'VISITS', ...year, householdTags: ['LOW_INCOME'] })).toEqual([['BAD_USER_INPUT', 'householdTags']]);
    expect(await refusal({ measure: 'VISITS', ...year, ageBand: 'D0_3' })).toEqual([['BAD_USER_INPUT', 'ageBand']]);
    expect(await refusal({ measure: 'BACKLOG', to: '2025-12-31', ageBand: 'D3_9' })).toEqual([['BAD_USER_INPUT', 'ageBand']]);
    expect(await refusal({ measure: 'VISITS', year: 2025, from: '2025-01-01' })).toEqual([['BAD_USER_INPUT', 'year']]);
    expect(await refusal({ measure: 'VISITS', from: '2025-02-01', to: '2025-01-01' })).toEqual([['BAD_USER_INPUT', 'to']]);
    expect(await refusal({ measure: 'VISITS', to: '2025-01-01' })).toEqual([['BAD_USER_INPUT', 'from']]);
    expect(await refusal({ measure: 'MEDIAN_HOURS_TO_RESOLVE', ...year })).toEqual([['BAD_USER_INPUT', 'part']]);
    const officer = await gql.run('query($d: DrillInput!) { drill(input: $d) { total } }', { d: { measure: 'VISITS', ...year, regionId: 't1' } }, { regionId: 't2' });
    expect(officer.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    // Inside its scope it sees only its records.
    expect((await gql.data('query($d: DrillInput!) { drill(input: $d) { total } }', { d: { measure: 'VISITS', ...year } }, { regionId: 't2' })).drill.total).toBe(1);
  });

  it('refuses a local date with no zone to read it in (a service without a default zone)', async () => {
    const sut = new RecordsService(store().ds, store().config, { calendar: new Calendar(store().config.festivals), defaultTimeZone: null });
    const page = { first: 10, maxPageSize: 500 };
    await expect(sut.issues(UNSCOPED, { receivedFrom: '2025-03-01' }, page)).rejects.toMatchObject({ code: 'BAD_USER_INPUT', details: { argument: 'receivedFrom' } });
    await expect(sut.visits(UNSCOPED, { festival: true }, page)).rejects.toMatchObject({ code: 'BAD_USER_INPUT', details: { argument: 'festival' } });
    // With the zone named, the same filter applies.
    expect((await sut.issues(UNSCOPED, { receivedFrom: '2025-03-01', timeZone: 'Asia/Shanghai' }, page)).edges.map((e) => e.node.id)).toEqual(['is6', 'is7', 'is5', 'is3', 'is2', 'is1']);
  });
});
