import { Dimensions, Measures } from '../../src/analytics/analytics.enums';
import { dateIndexSql, periodIndexSql, stockIndexSql } from '../../src/analytics/buckets';
import { Calendar, festivalDateRanges, Piece, piecesOf } from '../../src/analytics/calendar';
import { CATALOGUE, FAMILIES, factsOf, rateOf } from '../../src/analytics/catalogue';
import { render } from '../../src/analytics/measures/query-plan';
import { wilson, WILSON_Z } from '../../src/analytics/wilson';
import { readConfig } from '../../src/config';

describe('wilson', () => {
  it('matches the published 95 % Wilson intervals', () => {
    expect(WILSON_Z).toBe(1.959963984540054);
    // 2/5 → [0.1176, 0.7693]; 0/10 → [0, 0.2775]; 10/10 → [0.7225, 1]; 8/13 → [0.3552, 0.8229].
    const cases: Array<[number, number, number, number]> = [[2, 5, 0.11762, 0.76928], [0, 10, 0, 0.27753], [10, 10, 0.72247, 1], [8, 13, 0.35523, 0.8229]];
    for (const [k, n, low, high] of cases) {
      const w = wilson(k, n)!;
      expect(w.low).toBeCloseTo(low, 4);
      expect(w.high).toBeCloseTo(high, 4);
    }
    expect(wilson(0, 0)).toBeNull();
  });

  it('a rate with no denominator is null, its counts kept', () => {
    expect(rateOf('SATISFIED_RATE', 0, 0)).toEqual({ measure: 'SATISFIED_RATE', value: null, numerator: 0, denominator: 0, low: null, high: null, suppressed: false });
  });
});

const computeBuckets = (...a: Parameters<Calendar['buckets']>) => new Calendar([]).buckets(...a);

describe('Calendar.buckets', () => {

  const ASOF = Date.parse('2030-01-01T00:00:00Z');
  it('makes local days of 23 and 25 hours across DST in New York', () => {
    const b = computeBuckets('2025-03-08', '2025-03-10', 'America/New_York', 'DAY', ASOF);
    expect(b.map((x) => [x.period, (x.endMs - x.startMs) / 3_600_000])).toEqual([['2025-03-08', 24], ['2025-03-09', 23], ['2025-03-10', 24]]);
    const n = computeBuckets('2025-11-02', '2025-11-02', 'America/New_York', 'DAY', ASOF);
    expect(n.map((x) => [x.period, (x.endMs - x.startMs) / 3_600_000, new Date(x.startMs).toISOString()])).toEqual([['2025-11-02', 25, '2025-11-02T04:00:00.000Z']]);
  });

  it('clips buckets to the range, keeps periods at bucket starts, and carries stock instants', () => {
    const b = computeBuckets('2025-01-15', '2025-03-10', 'Asia/Shanghai', 'MONTH', Date.parse('2025-02-10T00:00:00+08:00'));
    expect(b.map((x) => [x.period, new Date(x.startMs).toISOString(), new Date(x.endMs).toISOString(), x.lastDate])).toEqual([
      ['2025-01-01', '2025-01-14T16:00:00.000Z', '2025-01-31T16:00:00.000Z', '2025-01-31'],
      ['2025-02-01', '2025-01-31T16:00:00.000Z', '2025-02-28T16:00:00.000Z', '2025-02-28'],
      ['2025-03-01', '2025-02-28T16:00:00.000Z', '2025-03-10T16:00:00.000Z', '2025-03-10'],
    ]);
    // Stock at the end of January, then at asOf (10 Feb) for February and March.
    expect(b.map((x) => x.stockMs)).toEqual([Date.parse('2025-02-01T00:00:00+08:00') - 1, Date.parse('2025-02-10T00:00:00+08:00'), Date.parse('2025-02-10T00:00:00+08:00')]);
  });

  it('starts ISO weeks on Monday and quarters on Jan/Apr/Jul/Oct', () => {
    expect(computeBuckets('2025-03-05', '2025-03-17', 'UTC', 'WEEK', ASOF).map((x) => x.period)).toEqual(['2025-03-03', '2025-03-10', '2025-03-17']);
    expect(computeBuckets('2025-02-20', '2025-10-01', 'UTC', 'QUARTER', ASOF).map((x) => x.period)).toEqual(['2025-01-01', '2025-04-01', '2025-07-01', '2025-10-01']);
    expect(computeBuckets('2024-12-31', '2025-01-01', 'UTC', 'YEAR', ASOF).map((x) => x.period)).toEqual(['2024-01-01', '2025-01-01']);
    expect(computeBuckets('2025-02-20', '2025-10-01', 'UTC', null, ASOF).map((x) => [x.period, x.lastDate])).toEqual([[null, '2025-10-01']]);
  });
});

