import { buildIssue, buildIssueEvent, buildRegion, buildSurveyResponse, insertFixtures } from '../../factories';
import { describeStores } from '../../helpers/stores';

describeStores('stored record model', (store) => {
  const county = buildRegion({ id: 'cty', level: 'COUNTY' });
  const town = buildRegion({ id: 'twn', parentId: 'cty', level: 'TOWNSHIP' });
  const village = buildRegion({ id: 'vil', parentId: 'twn', level: 'VILLAGE' });

  beforeAll(async () => {
    await insertFixtures(store().ds, {
      // Children listed before parents on purpose: the writer must order them.
      regions: [village, town, county],
      departments: [{ id: 'd1', name: '民政局' }],
      issues: [buildIssue({ id: 'i1', regionId: 'vil', receivedAt: '2025-03-01T08:00:00+08:00' })],
      issue_events: [
        buildIssueEvent({ id: 'e2', issueId: 'i1', at: '2025-03-02T08:00:00+08:00', type: 'RESOLVED' }),
        buildIssueEvent({ id: 'e1', issueId: 'i1', at: '2025-03-01T09:00:00+08:00', type: 'ASSIGNED', departmentId: 'd1' }),
      ],
      survey_responses: [buildSurveyResponse({ id: 's1', regionId: 'vil', issueId: 'i1', score: 2, resolved: 'NO' })],
    });
  });

  it('keeps a closure row for every ancestor of every region, with the ancestor level', async () => {
    const rows = await store().ds.query(
      'SELECT ancestor_id, ancestor_level, distance FROM region_closure WHERE descendant_id = ? ORDER BY distance',
      ['vil'],
    );
    expect(rows.map((r: { ancestor_id: string; ancestor_level: string; distance: number }) => [r.ancestor_id, r.ancestor_level, Number(r.distance)])).toEqual([
      ['vil', 'VILLAGE', 0],
      ['twn', 'TOWNSHIP', 1],
      ['cty', 'COUNTY', 2],
    ]);
  });

  it('stores the issue state derived from events given out of order, with the resident answer', async () => {
    const [row] = await store().ds.query(
      'SELECT status, resolved_at, first_response_at, department_id, resident_answer, latest_score FROM issues WHERE id = ?',
      ['i1'],
    );
    expect({ ...row, resolved_at: Number(row.resolved_at), first_response_at: Number(row.first_response_at), latest_score: Number(row.latest_score) }).toEqual({
      status: 'RESOLVED',
      resolved_at: Date.parse('2025-03-02T08:00:00+08:00'),
      first_response_at: Date.parse('2025-03-02T08:00:00+08:00'),
      department_id: 'd1',
      resident_answer: 'NO',
      latest_score: 2,
    });
  });

  it('round-trips Chinese text and epoch-ms instants exactly', async () => {
    const [r] = await store().ds.query('SELECT name FROM regions WHERE id = ?', ['cty']);
    expect(r.name).toBe('测试县');
    const [i] = await store().ds.query('SELECT received_at FROM issues WHERE id = ?', ['i1']);
    expect(Number(i.received_at)).toBe(Date.UTC(2025, 2, 1, 0, 0, 0));
  });
});
