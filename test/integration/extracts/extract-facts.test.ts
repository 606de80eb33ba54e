import { DateTime } from 'luxon';
import { DATASET_NAMES } from '../../../src/domain/datasets';
import { DAILY_MEASURES } from '../../../src/extracts/extract-datasets';
import { ExtractService, extractParams, ExtractParams } from '../../../src/extracts/extract.service';
import { ImportService } from '../../../src/import/import.service';
import { Fixtures } from '../../factories';
import { describeStores, TestStore } from '../../helpers/stores';

// Asia/Shanghai is UTC+8. Festival days for this file: 2025-03-02 and 2025-03-03.
const FESTIVALS = JSON.stringify([{ name: 'TEST', daysBefore: 0, daysAfter: 1, dates: ['2025-03-02'] }]);

const at = (local: string) => `${local}+08:00`;

/** Facts at villages, at a group, above village level, and just outside 2025-03-01 … 03-03. */
const FIXTURES: Fixtures = {
  regions: [
    { id: 'dm-c', parentId: null, level: 'COUNTY', name: '县' },
    { id: 'dm-t', parentId: 'dm-c', level: 'TOWNSHIP', name: '镇' },
    { id: 'dm-v1', parentId: 'dm-t', level: 'VILLAGE', name: '一村' },
    { id: 'dm-v2', parentId: 'dm-t', level: 'VILLAGE', name: '二村' },
    { id: 'dm-g1', parentId: 'dm-v1', level: 'GROUP', name: '一组' },
  ],
  departments: [
    { id: 'dm-d1', name: '民政局' },
    { id: 'dm-d2', name: '人社局' },
  ],
  cadres: [{ id: 'dm-k', name: '干部', regionId: 'dm-t', rank: 'STAFF' }],
  households: [{ id: 'dm-h1', regionId: 'dm-g1', headName: '张三' }],
  pairings: [],
  visits: [
    { id: 'v1', cadreId: 'dm-k', regionId: 'dm-g1', householdId: 'dm-h1', visitedAt: at('2025-03-01T09:00:00'), kind: 'VILLAGE_STAY', stayDays: 3 },
    { id: 'v2', cadreId: 'dm-k', regionId: 'dm-v1', visitedAt: at('2025-03-01T15:00:00'), kind: 'VILLAGE_STAY' },
    { id: 'v3', cadreId: 'dm-k', regionId: 'dm-v1', visitedAt: at('2025-03-02T08:00:00'), kind: 'HOLIDAY_GREETING' },
    { id: 'v4', cadreId: 'dm-k', regionId: 'dm-t', visitedAt: at('2025-03-02T08:00:00'), kind: 'FORUM' },
  ],
  issues: [
    { id: 'i1', regionId: 'dm-g1', visitId: 'v1', channel: 'VISIT', category: 'INCOME', receivedAt: at('2025-03-01T10:00:00'), dueAt: at('2025-03-02T10:00:00') },
    { id: 'i2', regionId: 'dm-v1', channel: 'HOTLINE', category: 'OTHER', receivedAt: at('2025-03-01T12:00:00') },
    // i3 and i4 name dm-h1 (who lives in dm-v1): i4, an hour after i3 in the same category, is a repeat appeal.
    { id: 'i3', regionId: 'dm-v2', householdId: 'dm-h1', channel: 'ONLINE', category: 'OTHER', receivedAt: at('2025-03-03T08:00:00'), dueAt: at('2025-03-03T12:00:00') },
    { id: 'i4', regionId: 'dm-v2', householdId: 'dm-h1', channel: 'WALK_IN', category: 'OTHER', receivedAt: at('2025-03-03T09:00:00') },
    { id: 'i5', regionId: 'dm-t', channel: 'VISIT', category: 'OTHER', receivedAt: at('2025-03-01T09:00:00') },
    { id: 'i6', regionId: 'dm-v1', channel: 'VISIT', category: 'OTHER', receivedAt: at('2025-02-28T23:59:59.999') },
  ],
  issue_events: [
    { id: 'e1', issueId: 'i1', at: at('2025-03-01T11:00:00'), type: 'ASSIGNED', departmentId: 'dm-d1' },
    { id: 'e2', issueId: 'i1', at: at('2025-03-01T20:00:00'), type: 'RESPONDED' },
    { id: 'e3', issueId: 'i1', at: at('2025-03-01T21:00:00'), type: 'TRANSFERRED', departmentId: 'dm-d2' },
    { id: 'e4', issueId: 'i1', at: at('2025-03-02T09:00:00'), type: 'RESOLVED' },
    { id: 'e5', issueId: 'i2', at: at('2025-03-02T13:00:00'), type: 'RESPONDED' },
    { id: 'e6', issueId: 'i2', at: at('2025-03-02T14:00:00'), type: 'RESOLVED' },
    { id: 'e7', issueId: 'i2', at: at('2025-03-02T15:00:00'), type: 'REOPENED' },
    { id: 'e8', issueId: 'i3', at: at('2025-03-03T20:00:00'), type: 'EXPLAINED' },
    { id: 'e9', issueId: 'i4', at: at('2025-03-03T10:00:00'), type: 'ASSIGNED', departmentId: 'dm-d1' },
    // Dated after the extract's time: as of now it has not happened.
    { id: 'e10', issueId: 'i4', at: at('2099-01-01T00:00:00'), type: 'RESOLVED' },
  ],
  survey_responses: [
    { id: 's1', regionId: 'dm-g1', respondedAt: at('2025-03-01T10:00:00'), channel: 'SMS', score: 5 },
    { id: 's2', regionId: 'dm-v1', respondedAt: at('2025-03-01T23:59:59.999'), channel: 'SMS', score: 2 },
    { id: 's3', regionId: 'dm-v1', respondedAt: at('2025-03-02T00:00:00'), channel: 'SMS', score: 4 },
    { id: 's4', regionId: 'dm-t', respondedAt: at('2025-03-01T10:00:00'), channel: 'SMS', score: 1 },
    { id: 's5', regionId: 'dm-v2', respondedAt: at('2025-02-28T23:59:59.999'), channel: 'SMS', score: 5 },
    { id: 's6', regionId: 'dm-v2', respondedAt: '2025-03-03T16:00:00Z', channel: 'SMS', score: 5 },
    { id: 's7', regionId: 'dm-v2', respondedAt: '2025-03-02T15:59:59.999Z', channel: 'SMS', score: 3 },
    { id: 's8', regionId: 'dm-g1', issueId: 'i1', respondedAt: at('2025-03-02T12:00:00'), channel: 'PHONE_CALLBACK', score: 5, resolved: 'NO' },
    { id: 's9', regionId: 'dm-v1', issueId: 'i2', respondedAt: at('2025-03-02T16:00:00'), channel: 'PHONE_CALLBACK', score: 2, resolved: 'PARTLY', contacted: false },
    { id: 's10', regionId: 'dm-v2', issueId: 'i3', respondedAt: at('2025-03-03T21:00:00'), channel: 'PHONE_CALLBACK', score: 4, resolved: 'YES', contacted: true },
  ],
};