describe('piecesOf: the rollup pieces of a bucket', () => {
  const show = (ps: Piece[]) => ps.map((p) => `${p.sign < 0 ? '-' : '+'}${p.grain}${p.period}`).join(' ');
  it('covers whole years, months and days', () => {
    expect(show(piecesOf('2024-11-30', '2026-01-02', false, false, '2026-12-31'))).toBe('+D2024-11-30 +M2024-12 +Y2025 +D2026-01-01 +D2026-01-02');
  });
  it('reads a year to date as the year minus the days to come, when they are outside the range and without facts', () => {
    expect(show(piecesOf('2026-01-01', '2026-12-29', true, true, '2026-12-29'))).toBe('+Y2026 -D2026-12-30 -D2026-12-31');
    // Not when the days after `to` belong to another bucket, nor when they hold facts and cost more.
    expect(show(piecesOf('2026-01-01', '2026-12-29', true, false, '2026-12-29'))).toMatch(/^\+M2026-01 .* \+D2026-12-29$/);
    expect(show(piecesOf('2026-03-01', '2026-03-30', false, true, '2026-03-31'))).toBe('+M2026-03 -D2026-03-31');
    expect(show(piecesOf('2026-03-01', '2026-03-03', false, true, '2026-03-31'))).toBe('+D2026-03-01 +D2026-03-02 +D2026-03-03');
  });
  it('reads a first bucket starting after the 1st as its month minus the days before the range', () => {
    expect(show(piecesOf('2026-08-02', '2026-10-31', true, true, '2026-12-07'))).toBe('+M2026-08 -D2026-08-01 +M2026-09 +M2026-10');
  });
});

describe('festival windows', () => {
  it('are inclusive local date ranges, merged where they overlap or touch', () => {
    expect(festivalDateRanges([
      { name: 'A', daysBefore: 1, daysAfter: 1, dates: ['2026-02-17', '2025-01-29'] },
      { name: 'B', daysBefore: 0, daysAfter: 2, dates: ['2026-02-19'] },
    ])).toEqual([['2025-01-28', '2025-01-30'], ['2026-02-16', '2026-02-21']]);
  });
});

describe('the catalogue', () => {
  it('says which way each measure is better (metrics.md)', () => {
    const by = (b: string) => [...CATALOGUE.values()].filter((m) => m.better === b).map((m) => m.id).sort();
    expect(by('LOWER')).toEqual(['AVG_TRANSFERS', 'BACKLOG', 'DISSATISFIED_RATE', 'FALSE_CLOSURE_RATE', 'HOLIDAY_VISIT_SHARE', 'MEDIAN_HOURS_TO_FIRST_RESPONSE', 'MEDIAN_HOURS_TO_RESOLVE', 'P90_HOURS_TO_RESOLVE', 'REOPEN_RATE', 'REPEAT_RATE', 'TRANSFER_RATE']);
    expect(by('NONE')).toEqual(['ISSUES_RECEIVED', 'RESPONSES']);
    expect(by('HIGHER')).toContain('SATISFIED_RATE');
    expect(by('HIGHER').length + by('LOWER').length + by('NONE').length).toBe(CATALOGUE.size);
  });

  const config = readConfig({ LOG_LEVEL: 'silent' });
  it('defines every measure once, with names, unit, formula, facts and dimensions', () => {
    expect([...CATALOGUE.keys()]).toEqual(Measures.values);
    for (const m of CATALOGUE.values()) {
      expect(m.version).toBeGreaterThanOrEqual(1);
      expect(m.zh && m.en && m.formula).toBeTruthy();
      expect(factsOf(m).length).toBeGreaterThan(0);
      expect(m.dimensions.every((d) => Dimensions.values.includes(d))).toBe(true);
      for (const f of m.families) expect(FAMILIES[f]).toBeDefined();
    }
  });

  it('weights THREE_RATE_SCORE by configuration, null when a part is null', () => {
    const three = CATALOGUE.get('THREE_RATE_SCORE')!;
    const parts = { issuesReceived: 4, respondedInSla: 2, residentAnswered: 2, residentYes: 2, issuesWithResponse: 4, issueLatestSatisfied: 1 };
    expect(new Set(three.parts)).toEqual(new Set(Object.keys(parts)));
    // 100 × (0.30 × 0.5 + 0.35 × 1 + 0.35 × 0.25)
    expect(three.value(parts, { config }).value).toBeCloseTo(58.75, 12);
    expect(three.value({ ...parts, residentAnswered: 0, residentYes: 0 }, { config }).value).toBeNull();
  });

  it('suppresses satisfaction below MIN_RESPONSES but always shows RESPONSES', () => {
    const p = { responses: 4, scoreSum: 16, satisfied: 3, dissatisfied: 0 };
    expect(CATALOGUE.get('SATISFACTION_AVG')!.value(p, { config }).suppressed).toBe(true);
    expect(CATALOGUE.get('RESPONSES')!.value(p, { config }).value).toBe(4);
    expect(CATALOGUE.get('SATISFIED_RATE')!.value({ ...p, responses: 5 }, { config }).value).toBe(0.6);
  });
});

