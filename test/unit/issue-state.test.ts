import { appendToIssueState, deriveIssueState, StateEvent, StateSurvey } from '../../src/domain/issue-state';

const t = (iso: string) => Date.parse(iso);
const ev = (id: string, at: string, type: StateEvent['type'], departmentId: string | null = null): StateEvent => ({
  id,
  at: t(at),
  type,
  departmentId,
});

/** An issue's history: transferred, resolved, reopened and resolved again. */
const events = [
  ev('e1', '2025-03-01T10:00:00Z', 'ASSIGNED', 'd1'),
  ev('e2', '2025-03-01T12:00:00Z', 'TRANSFERRED', 'd2'),
  ev('e3', '2025-03-02T08:00:00Z', 'RESPONDED'),
  ev('e4', '2025-03-03T08:00:00Z', 'RESOLVED'),
  ev('e5', '2025-03-05T08:00:00Z', 'REOPENED'),
  ev('e6', '2025-03-06T08:00:00Z', 'RESOLVED'),
];

describe(deriveIssueState.name, () => {
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
      { id: 's1', respondedAt: t('2025-03-04T00:00:00Z'), score: 2, resolved: 'NO' as const, contacted: false },
      { id: 's2', respondedAt: t('2025-03-07T00:00:00Z'), score: 4, resolved: null, contacted: null },
      { id: 's3', respondedAt: t('2025-03-06T09:00:00Z'), score: 5, resolved: 'YES' as const, contacted: true },
    ];
    expect(deriveIssueState(events, surveys)).toMatchObject({ residentAnswer: 'YES', latestScore: 4, contacted: true });
    expect(deriveIssueState(events, surveys, t('2025-03-05T00:00:00Z'))).toMatchObject({ residentAnswer: 'NO', latestScore: 2, contacted: false });
    // Equal instants: the larger id is the later response.
    expect(deriveIssueState([], [{ ...surveys[0], id: 'b', contacted: true }, { ...surveys[0], id: 'a', contacted: false }]).contacted).toBe(true);
  });
});

describe(appendToIssueState.name, () => {
  const TYPES: StateEvent['type'][] = ['ASSIGNED', 'TRANSFERRED', 'RESPONDED', 'RESOLVED', 'EXPLAINED', 'REOPENED', 'CLOSED'];
  /** A small deterministic generator (mulberry32), so a failure names a seed that reproduces it. */
  const rng = (seed: number) => () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  /** Events and responses on a few hours, so equal instants (ties broken by id) are common. */
  const history = (seed: number) => {
    const r = rng(seed);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
    const events: StateEvent[] = Array.from({ length: 1 + Math.floor(r() * 8) }, (_, i) => ({
      id: `e${Math.floor(r() * 100)}-${i}`,
      at: Math.floor(r() * 12) * 3_600_000,
      type: pick(TYPES),
      departmentId: pick(['d1', 'd2', null]),
    }));
    const surveys: StateSurvey[] = Array.from({ length: Math.floor(r() * 4) }, (_, i) => ({
      id: `s${i}`,
      respondedAt: Math.floor(r() * 12) * 3_600_000,
      score: 1 + Math.floor(r() * 5),
      resolved: pick(['YES', 'PARTLY', 'NO', null] as const),
      contacted: pick([true, false, null] as const),
    }));
    return { events, surveys, cut: Math.floor(r() * 12) * 3_600_000 };
  };

  it.each(Array.from({ length: 200 }, (_, seed) => [seed]))('equals deriving from everything, or declines (seed %i)', (seed) => {
    const { events, surveys, cut } = history(seed);
    const prev = deriveIssueState(events.filter((e) => e.at <= cut), surveys.filter((s) => s.respondedAt <= cut));
    const sut = appendToIssueState(prev, events.filter((e) => e.at > cut), surveys.filter((s) => s.respondedAt > cut));
    const later = [...events.map((e) => e.at), ...surveys.map((s) => s.respondedAt)].filter((at) => at > cut);
    // It declines exactly when something added is not after prev's last input (prev's lastChangeAt can be below cut).
    const declines = prev.lastChangeAt !== null && later.some((at) => at <= prev.lastChangeAt!);
    expect(sut === null).toBe(declines);
    if (sut) expect(sut).toEqual(deriveIssueState(events, surveys));
  });

  it('declines an event at the same instant as the last one, whose order against it only ids decide', () => {
    const prev = deriveIssueState([ev('b', '2025-03-01T10:00:00Z', 'RESOLVED')], []);
    expect(appendToIssueState(prev, [ev('a', '2025-03-01T10:00:00Z', 'REOPENED')], [])).toBeNull();
  });

  it('carries a resolve across a later reopen and resolve, keeping the first response and counting both', () => {
    const prev = deriveIssueState(events.slice(0, 4), []);
    expect(appendToIssueState(prev, events.slice(4), [])).toEqual(deriveIssueState(events, []));
    expect(appendToIssueState(prev, events.slice(4), [])).toMatchObject({ resolvedAt: t('2025-03-06T08:00:00Z'), reopenCount: 1, transferCount: 1 });
  });
});
