import { deriveIssueState, StateEvent } from '../../src/domain/issue-state';

const t = (iso: string) => Date.parse(iso);
const ev = (id: string, at: string, type: StateEvent['type'], departmentId: string | null = null): StateEvent => ({
  id,
  at: t(at),
  type,
  departmentId,
});

describe(deriveIssueState.name, () => {
  const events = [
    ev('e1', '2025-03-01T10:00:00Z', 'ASSIGNED', 'd1'),
    ev('e2', '2025-03-01T12:00:00Z', 'TRANSFERRED', 'd2'),
    ev('e3', '2025-03-02T08:00:00Z', 'RESPONDED'),
    ev('e4', '2025-03-03T08:00:00Z', 'RESOLVED'),
    ev('e5', '2025-03-05T08:00:00Z', 'REOPENED'),
    ev('e6', '2025-03-06T08:00:00Z', 'RESOLVED'),
  ];

  it('gives the same state whatever order the events arrive in', () => {
    const sut = deriveIssueState(events, []);
    const shuffled = deriveIssueState([events[5], events[2], events[0], events[4], events[1], events[3]], []);
    expect(shuffled).toEqual(sut);
    expect(sut).toMatchObject({
      status: 'RESOLVED',
      closed: true,
      unitResolved: true,
      resolvedAt: t('2025-03-06T08:00:00Z'),
      firstResponseAt: t('2025-03-02T08:00:00Z'),
      transferCount: 1,
      reopenCount: 1,
      departmentId: 'd2',
    });
  });

  it('is REOPENED and not unit-resolved between a reopen and the next resolve', () => {
    const sut = deriveIssueState(events, [], t('2025-03-05T09:00:00Z'));
    expect(sut).toMatchObject({ status: 'REOPENED', closed: false, unitResolved: false, resolvedAt: null, reopenCount: 1 });
  });

  it('breaks ties on the same instant by id', () => {
    const sut = deriveIssueState([ev('b', '2025-03-01T10:00:00Z', 'RESOLVED'), ev('a', '2025-03-01T10:00:00Z', 'REOPENED')], []);
    expect(sut.status).toBe('RESOLVED');
    expect(sut.unitResolved).toBe(true);
  });

  it('is OPEN with no events and a CLOSED issue is closed but not unit-resolved', () => {
    expect(deriveIssueState([], []).status).toBe('OPEN');
    const closed = deriveIssueState([ev('x', '2025-03-01T10:00:00Z', 'CLOSED')], []);
    expect(closed).toMatchObject({ status: 'CLOSED', closed: true, unitResolved: false });
  });

  it('takes the resident answer from the latest response that has one, as of asOf', () => {
    const surveys = [
      { id: 's1', respondedAt: t('2025-03-04T00:00:00Z'), score: 2, resolved: 'NO' as const },
      { id: 's2', respondedAt: t('2025-03-07T00:00:00Z'), score: 4, resolved: null },
      { id: 's3', respondedAt: t('2025-03-06T09:00:00Z'), score: 5, resolved: 'YES' as const },
    ];
    expect(deriveIssueState(events, surveys)).toMatchObject({ residentAnswer: 'YES', latestScore: 4 });
    expect(deriveIssueState(events, surveys, t('2025-03-05T00:00:00Z'))).toMatchObject({ residentAnswer: 'NO', latestScore: 2 });
  });
});