describe('render', () => {
  it('turns named parameters into positional ones in order of appearance, reuse included', () => {
    expect(render({ sql: 'a = :p_x AND b IN (:p_y0, :p_y1) AND c = :p_x', params: { p_x: 1, p_y0: 'u', p_y1: 'v' } })).toEqual({ sql: 'a = ? AND b IN (?, ?) AND c = ?', params: [1, 'u', 'v', 1] });
    expect(() => render({ sql: ':p_missing', params: {} })).toThrow(/no value for :p_missing/);
  });
});

describe('bucket index CASE expressions', () => {
  /** Evaluates the generated CASE in JS for a value of its column `x`. */
  const run = (sql: string, x: number | string) =>
    new Function('x', `return ${sql.replace(/CASE WHEN/g, '(').replace(/ THEN /g, ' ? ').replace(/ ELSE /g, ' : ').replace(/ END/g, ')')};`)(x);
  const b = computeBuckets('2025-01-01', '2025-01-07', 'UTC', 'DAY', Date.parse('2025-01-05T12:00:00Z'));

  it('finds the bucket of an instant for every bucket count', () => {
    for (let n = 1; n <= b.length; n++) {
      const sql = periodIndexSql('x', b.slice(0, n));
      for (let k = 0; k < n; k++) {
        expect(run(sql, b[k].startMs)).toBe(k);
        expect(run(sql, b[k].endMs - 1)).toBe(k);
      }
    }
  });

  it('finds the first bucket whose stock instant is at or after an instant (several share asOf)', () => {
    const sql = stockIndexSql('x', b);
    expect(b.map((x) => x.stockMs).slice(3)).toEqual([Date.parse('2025-01-05T00:00:00Z') - 1, ...Array(3).fill(Date.parse('2025-01-05T12:00:00Z'))]);
    expect(run(sql, -1e15)).toBe(0);
    expect(run(sql, b[0].stockMs)).toBe(0);
    expect(run(sql, b[0].stockMs + 1)).toBe(1);
    expect(run(sql, Date.parse('2025-01-05T12:00:00Z'))).toBe(4);
  });

  it('finds the first bucket whose last date is on or after (or after) a date', () => {
    const m = computeBuckets('2025-01-15', '2025-03-10', 'UTC', 'MONTH', Date.now());
    const sql = (strict: boolean) => dateIndexSql('x', m, strict).replace(/'/g, '"');
    expect(['2024-12-01', '2025-01-31', '2025-02-01', '2025-03-10'].map((d) => run(sql(false), d))).toEqual([0, 0, 1, 2]);
    expect(['2024-12-01', '2025-01-31', '2025-02-28', '2025-03-09'].map((d) => run(sql(true), d))).toEqual([0, 1, 2, 2]);
  });
});
