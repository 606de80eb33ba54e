import request from 'supertest';
import { ImportService } from '../../../src/import/import.service';
import { buildCadre, buildDepartment, buildHousehold, buildIssue, buildRegion, insertFixtures, Rec } from '../../factories';
import { describeStores } from '../../helpers/stores';
import { graphqlClient } from '../../helpers/graphql-client';
import { countRows } from '../../helpers/reliability';

const RECORD_VISIT = `mutation ($input: RecordVisitInput!) {
  recordVisit(input: $input) { outcome visit { id kind stayDays note visitedAt createdAt updatedAt } }
}`;
const OPEN_ISSUE = `mutation ($input: OpenIssueInput!) { openIssue(input: $input) { outcome issue { id status category } } }`;
const ADD_EVENT = `mutation ($input: AddIssueEventInput!) {
  addIssueEvent(input: $input) { outcome event { id type } issue { id status transferCount firstResponseAt } }
}`;
const RECORD_SURVEY = `mutation ($input: RecordSurveyResponseInput!) {
  recordSurveyResponse(input: $input) { outcome surveyResponse { id score } issue { id residentAnswer latestScore } }
}`;
const UPSERT_HOUSEHOLD = `mutation ($input: UpsertHouseholdInput!) { upsertHousehold(input: $input) { outcome household { id headName members tags } } }`;

