import { issueStateAsOfSql } from '../../../src/analytics/measures/issue-facts.sql';
import { deriveIssueState, StateEvent, StateSurvey } from '../../../src/domain/issue-state';
import type { IssueEventType, ResidentAnswer } from '../../../src/domain/enums';
import { buildDepartment, buildIssue, buildIssueEvent, buildRegion, buildSurveyResponse, insertFixtures, Rec } from '../../factories';
import { describeStores } from '../../helpers/stores';

const T0 = Date.parse('2025-05-01T00:00:00Z');
const H = 3_600_000;
const iso = (h: number) => new Date(T0 + h * H).toISOString();

/** Awkward histories: late and out-of-order arrival, reopen after resolve, ties by id, denied closures. */
const EVENTS: Array<[issue: string, id: string, h: number, type: IssueEventType, dep?: string]> = [
  // A: ids in reverse time order (arrival order never matters).
  ['A', 'a9', 1, 'ASSIGNED', 'D1'], ['A', 'a5', 2, 'RESPONDED'], ['A', 'a1', 3, 'RESOLVED'],
  // B: resolved, reopened, transferred, resolved again, closed.
  ['B', 'b1', 1, 'ASSIGNED', 'D1'], ['B', 'b2', 2, 'RESOLVED'], ['B', 'b3', 4, 'REOPENED'], ['B', 'b4', 5, 'TRANSFERRED', 'D2'], ['B', 'b5', 6, 'RESOLVED'], ['B', 'b6', 8, 'CLOSED'],
  // C: ties at the same instant, decided by id: REOPENED (c1) then RESOLVED (c2); ASSIGNED D1 (c3) then TRANSFERRED D2 (c4).
  ['C', 'c2', 2, 'RESOLVED'], ['C', 'c1', 2, 'REOPENED'], ['C', 'c4', 1, 'TRANSFERRED', 'D2'], ['C', 'c3', 1, 'ASSIGNED', 'D1'],
  // D: explained, reopened, responded: open, never unit-resolved.
  ['D', 'd1', 3, 'EXPLAINED'], ['D', 'd2', 5, 'REOPENED'], ['D', 'd3', 7, 'RESPONDED'], ['D', 'd4', 9, 'TRANSFERRED', 'D1'],
  // F: a transfer with no department, then a reopen before any resolution.
  ['F', 'f1', 1, 'TRANSFERRED'], ['F', 'f2', 2, 'REOPENED'], ['F', 'f3', 3, 'RESOLVED'],
];
const SURVEYS: Array<[issue: string, id: string, h: number, score: number, resolved: ResidentAnswer | null]> = [
  // A: the callback denies the closure, a later plain response carries the latest score.
  ['A', 'sa1', 4, 2, 'NO'], ['A', 'sa2', 6, 4, null],
  // B: YES then NO at the same instant: the tie goes to the larger id (sb2, NO).
  ['B', 'sb1', 7, 5, 'YES'], ['B', 'sb2', 7, 1, 'NO'],
  // E: no events at all, an answer only.
  ['E', 'se1', 2, 3, 'PARTLY'],
  // C: a response before any answer, then an answer.
  ['C', 'sc1', 1, 4, null], ['C', 'sc2', 3, 5, 'YES'],
];

describeStores('issue state as of an instant, in SQL', (store) => {
  beforeAll(async () => {
    const issues: Rec[] = ['A', 'B', 'C', 'D', 'E', 'F'].map((id) => buildIssue({ id, regionId: 'X', receivedAt: iso(0) }));
    await insertFixtures(store().ds, {
      regions: [buildRegion({ id: 'X' })],
      departments: [buildDepartment({ id: 'D1' }), buildDepartment({ id: 'D2' })],
      issues,
      issue_events: EVENTS.map(([issueId, id, h, type, departmentId]) => buildIssueEvent({ id, issueId, at: iso(h), type, departmentId: departmentId ?? null })),
      survey_responses: SURVEYS.map(([issueId, id, h, score, resolved]) => buildSurveyResponse({ id, issueId, regionId: 'X', respondedAt: iso(h), score, resolved })),
    });
  });

  const instants = [...new Set([...EVENTS.map((e) => e[2]), ...SURVEYS.map((s) => s[2]), 0, 100])].flatMap((h) => [T0 + h * H - 1, T0 + h * H, T0 + h * H + 1]);

  it.each(instants.map((t) => [new Date(t).toISOString(), t]))('agrees with deriveIssueState as of %s', async (_label, asOf) => {
    const rows: Array<Record<string, unknown>> = await store().ds.query(`SELECT * FROM (${issueStateAsOfSql(asOf as number, () => '1 = 1')}) f ORDER BY f.id`);
    const got = rows.map((r) => ({
      id: String(r.id),
      closed: Number(r.closed) === 1,
      resolvedAt: r.resolved_at === null ? null : Number(r.resolved_at),
      firstResponseAt: r.first_response_at === null ? null : Number(r.first_response_at),
      transferCount: Number(r.transfer_count),
      reopenCount: Number(r.reopen_count),
      departmentId: r.department_id ?? null,
      residentAnswer: r.resident_answer ?? null,
      latestScore: r.latest_score === null ? null : Number(r.latest_score),
    }));
    const expected = ['A', 'B', 'C', 'D', 'E', 'F'].map((id) => {
      const evs: StateEvent[] = EVENTS.filter((e) => e[0] === id).map(([, eid, h, type, dep]) => ({ id: eid, at: T0 + h * H, type, departmentId: dep ?? null }));
      const svs: StateSurvey[] = SURVEYS.filter((s) => s[0] === id).map(([, sid, h, score, resolved]) => ({ id: sid, respondedAt: T0 + h * H, score, resolved, contacted: null }));
      const s = deriveIssueState(evs, svs, asOf as number);
      const { closed, resolvedAt, firstResponseAt, transferCount, reopenCount, departmentId, residentAnswer, latestScore } = s;
      return { id, closed, resolvedAt, firstResponseAt, transferCount, reopenCount, departmentId, residentAnswer, latestScore };
    });
    expect(got).toEqual(expected);
  });

  it('reads the stored state when nothing after asOf fed it, and derives the rest', async () => {
    // At 6 h: A (last change 6 h) and E (2 h) and F (3 h) are stored; B, C? C's last change is 3 h: stored; B (8 h) and D (9 h) derived.
    const rows: Array<{ id: string; closed: number | string }> = await store().ds.query(`SELECT f.id, f.closed FROM (${issueStateAsOfSql(T0 + 6 * H, () => '1 = 1')}) f ORDER BY f.id`);
    expect(rows.map((r) => [r.id, Number(r.closed)])).toEqual([['A', 1], ['B', 1], ['C', 1], ['D', 0], ['E', 0], ['F', 1]]);
  });
});