const zero = Object.fromEntries(DAILY_MEASURES.map((m) => [m, 0]));

async function extract(store: TestStore, params: ExtractParams) {
  const h = await new ExtractService(store.ds, store.config, { chunkSize: 2 }).open(params);
  let text = '';
  for await (const c of h.stream) text += c.toString();
  const rows = params.format === 'ndjson' ? text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) : [];
  return { handle: h, text, rows };
}

describeStores(
  'daily_metrics and issue_facts',
  (store) => {
    let importer: ImportService;
    beforeAll(async () => {
      importer = new ImportService(store().ds, store().config);
      for (const name of DATASET_NAMES) if (FIXTURES[name].length) await importer.importRecords(name, FIXTURES[name]);
    });

    it('gives per village per local day the additive parts of every measure, counted by hand', async () => {
      const { rows, handle } = await extract(store(), extractParams('daily_metrics', { from: '2025-03-01', to: '2025-03-03' }));
      expect(handle.range).toEqual({ from: '2025-03-01', to: '2025-03-03' });
      expect(rows).toEqual([
        {
          ...zero,
          date: '2025-03-01',
          villageId: 'dm-v1',
          // s1 (at the group) 5 and s2 at 23:59:59.999 local 2; s4 at the township is left out.
          responses: 2,
          scoreSum: 7,
          satisfied: 1,
          dissatisfied: 1,
          // v1 stays 3 days at the group and has issue i1; v2 stays the default 1 day.
          visits: 2,
          villageStayDays: 4,
          visitsWithIssue: 1,
          // i1: responded after 10 h, transferred, unit-resolved after 23 h before its due time, resident says NO, latest score 5.
          // i2: responded after 25 h, resolved then reopened, resident says PARTLY, latest score 2.
          issuesReceived: 2,
          respondedInSla: 1,
          firstResponded: 2,
          firstResponseHoursSum: 35,
          closed: 1,
          unitResolved: 1,
          resolveHoursSum: 23,
          residentAnswered: 2,
          unitResolvedAnswered: 1,
          unitResolvedDenied: 1,
          issuesWithResponse: 2,
          issueLatestSatisfied: 1,
          withDue: 1,
          onTime: 1,
          transferred: 1,
          transfers: 1,
          reopened: 1,
          proactive: 1,
          // s9 on i2 says the unit did not contact the resident; s8 on i1 does not say.
          contactAnswered: 1,
        },
        // s3 at local midnight 4, callbacks s8 5 and s9 2; v3 on a festival day.
        { ...zero, date: '2025-03-02', villageId: 'dm-v1', responses: 3, scoreSum: 11, satisfied: 2, dissatisfied: 1, visits: 1, holidayVisits: 1 },
        { ...zero, date: '2025-03-02', villageId: 'dm-v2', responses: 1, scoreSum: 3 },
        {
          ...zero,
          date: '2025-03-03',
          villageId: 'dm-v2',
          responses: 1,
          scoreSum: 4,
          satisfied: 1,
          // i3: explained after 12 h (a first response, closed, not unit-resolved), resident YES.
          // i4: only assigned as of now; its RESOLVED event is dated 2099 and does not count yet.
          issuesReceived: 2,
          respondedInSla: 1,
          firstResponded: 1,
          firstResponseHoursSum: 12,
          closed: 1,
          residentAnswered: 1,
          residentYes: 1,
          issuesWithResponse: 1,
          issueLatestSatisfied: 1,
          withDue: 1,
          // s10 on i3: contacted. i3 and i4 name a household; i4 repeats i3.
          contactAnswered: 1,
          contactedYes: 1,
          withHousehold: 2,
          repeatAppeals: 1,
        },
      ]);
    });

    it('adds up across days and villages to the county totals', async () => {
      const { rows } = await extract(store(), extractParams('daily_metrics', { from: '2025-02-01', to: '2025-03-31' }));
      const sum = (m: string) => rows.reduce((a, r) => a + Number(r[m]), 0);
      // Everything at or below a village, in range: i6 (2025-02-28 local) now counts; township facts still do not.
      expect(sum('issuesReceived')).toBe(5);
      expect(sum('responses')).toBe(10 - 1); // all but s4 at the township
      expect(sum('visits')).toBe(3);
    });

    it('writes daily_metrics as CSV with a header, and defaults to the last 90 days ending today', async () => {
      const { text, handle } = await extract(store(), extractParams('daily_metrics', { format: 'csv' }));
      const today = DateTime.now().setZone('Asia/Shanghai');
      expect(handle.range).toEqual({ from: today.minus({ days: 89 }).toISODate(), to: today.toISODate() });
      expect(text).toBe(['date', 'villageId', ...DAILY_MEASURES].join(',') + '\r\n');
    });

    it('serves issue_facts incrementally: a new event bumps the issue into the next pull with its new state', async () => {
      const first = await extract(store(), extractParams('issue_facts'));
      expect(first.rows.map((r) => r.id)).toHaveLength(6);
      await importer.importRecords('issue_events', [{ id: 'e11', issueId: 'i2', at: at('2025-03-04T09:00:00'), type: 'TRANSFERRED', departmentId: 'dm-d2' }]);
      const next = await extract(store(), extractParams('issue_facts', { updatedSince: first.handle.watermark }));
      expect(next.rows).toHaveLength(1);
      expect(next.rows[0]).toMatchObject({
        id: 'i2',
        status: 'IN_PROGRESS',
        transferCount: 1,
        departmentId: 'dm-d2',
        reopenCount: 1,
        firstResponseAt: '2025-03-02T05:00:00.000Z',
        hoursToFirstResponse: 25,
        respondedInSla: false,
        residentAnswer: 'PARTLY',
        latestScore: 2,
      });
      expect(Date.parse(String(next.rows[0].updatedAt))).toBeGreaterThan(first.handle.watermark);
      expect((await extract(store(), extractParams('issue_facts', { updatedSince: next.handle.watermark }))).rows).toEqual([]);
    });
  },
  { FESTIVAL_WINDOWS: FESTIVALS },
);