describeStores('RecordingResolver', (store) => {
  const gql = graphqlClient(store);
  const county = buildRegion({ id: 'rec-county' });
  const village = buildRegion({ id: 'rec-village', parentId: 'rec-county', level: 'VILLAGE', name: '东村' });
  const cadre = buildCadre({ id: 'rec-cadre', regionId: 'rec-village' });
  const household = buildHousehold({ id: 'rec-h1', regionId: 'rec-village' });
  const dept = buildDepartment({ id: 'rec-dept' });

  beforeAll(async () => {
    await insertFixtures(store().ds, { regions: [county, village], cadres: [cadre], households: [household], departments: [dept] });
  });

  const visit = (o: Partial<Rec> = {}) => ({
    id: 'rec-v1',
    cadreId: 'rec-cadre',
    regionId: 'rec-village',
    householdId: 'rec-h1',
    visitedAt: '2025-03-15T09:30:00+08:00',
    kind: 'VILLAGE_STAY',
    stayDays: 2,
    note: '了解春耕情况',
    ...o,
  });

  it('records a visit, and a retry after a timeout (the same call again) returns the same record and writes nothing', async () => {
    const first = await gql.data(RECORD_VISIT, { input: visit() });
    expect(first.recordVisit.outcome).toBe('CREATED');
    expect(first.recordVisit.visit).toMatchObject({ id: 'rec-v1', kind: 'VILLAGE_STAY', stayDays: 2, note: '了解春耕情况', visitedAt: '2025-03-15T01:30:00.000Z' });
    const again = await gql.data(RECORD_VISIT, { input: visit() });
    expect(again.recordVisit.outcome).toBe('UNCHANGED');
    expect(again.recordVisit.visit).toEqual(first.recordVisit.visit); // updatedAt too: nothing was written
    expect(await countRows(store().ds, 'visits')).toBe(1);
  });

  it('updates the record when the same id comes with other content, like an import', async () => {
    const changed = await gql.data(RECORD_VISIT, { input: visit({ stayDays: 3, note: null }) });
    expect(changed.recordVisit.outcome).toBe('UPDATED');
    expect(changed.recordVisit.visit).toMatchObject({ id: 'rec-v1', stayDays: 3, note: null });
    expect(await countRows(store().ds, 'visits')).toBe(1);
  });

  it('concurrent retries of one new record end in one record', async () => {
    const input = visit({ id: 'rec-v-concurrent', stayDays: null, kind: 'HOME_VISIT' });
    const results = await Promise.all([1, 2, 3].map(() => gql.data(RECORD_VISIT, { input })));
    expect(results.map((r) => r.recordVisit.outcome).sort()).toEqual(['CREATED', 'UNCHANGED', 'UNCHANGED']);
    expect(Number((await store().ds.query("SELECT COUNT(*) AS n FROM visits WHERE id = 'rec-v-concurrent'"))[0].n)).toBe(1);
  });

  it.each([
    ['score out of range', RECORD_SURVEY, { id: 's-bad', regionId: 'rec-village', respondedAt: '2025-03-20T10:00:00+08:00', channel: 'SMS', score: 6 }, 'score'],
    ['unknown reference', RECORD_VISIT, { id: 'v-bad', cadreId: 'nobody', regionId: 'rec-village', visitedAt: '2025-03-15T09:30:00+08:00', kind: 'HOME_VISIT' }, 'cadreId'],
    ['instant without offset', RECORD_VISIT, { id: 'v-bad2', cadreId: 'rec-cadre', regionId: 'rec-village', visitedAt: '2025-03-15T09:30:00', kind: 'HOME_VISIT' }, 'visitedAt'],
    ['stayDays on a home visit', RECORD_VISIT, { id: 'v-bad3', cadreId: 'rec-cadre', regionId: 'rec-village', visitedAt: '2025-03-15T09:30:00Z', kind: 'HOME_VISIT', stayDays: 2 }, 'stayDays'],
    ['resolved without an issue', RECORD_SURVEY, { id: 's-bad2', regionId: 'rec-village', respondedAt: '2025-03-20T10:00:00+08:00', channel: 'SMS', score: 4, resolved: 'YES' }, 'resolved'],
    ['id too long', UPSERT_HOUSEHOLD, { id: 'x'.repeat(65), regionId: 'rec-village', headName: '李四' }, 'id'],
  ])('refuses %s with BAD_USER_INPUT naming the field, writing nothing', async (_what, mutation, input, field) => {
    const before = { v: await countRows(store().ds, 'visits'), s: await countRows(store().ds, 'survey_responses'), h: await countRows(store().ds, 'households') };
    const r = await gql.run(mutation, { input });
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((r.errors?.[0]?.extensions?.errors as Array<{ field: string }>).map((e) => e.field)).toContain(field);
    expect(r.errors?.[0]?.message).toMatch(/nothing was written/);
    expect({ v: await countRows(store().ds, 'visits'), s: await countRows(store().ds, 'survey_responses'), h: await countRows(store().ds, 'households') }).toEqual(before);
  });

  it('opens an issue, adds events (state derived again) and a survey response; retries change nothing', async () => {
    const issue = { id: 'rec-i1', regionId: 'rec-village', householdId: 'rec-h1', channel: 'HOTLINE', category: 'INFRASTRUCTURE', receivedAt: '2025-04-01T08:00:00+08:00', summary: '村道破损' };
    const opened = await gql.data(OPEN_ISSUE, { input: issue });
    expect(opened.openIssue).toEqual({ outcome: 'CREATED', issue: { id: 'rec-i1', status: 'OPEN', category: 'INFRASTRUCTURE' } });
    expect((await gql.data(OPEN_ISSUE, { input: issue })).openIssue.outcome).toBe('UNCHANGED');

    const assigned = { id: 'rec-e1', issueId: 'rec-i1', at: '2025-04-01T09:00:00+08:00', type: 'ASSIGNED', departmentId: 'rec-dept' };
    const transferred = { id: 'rec-e2', issueId: 'rec-i1', at: '2025-04-01T10:00:00+08:00', type: 'TRANSFERRED', departmentId: 'rec-dept' };
    const resolved = { id: 'rec-e3', issueId: 'rec-i1', at: '2025-04-03T10:00:00+08:00', type: 'RESOLVED' };
    // Out of order: the resolution arrives first; the derived state does not depend on arrival.
    expect((await gql.data(ADD_EVENT, { input: resolved })).addIssueEvent.issue.status).toBe('RESOLVED');
    expect((await gql.data(ADD_EVENT, { input: assigned })).addIssueEvent.issue.status).toBe('RESOLVED');
    const last = await gql.data(ADD_EVENT, { input: transferred });
    expect(last.addIssueEvent).toMatchObject({ outcome: 'CREATED', event: { id: 'rec-e2', type: 'TRANSFERRED' }, issue: { status: 'RESOLVED', transferCount: 1 } });
    const retry = await gql.data(ADD_EVENT, { input: transferred });
    expect(retry.addIssueEvent).toEqual({ ...last.addIssueEvent, outcome: 'UNCHANGED' });
    expect(await countRows(store().ds, 'issue_events')).toBe(3);

    const survey = { id: 'rec-s1', regionId: 'rec-village', issueId: 'rec-i1', respondedAt: '2025-04-05T10:00:00+08:00', channel: 'PHONE_CALLBACK', score: 2, resolved: 'NO' };
    const answered = await gql.data(RECORD_SURVEY, { input: survey });
    expect(answered.recordSurveyResponse).toEqual({ outcome: 'CREATED', surveyResponse: { id: 'rec-s1', score: 2 }, issue: { id: 'rec-i1', residentAnswer: 'NO', latestScore: 2 } });
    expect((await gql.data(RECORD_SURVEY, { input: survey })).recordSurveyResponse.outcome).toBe('UNCHANGED');
    expect(await countRows(store().ds, 'survey_responses')).toBe(1);
  });

  it('upserts a household (tags in any order are the same record)', async () => {
    const h = { id: 'rec-h2', regionId: 'rec-village', headName: '王五', members: 4, tags: ['ELDERLY_ALONE', 'LOW_INCOME'] };
    expect((await gql.data(UPSERT_HOUSEHOLD, { input: h })).upsertHousehold.outcome).toBe('CREATED');
    const again = await gql.data(UPSERT_HOUSEHOLD, { input: { ...h, tags: ['LOW_INCOME', 'ELDERLY_ALONE'] } });
    expect(again.upsertHousehold.outcome).toBe('UNCHANGED');
    expect(again.upsertHousehold.household).toMatchObject({ headName: '王五', members: 4 });
    expect((await gql.data(UPSERT_HOUSEHOLD, { input: { ...h, members: 5 } })).upsertHousehold.outcome).toBe('UPDATED');
  });

  it('lets ADMIN and INGEST record, and refuses the reading roles with FORBIDDEN', async () => {
    const call = async (role: string) =>
      gql.http().post('/graphql').set('Authorization', await gql.bearer(role as never)).send({ query: UPSERT_HOUSEHOLD, variables: { input: { id: `rec-h-${role}`, regionId: 'rec-village', headName: '赵六' } } });
    expect((await call('INGEST')).body.data.upsertHousehold.outcome).toBe('CREATED');
    for (const role of ['ANALYST', 'EXTRACT']) {
      const res = await call(role);
      expect(res.body.errors[0].extensions.code).toBe('FORBIDDEN');
    }
    expect(Number((await store().ds.query("SELECT COUNT(*) AS n FROM households WHERE id LIKE 'rec-h-%'"))[0].n)).toBe(1);
    const anonymous = await request(gql.app().app).post('/graphql').send({ query: UPSERT_HOUSEHOLD, variables: { input: { id: 'rec-h-anon', regionId: 'rec-village', headName: '赵六' } } });
    expect(anonymous.status).toBe(401);
  });
});

