import { DataSource } from 'typeorm';
import { DATASET_NAMES, Dataset } from '../../../src/domain/datasets';
import { deriveIssueState } from '../../../src/domain/issue-state';
import { ImportLineError, ImportRejected, ImportService, MAX_REPORTED_ERRORS } from '../../../src/import/import.service';
import type { ValidRecord } from '../../../src/import/validate';
import { describeStores } from '../../helpers/stores';

const T0 = Date.UTC(2030, 0, 1);
/** Write stamps are max(previous + 1, now): rising `now`s make every stamp exactly the `now` given. */
let clock = T0;
const tick = () => (clock += 60_000);

const ndjson = (...rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

async function tableCounts(ds: DataSource): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of [...DATASET_NAMES, 'region_closure']) {
    const [{ n }] = await ds.query(`SELECT COUNT(*) AS n FROM ${t}`);
    out[t] = Number(n);
  }
  const [{ last_ms }] = await ds.query('SELECT last_ms FROM write_clock WHERE id = 1');
  out.write_clock = Number(last_ms);
  return out;
}

async function rejection(p: Promise<unknown>): Promise<ImportRejected> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ImportRejected) return err;
    throw err;
  }
  throw new Error('expected the batch to be rejected');
}

async function stamps(ds: DataSource, table: string, id: string): Promise<[number, number]> {
  const [r] = await ds.query(`SELECT created_at, updated_at FROM ${table} WHERE id = ?`, [id]);
  return [Number(r.created_at), Number(r.updated_at)];
}

