import { rankWithBands } from '../../src/analytics/dashboard/tie-bands';
import { addMonths, monthNameZh, monthRange, parseMonth, shiftRangeByMonths } from '../../src/analytics/months';
import { bottomOf, rankableMeasure, reportTitle } from '../../src/analytics/report/monthly-report.service';
import { CATALOGUE } from '../../src/analytics/catalogue';
import { UserError } from '../../src/domain/errors';

const v = (value: number | null, low: number | null = null, high: number | null = null) => ({ value, low, high });
const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

describe('rankWithBands by direction', () => {
  const items = [
    { name: 'a', v: v(0.1) },
    { name: 'b', v: v(0.3) },
    { name: 'c', v: v(null) },
    { name: 'd', v: v(0.3) },
    { name: 'e', v: v(0.5) },
    { name: 'f', v: v(null) },
  ];
  const placed = (better?: 'HIGHER' | 'LOWER' | 'NONE') => rankWithBands(items, (x) => x.v, byName, better).map((x) => [x.name, x.rank, x.tieBand]);

  it('puts the largest first for HIGHER (the default) and NONE, the smallest for LOWER; no value shares the rank after the last valued one', () => {
    const higher = [['e', 1, 1], ['b', 2, 2], ['d', 2, 2], ['a', 4, 3], ['c', 5, 4], ['f', 5, 4]];
    expect(placed()).toEqual(higher);
    expect(placed('HIGHER')).toEqual(higher);
    expect(placed('NONE')).toEqual(higher);
    expect(placed('LOWER')).toEqual([['a', 1, 1], ['b', 2, 2], ['d', 2, 2], ['e', 4, 3], ['c', 5, 4], ['f', 5, 4]]);
  });

  it('chains bands over overlapping intervals in either direction', () => {
    const rates = [
      { name: 'x', v: v(0.1, 0.0, 0.2) },
      { name: 'y', v: v(0.25, 0.15, 0.35) },
      { name: 'z', v: v(0.6, 0.5, 0.7) },
    ];
    expect(rankWithBands(rates, (x) => x.v, byName, 'LOWER').map((x) => [x.name, x.rank, x.tieBand])).toEqual([['x', 1, 1], ['y', 2, 1], ['z', 3, 2]]);
    expect(rankWithBands(rates, (x) => x.v, byName, 'HIGHER').map((x) => [x.name, x.rank, x.tieBand])).toEqual([['z', 1, 1], ['y', 2, 2], ['x', 3, 2]]);
  });
});

describe('bottomOf', () => {
  const row = (name: string, rank: number, value: number | null) => ({ name, rank, value: { value } as never });
  it('names the last three regions with a value, ties at the line included, in rank order', () => {
    expect(bottomOf([row('a', 1, 9), row('b', 2, 8), row('c', 3, 7), row('d', 4, 6), row('e', 5, null)]).map((r) => r.name)).toEqual(['b', 'c', 'd']);
    expect(bottomOf([row('a', 1, 9), row('b', 2, 8), row('c', 2, 8), row('d', 4, 6)]).map((r) => r.name)).toEqual(['b', 'c', 'd']);
    expect(bottomOf([row('a', 1, 9), row('b', 2, 8), row('c', 2, 8), row('d', 4, 6), row('e', 5, 5)]).map((r) => r.name)).toEqual(['b', 'c', 'd', 'e']);
    expect(bottomOf([row('a', 1, 9), row('b', 1, 9), row('c', 1, 9), row('d', 1, 9)]).map((r) => r.name)).toEqual(['a', 'b', 'c', 'd']);
    expect(bottomOf([row('a', 1, 9), row('b', 2, null)]).map((r) => r.name)).toEqual(['a']);
    expect(bottomOf([row('a', 1, null)])).toEqual([]);
  });
});

describe('rankableMeasure', () => {
  const refusal = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      return [(err as UserError).code, (err as UserError).details.argument, (err as UserError).message];
    }
    throw new Error('accepted');
  };

  it('accepts every catalogue measure with a REGION dimension', () => {
    for (const [id, def] of CATALOGUE) if (def.dimensions.includes('REGION')) expect(rankableMeasure(id)).toBe(id);
  });

  it('refuses a measure that cannot be grouped by region, and one that is not in the catalogue, naming the measure', () => {
    const catalogue = new Map([['CADRE_ONLY', { dimensions: ['CADRE' as const], better: 'HIGHER' as const }]]);
    const [code, argument, message] = refusal(() => rankableMeasure('CADRE_ONLY', catalogue));
    expect([code, argument]).toEqual(['BAD_USER_INPUT', 'measure']);
    expect(message).toContain('CADRE_ONLY cannot be ranked by region');
    expect(refusal(() => rankableMeasure('NOPE')).slice(0, 2)).toEqual(['BAD_USER_INPUT', 'measure']);
    expect(refusal(() => rankableMeasure(42)).slice(0, 2)).toEqual(['BAD_USER_INPUT', 'measure']);
  });
});

describe('months', () => {
  it('parses YYYY-MM and refuses anything else naming the argument', () => {
    expect(parseMonth('2026-02')).toEqual({ month: '2026-02', from: '2026-02-01', to: '2026-02-28' });
    expect(parseMonth('2024-02').to).toBe('2024-02-29');
    expect(parseMonth('2025-12').to).toBe('2025-12-31');
    for (const bad of ['2026-13', '2026-00', '2026-1', '2026-01-01', ' 2026-01', '1999-01', 'abcd-ef', null, 202601]) {
      expect(() => parseMonth(bad)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', details: { argument: 'month' } }));
    }
  });

  it('counts months across years', () => {
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2026-03', -12)).toBe('2025-03');
    expect(addMonths('2025-12', 1)).toBe('2026-01');
    expect(addMonths('2025-03', -11)).toBe('2024-04');
    expect(monthRange('2100-02').to).toBe('2100-02-28');
  });

  it('moves a range back a calendar month: whole months to whole months, other ranges day by day, clamped', () => {
    expect(shiftRangeByMonths({ from: '2026-03-01', to: '2026-03-31' }, -1)).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(shiftRangeByMonths({ from: '2025-12-01', to: '2026-11-30' }, -1)).toEqual({ from: '2025-11-01', to: '2026-10-31' });
    expect(shiftRangeByMonths({ from: '2026-01-15', to: '2026-12-07' }, -1)).toEqual({ from: '2025-12-15', to: '2026-11-07' });
    expect(shiftRangeByMonths({ from: '2026-03-30', to: '2026-03-30' }, -1)).toEqual({ from: '2026-02-28', to: '2026-02-28' });
    expect(shiftRangeByMonths({ from: '2024-02-29', to: '2024-02-29' }, -1)).toEqual({ from: '2024-01-29', to: '2024-01-29' });
    expect(shiftRangeByMonths({ from: '2026-03-05', to: '2026-03-31' }, -1)).toEqual({ from: '2026-02-05', to: '2026-02-28' });
  });

  it('names the month and the notice in Chinese', () => {
    expect(monthNameZh('2026-03')).toBe('2026年3月');
    expect(reportTitle('2026-11')).toBe('关于2026年11月群众诉求办理情况的通报');
  });
});