describeStores('ImportService, concurrent overlapping batches', (store) => {
  // Two batches that share ids with different content, and events of one issue split across them.
  const batches = (p: string) => {
    const visits = (from: number, to: number, note: string) =>
      Array.from({ length: to - from + 1 }, (_, k) => ({ id: `${p}v${from + k}`, cadreId: 'ov-cadre', regionId: 'ov-village', visitedAt: `2025-05-${String(1 + ((from + k) % 28)).padStart(2, '0')}T09:00:00+08:00`, kind: 'HOME_VISIT', note }));
    const ev = (n: number, type: string, day: number) => ({ id: `${p}e${n}`, issueId: `${p}i`, at: `2025-05-${String(day).padStart(2, '0')}T09:00:00+08:00`, type, departmentId: 'ov-dept' });
    return {
      issue: { id: `${p}i`, regionId: 'ov-village', channel: 'HOTLINE', category: 'OTHER', receivedAt: '2025-05-01T08:00:00+08:00' },
      a: { visits: visits(1, 60, 'A'), events: [ev(1, 'ASSIGNED', 2), ev(2, 'TRANSFERRED', 3), ev(3, 'RESOLVED', 5)] },
      b: { visits: visits(31, 90, 'B'), events: [ev(3, 'RESOLVED', 5), ev(4, 'REOPENED', 7), ev(5, 'TRANSFERRED', 8)] },
    };
  };
  let sut: ImportService;
  beforeAll(async () => {
    sut = new ImportService(store().ds, store().config);
    await insertFixtures(store().ds, {
      regions: [buildRegion({ id: 'ov-county' }), buildRegion({ id: 'ov-village', parentId: 'ov-county', level: 'VILLAGE' })],
      cadres: [buildCadre({ id: 'ov-cadre', regionId: 'ov-village' })],
      departments: [buildDepartment({ id: 'ov-dept' })],
    });
  });

  /** Visits and the issue's derived state under prefix p, with the prefix taken out so runs compare. */
  const snapshot = async (p: string) => {
    const visits = await store().ds.query(`SELECT id, note FROM visits WHERE id LIKE '${p}v%' ORDER BY id`);
    const [issue] = await store().ds.query(`SELECT status, transfer_count, reopen_count, resolved_at, first_response_at FROM issues WHERE id = '${p}i'`);
    const events = await store().ds.query(`SELECT id FROM issue_events WHERE id LIKE '${p}e%' ORDER BY id`);
    return {
      visits: visits.map((v: { id: string; note: string }) => [v.id.slice(p.length), v.note]),
      events: events.map((e: { id: string }) => e.id.slice(p.length)),
      issue: { ...issue, transfer_count: Number(issue.transfer_count), reopen_count: Number(issue.reopen_count), resolved_at: issue.resolved_at === null ? null : Number(issue.resolved_at), first_response_at: Number(issue.first_response_at) },
    };
  };

  it('Promise.all of two overlapping batches ends as one of the two sequential orders', async () => {
    const run = async (p: string, mode: 'ab' | 'ba' | 'both') => {
      const b = batches(p);
      await sut.importRecords('issues', [b.issue]);
      const A = async () => (await sut.importRecords('visits', b.a.visits), await sut.importRecords('issue_events', b.a.events));
      const B = async () => (await sut.importRecords('visits', b.b.visits), await sut.importRecords('issue_events', b.b.events));
      if (mode === 'ab') (await A(), await B());
      else if (mode === 'ba') (await B(), await A());
      else await Promise.all([A(), B()]);
      return snapshot(p);
    };
    const ab = await run('ab-', 'ab');
    const ba = await run('ba-', 'ba');
    const both = await run('cc-', 'both');
    expect(ab.visits).toHaveLength(90);
    expect(ab.events).toEqual(['e1', 'e2', 'e3', 'e4', 'e5']);
    // Derived state does not depend on the order the events arrived in.
    expect(ab.issue).toEqual(ba.issue);
    expect(ab.issue).toMatchObject({ status: 'IN_PROGRESS', transfer_count: 2, reopen_count: 1 });
    expect(both.issue).toEqual(ab.issue);
    expect(both.events).toEqual(ab.events);
    // The overlapping visits (31–60) hold the content of whichever batch committed last.
    expect([JSON.stringify(ab.visits), JSON.stringify(ba.visits)]).toContain(JSON.stringify(both.visits));
    expect(await countRows(store().ds, 'visits')).toBe(270);
  });

  it('the same batch imported concurrently four times writes it once', async () => {
    const b = batches('q4-');
    await sut.importRecords('issues', [b.issue]);
    const results = await Promise.all([1, 2, 3, 4].map(() => sut.importRecords('visits', b.a.visits)));
    expect(results.map((r) => r.inserted).sort()).toEqual([0, 0, 0, 60]);
    expect(results.reduce((n, r) => n + r.unchanged, 0)).toBe(180);
    expect(Number((await store().ds.query("SELECT COUNT(*) AS n FROM visits WHERE id LIKE 'q4-v%'"))[0].n)).toBe(60);
  });
});