describeStores(ImportService.name, (store) => {
  let sut: ImportService;
  const ds = () => store().ds;

  beforeAll(async () => {
    sut = new ImportService(ds(), store().config);
    // A small county, imported through the service itself; children listed before parents on purpose.
    await sut.importRecords(
      'regions',
      [
        { id: 'v1', parentId: 't1', level: 'VILLAGE', name: '东村' },
        { id: 'v2', parentId: 't1', level: 'VILLAGE', name: '西村' },
        { id: 't1', parentId: 'cty', level: 'TOWNSHIP', name: '城关镇' },
        { id: 't2', parentId: 'cty', level: 'TOWNSHIP', name: '河口乡' },
        { id: 'cty', level: 'COUNTY', name: '测试县', code: '330100000000' },
      ],
      { now: tick() },
    );
    await sut.importRecords('departments', [{ id: 'd1', name: '民政局' }, { id: 'd2', name: '人社局' }], { now: tick() });
    await sut.importRecords('cadres', [{ id: 'c1', name: '王干部', regionId: 't1', rank: 'LEADER' }], { now: tick() });
    await sut.importRecords('households', [{ id: 'h1', regionId: 'v1', headName: '张三', tags: ['LOW_INCOME'] }], { now: tick() });
  });

  describe('upsert by id', () => {
    const rows = [
      { id: 'c10', name: '李干部', regionId: 'v1', rank: 'STAFF', unit: '县民政局', phone: '13812345678' },
      { id: 'c11', name: '赵干部', regionId: 'v2', rank: 'STAFF' },
      { id: 'c12', name: '钱干部', regionId: 't2', rank: 'LEADER' },
    ];
    let first: number;

    it('inserts new records with created_at = updated_at = the write stamp', async () => {
      first = tick();
      expect(await sut.importRecords('cadres', rows, { now: first })).toEqual({ dataset: 'cadres', received: 3, inserted: 3, updated: 0, unchanged: 0 });
      expect(await stamps(ds(), 'cadres', 'c10')).toEqual([first, first]);
    });

    it('leaves identical records alone: all unchanged, updated_at untouched', async () => {
      expect(await sut.importNdjson('cadres', ndjson(...rows), { now: tick() })).toEqual({ dataset: 'cadres', received: 3, inserted: 0, updated: 0, unchanged: 3 });
      expect(await stamps(ds(), 'cadres', 'c10')).toEqual([first, first]);
      expect(await stamps(ds(), 'cadres', 'c12')).toEqual([first, first]);
    });

    it('updates a changed record only, advancing its updated_at and keeping created_at', async () => {
      const later = tick();
      const changed = [rows[0], { ...rows[1], phone: '13900001111' }, rows[2]];
      expect(await sut.importRecords('cadres', changed, { now: later })).toEqual({ dataset: 'cadres', received: 3, inserted: 0, updated: 1, unchanged: 2 });
      expect(await stamps(ds(), 'cadres', 'c11')).toEqual([first, later]);
      expect(await stamps(ds(), 'cadres', 'c10')).toEqual([first, first]);
      const [row] = await ds().query('SELECT phone FROM cadres WHERE id = ?', ['c11']);
      expect(row.phone).toBe('13900001111');
    });

    it('clears an optional field that a re-import leaves out', async () => {
      const { unit: _u, ...noUnit } = rows[0];
      expect(await sut.importRecords('cadres', [noUnit], { now: tick() })).toMatchObject({ updated: 1 });
      const [row] = await ds().query('SELECT unit FROM cadres WHERE id = ?', ['c10']);
      expect(row.unit).toBeNull();
    });

    it('treats a household with the same tags in another order as unchanged', async () => {
      const h = { id: 'h20', regionId: 'v2', headName: '李四', members: 3, tags: ['LEFT_BEHIND', 'ELDERLY_ALONE'] };
      expect(await sut.importRecords('households', [h], { now: tick() })).toMatchObject({ inserted: 1 });
      expect(await sut.importRecords('households', [{ ...h, tags: ['ELDERLY_ALONE', 'LEFT_BEHIND'] }], { now: tick() })).toMatchObject({ unchanged: 1 });
      const [row] = await ds().query('SELECT tags, members FROM households WHERE id = ?', ['h20']);
      expect([row.tags, Number(row.members)]).toEqual(['ELDERLY_ALONE,LEFT_BEHIND', 3]);
    });

    it('stores stayDays 1 for a village stay without one and compares in stored form', async () => {
      const v = { id: 'vs1', cadreId: 'c1', regionId: 'v1', visitedAt: '2025-03-15T09:30:00+08:00', kind: 'VILLAGE_STAY' };
      expect(await sut.importRecords('visits', [v], { now: tick() })).toMatchObject({ inserted: 1 });
      // Same instant in another offset, and the default spelled out: the stored form is identical.
      expect(await sut.importRecords('visits', [{ ...v, visitedAt: '2025-03-15T01:30:00Z', stayDays: 1 }], { now: tick() })).toMatchObject({ unchanged: 1 });
      const [row] = await ds().query('SELECT stay_days, visited_at FROM visits WHERE id = ?', ['vs1']);
      expect([Number(row.stay_days), Number(row.visited_at)]).toEqual([1, Date.UTC(2025, 2, 15, 1, 30)]);
    });

    it('answers an empty batch with zero counts and writes nothing', async () => {
      const before = await tableCounts(ds());
      expect(await sut.importNdjson('visits', '\n\n')).toEqual({ dataset: 'visits', received: 0, inserted: 0, updated: 0, unchanged: 0 });
      expect(await tableCounts(ds())).toEqual(before);
    });
  });

  describe('regions', () => {
    const closureOf = async (id: string) =>
      (await ds().query('SELECT ancestor_id, distance FROM region_closure WHERE descendant_id = ? ORDER BY distance', [id])).map(
        (r: { ancestor_id: string; distance: number }) => `${r.ancestor_id}:${Number(r.distance)}`,
      );

    it('builds the closure for a batch given children first', async () => {
      expect(await closureOf('v1')).toEqual(['v1:0', 't1:1', 'cty:2']);
    });

    it('rebuilds the closure when a village moves to another township', async () => {
      await sut.importRecords('regions', [{ id: 'v9', parentId: 't1', level: 'VILLAGE', name: '南村' }, { id: 'g9', parentId: 'v9', level: 'GROUP', name: '一组' }], { now: tick() });
      expect(await sut.importRecords('regions', [{ id: 'v9', parentId: 't2', level: 'VILLAGE', name: '南村' }], { now: tick() })).toMatchObject({ updated: 1 });
      expect(await closureOf('g9')).toEqual(['g9:0', 'v9:1', 't2:2', 'cty:3']);
    });

    it('inserts a new parent and re-parents a stored region under it in one batch', async () => {
      const r = await sut.importRecords(
        'regions',
        [
          { id: 'v9', parentId: 't3', level: 'VILLAGE', name: '南村' },
          { id: 't3', parentId: 'cty', level: 'TOWNSHIP', name: '新镇' },
        ],
        { now: tick() },
      );
      expect(r).toMatchObject({ inserted: 1, updated: 1 });
      expect(await closureOf('g9')).toEqual(['g9:0', 'v9:1', 't3:2', 'cty:3']);
    });
  });

  describe('bad input is rejected with line-numbered errors and writes nothing', () => {
    const cases: Array<[string, Dataset, string, ImportLineError[]]> = [
      [
        'malformed JSON',
        'departments',
        '{"id":"d50","name":"a"}\n{"id":"d51","name":"b"\n',
        // The rest of the message is V8's own wording, which changes between Node versions.
        [{ line: 2, field: null, message: expect.stringMatching(/^malformed JSON: .*position 22/) }],
      ],
      [
        'a wrong enum',
        'cadres',
        ndjson({ id: 'c50', name: '甲', regionId: 'v1', rank: 'BOSS' }),
        [{ line: 1, field: 'rank', message: 'rank must be one of LEADER, STAFF; got "BOSS"' }],
      ],
      [
        'score 0 and score 6',
        'survey_responses',
        ndjson(
          { id: 's50', regionId: 'v1', respondedAt: '2025-03-20T10:00:00+08:00', channel: 'SMS', score: 0 },
          { id: 's51', regionId: 'v1', respondedAt: '2025-03-20T10:00:00+08:00', channel: 'SMS', score: 6 },
          { id: 's52', regionId: 'v1', respondedAt: '2025-03-20T10:00:00+08:00', channel: 'SMS', score: 5 },
        ),
        [
          { line: 1, field: 'score', message: 'score must be a whole number from 1 to 5; got 0' },
          { line: 2, field: 'score', message: 'score must be a whole number from 1 to 5; got 6' },
        ],
      ],
      [
        'endedOn before startedOn',
        'pairings',
        ndjson({ id: 'p50', cadreId: 'c1', householdId: 'h1', startedOn: '2025-03-01', endedOn: '2025-01-31' }),
        [{ line: 1, field: 'endedOn', message: 'endedOn 2025-01-31 is before startedOn 2025-03-01' }],
      ],
      [
        'unknown references',
        'visits',
        ndjson(
          { id: 'v50', cadreId: 'c1', regionId: 'v1', visitedAt: '2025-03-15T09:30:00+08:00', kind: 'HOME_VISIT' },
          { id: 'v51', cadreId: 'c-nobody', regionId: 'v1', householdId: 'h-none', visitedAt: '2025-03-15T09:30:00+08:00', kind: 'FORUM' },
        ),
        [
          { line: 2, field: 'cadreId', message: 'cadreId "c-nobody": no such record in cadres' },
          { line: 2, field: 'householdId', message: 'householdId "h-none": no such record in households' },
        ],
      ],
      [
        'a region cycle among new regions',
        'regions',
        ndjson(
          { id: 'x1', parentId: 'x2', level: 'VILLAGE', name: '甲' },
          { id: 'x2', parentId: 'x1', level: 'VILLAGE', name: '乙' },
        ),
        [{ line: 1, field: 'parentId', message: 'regions form a cycle: "x1" → "x2" → "x1" (each is the parent of the one before); see also line 2' }],
      ],
      [
        'a region cycle made by re-parenting a stored region',
        'regions',
        ndjson({ id: 'cty', parentId: 'v1', level: 'COUNTY', name: '测试县', code: '330100000000' }),
        [{ line: 1, field: 'parentId', message: 'regions form a cycle: "cty" → "v1" → "t1" → "cty" (each is the parent of the one before)' }],
      ],
      [
        'a level not below the parent',
        'regions',
        ndjson({ id: 'x3', parentId: 'v1', level: 'TOWNSHIP', name: '丙' }),
        [{ line: 1, field: 'level', message: `level TOWNSHIP must be below its parent "v1"'s level VILLAGE (COUNTY > TOWNSHIP > VILLAGE > GROUP)` }],
      ],
      [
        'an unknown parent',
        'regions',
        ndjson({ id: 'x4', parentId: 'nowhere', level: 'VILLAGE', name: '丁' }),
        [{ line: 1, field: 'parentId', message: 'parentId "nowhere": no such record in regions' }],
      ],
      [
        'a 10 MB string',
        'visits',
        ndjson({ id: 'v52', cadreId: 'c1', regionId: 'v1', visitedAt: '2025-03-15T09:30:00+08:00', kind: 'HOME_VISIT', note: 'x'.repeat(10 * 1024 * 1024) }),
        [{ line: 1, field: 'note', message: 'note is too long: at most 20000 characters allowed, got 10485760' }],
      ],
      [
        'a missing required field',
        'issues',
        ndjson({ id: 'i50', regionId: 'v1', channel: 'HOTLINE', receivedAt: '2025-03-15T09:30:00+08:00' }),
        [{ line: 1, field: 'category', message: 'category is required' }],
      ],
      [
        'an unknown field',
        'departments',
        ndjson({ id: 'd52', name: '卫健局', nmae: '卫健局' }),
        [{ line: 1, field: 'nmae', message: 'unknown field "nmae" in departments (did you mean "name"?)' }],
      ],
      [
        'duplicate ids',
        'departments',
        ndjson({ id: 'd53', name: '甲' }, { id: 'd54', name: '乙' }, { id: 'd53', name: '丙' }),
        [{ line: 3, field: 'id', message: 'id "d53" is already used on line 1 of this batch' }],
      ],
      [
        'a line that is not an object',
        'departments',
        '{"id":"d55","name":"甲"}\n["d56","乙"]\n',
        [{ line: 2, field: null, message: 'each line must be a JSON object with the fields of departments; got an array' }],
      ],
      [
        'a bare local timestamp',
        'issue_events',
        ndjson({ id: 'e50', issueId: 'i-missing', at: '2025-03-15 10:00:00', type: 'ASSIGNED' }),
        [{ line: 1, field: 'at', message: 'at must be an ISO-8601 instant with an offset, such as 2025-03-15T09:30:00+08:00; got "2025-03-15 10:00:00"' }],
      ],
      [
        'a bare local timestamp in ISO form',
        'issues',
        ndjson({ id: 'i51', regionId: 'v1', channel: 'HOTLINE', category: 'OTHER', receivedAt: '2025-03-15T09:30:00' }),
        [{ line: 1, field: 'receivedAt', message: 'receivedAt "2025-03-15T09:30:00" has no offset: add Z or one like +08:00 (a bare local time is ambiguous)' }],
      ],
    ];

    it.each(cases)('%s', async (_name, dataset, body, errors) => {
      const before = await tableCounts(ds());
      const err = await rejection(sut.importNdjson(dataset, body, { now: tick() }));
      expect(err.errors).toEqual(errors);
      expect(err.totalErrors).toBe(errors.length);
      expect(await tableCounts(ds())).toEqual(before);
    });

    it('reports the first 100 errors by line and how many there were', async () => {
      const rows = Array.from({ length: 150 }, (_, i) => ({ id: `d${1000 + i}`, name: i % 2 ? '甲' : '' }));
      const body = ndjson(...rows) + '{oops\n';
      const err = await rejection(sut.importNdjson('departments', body));
      expect(err.totalErrors).toBe(76);
      expect(err.errors).toHaveLength(76);
      const many = await rejection(sut.importRecords('departments', Array.from({ length: 150 }, () => ({ name: 'x' }))));
      expect(many.totalErrors).toBe(150);
      expect(many.errors).toHaveLength(MAX_REPORTED_ERRORS);
      expect(many.errors[99]).toEqual({ line: 100, field: 'id', message: 'id is required' });
      expect(many.message).toBe('departments: 150 errors, nothing written; line 1 (id): id is required');
    });
  });

  describe('issue state', () => {
    const issue = (id: string) => ({ id, regionId: 'v1', householdId: 'h1', channel: 'HOTLINE', category: 'INCOME', receivedAt: '2025-04-01T08:00:00+08:00' });
    const events = (issueId: string) => [
      { id: `${issueId}-e1`, issueId, at: '2025-04-01T09:00:00+08:00', type: 'ASSIGNED', departmentId: 'd1' },
      { id: `${issueId}-e2`, issueId, at: '2025-04-01T10:00:00+08:00', type: 'TRANSFERRED', departmentId: 'd2' },
      { id: `${issueId}-e3`, issueId, at: '2025-04-02T09:00:00+08:00', type: 'RESPONDED' },
      { id: `${issueId}-e4`, issueId, at: '2025-04-03T09:00:00+08:00', type: 'RESOLVED' },
      { id: `${issueId}-e5`, issueId, at: '2025-04-04T09:00:00+08:00', type: 'REOPENED' },
      { id: `${issueId}-e6`, issueId, at: '2025-04-05T09:00:00+08:00', type: 'RESOLVED' },
    ];
    const state = async (id: string) => {
      const [r] = await ds().query(
        `SELECT status, first_response_at, resolved_at, transfer_count, reopen_count, department_id, resident_answer, latest_score, contacted, state_changed_at
           FROM issues WHERE id = ?`,
        [id],
      );
      const n = (v: unknown) => (v === null ? null : Number(v));
      return {
        status: r.status,
        firstResponseAt: n(r.first_response_at),
        resolvedAt: n(r.resolved_at),
        transferCount: Number(r.transfer_count),
        reopenCount: Number(r.reopen_count),
        departmentId: r.department_id,
        residentAnswer: r.resident_answer,
        latestScore: n(r.latest_score),
        contacted: r.contacted === null ? null : Number(r.contacted) === 1,
        stateChangedAt: n(r.state_changed_at),
      };
    };
    const expected = {
      status: 'RESOLVED',
      firstResponseAt: Date.parse('2025-04-02T09:00:00+08:00'),
      resolvedAt: Date.parse('2025-04-05T09:00:00+08:00'),
      transferCount: 1,
      reopenCount: 1,
      departmentId: 'd2',
      residentAnswer: null,
      latestScore: null,
      contacted: null,
      stateChangedAt: Date.parse('2025-04-05T09:00:00+08:00'),
    };

    beforeAll(async () => {
      await sut.importRecords('issues', [issue('ia'), issue('ib')], { now: tick() });
    });

    it('starts a new issue OPEN', async () => {
      expect(await state('ia')).toMatchObject({ status: 'OPEN', transferCount: 0, stateChangedAt: null });
    });

    it('derives the same state from events imported out of order in two batches as in order', async () => {
      await sut.importRecords('issue_events', events('ia'), { now: tick() });
      const shuffled = events('ib');
      await sut.importRecords('issue_events', [shuffled[5], shuffled[3], shuffled[4]], { now: tick() });
      expect(await state('ib')).toMatchObject({ status: 'RESOLVED', transferCount: 0, reopenCount: 1, departmentId: null });
      await sut.importRecords('issue_events', [shuffled[2], shuffled[0], shuffled[1]], { now: tick() });
      expect(await state('ia')).toEqual(expected);
      expect(await state('ib')).toEqual(expected);
    });

    it('stamps the issue whose state changed with the batch write stamp', async () => {
      const now = tick();
      await sut.importRecords('issue_events', [{ id: 'ia-e7', issueId: 'ia', at: '2025-04-06T09:00:00+08:00', type: 'CLOSED' }], { now });
      expect(await stamps(ds(), 'issues', 'ia')).toEqual([expect.any(Number), now]);
      expect(await state('ia')).toMatchObject({ status: 'CLOSED', stateChangedAt: Date.parse('2025-04-06T09:00:00+08:00') });
    });

    it('recomputes both issues when a callback moves from one issue to another', async () => {
      const s = { id: 's1', regionId: 'v1', issueId: 'ia', householdId: 'h1', respondedAt: '2025-04-10T10:00:00+08:00', channel: 'PHONE_CALLBACK', score: 2, resolved: 'NO' };
      await sut.importRecords('survey_responses', [s], { now: tick() });
      expect(await state('ia')).toMatchObject({ residentAnswer: 'NO', latestScore: 2 });
      await sut.importRecords('survey_responses', [{ ...s, issueId: 'ib', score: 4, resolved: 'YES' }], { now: tick() });
      expect(await state('ia')).toMatchObject({ residentAnswer: null, latestScore: null, stateChangedAt: Date.parse('2025-04-06T09:00:00+08:00') });
      expect(await state('ib')).toMatchObject({ residentAnswer: 'YES', latestScore: 4, stateChangedAt: Date.parse('2025-04-10T10:00:00+08:00') });
    });

    it('moves an event to another issue and recomputes the one it left', async () => {
      await sut.importRecords('issues', [issue('ic')], { now: tick() });
      await sut.importRecords('issue_events', [{ ...events('ib')[1], issueId: 'ic' }], { now: tick() });
      expect(await state('ib')).toMatchObject({ transferCount: 0, departmentId: 'd1' });
      expect(await state('ic')).toMatchObject({ status: 'IN_PROGRESS', transferCount: 1, departmentId: 'd2' });
    });

    describe('carried forward from what a batch adds', () => {
      /** The state derived from every stored event and response of the issue, as the full path computes it. */
      const derivedFromRows = async (id: string) => {
        const evs = await ds().query('SELECT id, at, type, department_id FROM issue_events WHERE issue_id = ?', [id]);
        const svs = await ds().query('SELECT id, responded_at, score, resolved, contacted FROM survey_responses WHERE issue_id = ?', [id]);
        const s = deriveIssueState(
          evs.map((e: Record<string, unknown>) => ({ id: e.id, at: Number(e.at), type: e.type, departmentId: e.department_id })),
          svs.map((r: Record<string, unknown>) => ({ id: r.id, respondedAt: Number(r.responded_at), score: Number(r.score), resolved: r.resolved, contacted: r.contacted === null ? null : Number(r.contacted) === 1 })),
        );
        const { closed: _c, unitResolved: _u, lastChangeAt, ...rest } = s;
        return { ...rest, stateChangedAt: lastChangeAt };
      };
      /** Statements that read an issue's older events or responses (the full derivation). */
      const fullReads = () => store().queries.filter((q) => /FROM (issue_events|survey_responses) WHERE issue_id IN/.test(q)).length;
      const at = (day: number, hour = 9) => `2025-05-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00+08:00`;
      const callback = (id: string, issueId: string, respondedAt: string, score: number, resolved: string | null) => ({
        id, regionId: 'v1', issueId, householdId: 'h1', respondedAt, channel: 'PHONE_CALLBACK', score, ...(resolved ? { resolved } : {}), contacted: score > 2,
      });

      beforeAll(async () => {
        await sut.importRecords('issues', [issue('fa'), issue('fb')], { now: tick() });
      });

      // Each step is one batch; after each, the stored state must equal the full derivation.
      const steps: Array<[string, Dataset, Array<Record<string, unknown>>, 'carried' | 'rederived']> = [
        ['two issues get their first events', 'issue_events', [
          { id: 'fa-1', issueId: 'fa', at: at(1), type: 'ASSIGNED', departmentId: 'd1' },
          { id: 'fb-1', issueId: 'fb', at: at(1), type: 'ASSIGNED', departmentId: 'd2' },
          { id: 'fa-2', issueId: 'fa', at: at(1, 10), type: 'TRANSFERRED', departmentId: 'd2' },
        ], 'carried'],
        ['a batch lists an issue’s later events before its earlier ones', 'issue_events', [
          { id: 'fa-4', issueId: 'fa', at: at(3), type: 'RESOLVED' },
          { id: 'fa-3', issueId: 'fa', at: at(2), type: 'RESPONDED' },
        ], 'carried'],
        ['a resident denies the closure on the callback', 'survey_responses', [callback('fs-1', 'fa', at(4), 2, 'NO')], 'carried'],
        ['the issue is reopened after resolve, then explained', 'issue_events', [
          { id: 'fa-5', issueId: 'fa', at: at(5), type: 'REOPENED' },
          { id: 'fa-6', issueId: 'fa', at: at(6), type: 'EXPLAINED' },
        ], 'carried'],
        ['a callback with no answer keeps the last answer and takes the score', 'survey_responses', [callback('fs-2', 'fa', at(7), 4, null)], 'carried'],
        ['an event earlier than the stored state falls back to all rows', 'issue_events', [{ id: 'fb-0', issueId: 'fb', at: '2025-04-30T09:00:00+08:00', type: 'RESPONDED' }], 'rederived'],
        ['an event at the same instant as the last input falls back (ids decide the order there)', 'issue_events', [{ id: 'fa-0', issueId: 'fa', at: at(7), type: 'RESOLVED' }], 'rederived'],
        ['a response earlier than the last event falls back', 'survey_responses', [callback('fs-0', 'fb', at(1, 8), 5, 'YES')], 'rederived'],
        ['a resolve after all of it is carried again', 'issue_events', [{ id: 'fa-7', issueId: 'fa', at: at(8), type: 'RESOLVED' }], 'carried'],
      ];
      it.each(steps)('%s', async (_name, dataset, records, path) => {
        store().resetQueries();
        await sut.importRecords(dataset, records, { now: tick() });
        expect(fullReads() > 0 ? 'rederived' : 'carried').toBe(path);
        for (const id of ['fa', 'fb']) expect(await state(id)).toEqual(await derivedFromRows(id));
      });

      it('ends where the events say: resolved on the 8th, one reopen, one transfer, the last answer NO', async () => {
        expect(await state('fa')).toEqual({
          status: 'RESOLVED',
          firstResponseAt: Date.parse(at(2)),
          resolvedAt: Date.parse(at(8)),
          transferCount: 1,
          reopenCount: 1,
          departmentId: 'd2',
          residentAnswer: 'NO',
          latestScore: 4,
          contacted: true, // the last callback with an answer to it (score 4 > 2)
          stateChangedAt: Date.parse(at(8)),
        });
      });
    });
  });

  describe('a constraint the database refuses after validation passed', () => {
    /** Pretends the references were all there when checked (a concurrent delete), then looks again after the failure. */
    class RacingImportService extends ImportService {
      calls = 0;
      constructor(private readonly alwaysBlind: boolean) {
        super(ds(), store().config);
      }
      protected override findReferenceErrors(dataset: Dataset, records: readonly ValidRecord[]): Promise<ImportLineError[]> {
        return this.calls++ === 0 || this.alwaysBlind ? Promise.resolve([]) : super.findReferenceErrors(dataset, records);
      }
    }
    const visits = (n: number, badAt: number) =>
      Array.from({ length: n }, (_, i) => ({
        id: `race-${i}`,
        cadreId: i === badAt ? 'c-deleted' : 'c1',
        regionId: 'v1',
        visitedAt: '2025-05-01T09:00:00+08:00',
        kind: 'HOME_VISIT',
      }));

    it('rolls back rows already written in earlier chunks and names the line once it knows it', async () => {
      const before = await tableCounts(ds());
      const err = await rejection(new RacingImportService(false).importRecords('visits', visits(2500, 2200), { now: tick() }));
      expect(err.errors).toEqual([{ line: 2201, field: 'cadreId', message: 'cadreId "c-deleted": no such record in cadres' }]);
      expect(await tableCounts(ds())).toEqual(before);
    });

    it('keeps ids that differ only in letter case apart on both stores', async () => {
      await sut.importRecords('departments', [{ id: 'Dept-X', name: '民政局' }], { now: tick() });
      expect(await sut.importRecords('departments', [{ id: 'dept-x', name: '民政局' }], { now: tick() })).toMatchObject({ inserted: 1 });
    });

    it('turns an id that only MySQL thinks is taken (trailing space) into a clear rejection, not a crash', async () => {
      await sut.importRecords('departments', [{ id: 'Dept-Z', name: '民政局' }], { now: tick() });
      const before = await tableCounts(ds());
      const attempt = sut.importRecords('departments', [{ id: 'Dept-Z ', name: '民政局' }], { now: tick() });
      if (store().kind === 'sqlite') {
        expect(await attempt).toMatchObject({ inserted: 1 });
      } else {
        // MariaDB's utf8mb4_bin still pads: 'Dept-Z ' equals 'Dept-Z' to the primary key.
        expect((await rejection(attempt)).errors).toEqual([
          {
            line: 1,
            field: 'id',
            message: 'id "Dept-Z " is the same as the stored id "Dept-Z" for this database (it ignores trailing spaces in ids); use the stored spelling',
          },
        ]);
        expect(await tableCounts(ds())).toEqual(before);
      }
    });

    it('turns ids of one batch that only MySQL thinks are equal into a clear rejection', async () => {
      const before = await tableCounts(ds());
      const attempt = sut.importRecords('departments', [{ id: 'Dept-Y', name: '甲' }, { id: 'Dept-Y ', name: '乙' }], { now: tick() });
      if (store().kind === 'sqlite') {
        expect(await attempt).toMatchObject({ inserted: 2 });
      } else {
        expect((await rejection(attempt)).errors).toEqual([
          {
            line: 0,
            field: null,
            message: 'the database refused the batch: two of its ids are one record to it (MySQL/MariaDB treat ids that differ only in trailing spaces as equal); nothing was written',
          },
        ]);
        expect(await tableCounts(ds())).toEqual(before);
      }
    });

    it('says what happened when the lines cannot be named', async () => {
      const before = await tableCounts(ds());
      const err = await rejection(new RacingImportService(true).importRecords('visits', visits(3, 1), { now: tick() }));
      expect(err.errors).toEqual([
        {
          line: 0,
          field: null,
          message: 'the database refused the batch: a record it refers to was removed or changed while it was being written; nothing was written, try again',
        },
      ]);
      expect(await tableCounts(ds())).toEqual(before);
    });
  });
});
