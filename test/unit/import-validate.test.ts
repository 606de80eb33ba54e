import { DATASETS } from '../../src/domain/datasets';
import {
  isRealDate,
  parentsFirst,
  parseInstant,
  regionTreeErrors,
  TreeRegion,
  unknownReferenceErrors,
  validateBatch,
  validateRecord,
} from '../../src/import/validate';

const limits = { maxFieldChars: 1000 };
const one = (dataset: keyof typeof DATASETS, value: unknown) => validateRecord(DATASETS[dataset], value, 7, limits);
const visit = (o: Record<string, unknown> = {}) => ({ id: 'v1', cadreId: 'c1', regionId: 'r1', visitedAt: '2025-03-15T09:30:00+08:00', kind: 'HOME_VISIT', ...o });
const survey = (o: Record<string, unknown> = {}) => ({ id: 's1', regionId: 'r1', respondedAt: '2025-03-20T10:00:00Z', channel: 'SMS', score: 4, ...o });

describe('validateRecord', () => {
  it('turns a valid visit into its stored cells: epoch ms, nulls for absent optionals', () => {
    expect(one('visits', visit({ note: '民情日记' }))).toEqual({
      record: { line: 7, id: 'v1', cells: ['v1', 'c1', 'r1', null, Date.UTC(2025, 2, 15, 1, 30), 'HOME_VISIT', null, '民情日记'] },
      errors: [],
    });
  });

  it('stores stayDays 1 for a village stay that gives none', () => {
    expect(one('visits', visit({ kind: 'VILLAGE_STAY' })).record!.cells[6]).toBe(1);
    expect(one('visits', visit({ kind: 'VILLAGE_STAY', stayDays: 3 })).record!.cells[6]).toBe(3);
  });

  it('refuses stayDays on a visit that is not a village stay', () => {
    expect(one('visits', visit({ stayDays: 2 })).errors).toEqual([
      { line: 7, field: 'stayDays', message: 'stayDays is only for kind VILLAGE_STAY; this visit is HOME_VISIT' },
    ]);
  });

  it('names the allowed values of a wrong enum', () => {
    expect(one('visits', visit({ kind: 'PHONE_CALL' })).errors).toEqual([
      {
        line: 7,
        field: 'kind',
        message: 'kind must be one of HOME_VISIT, VILLAGE_STAY, FORUM, RECEPTION, HOLIDAY_GREETING; got "PHONE_CALL"',
      },
    ]);
  });

  it.each([0, 6, 4.5, '5'])('refuses score %p', (score) => {
    expect(one('survey_responses', survey({ score })).errors).toEqual([
      { line: 7, field: 'score', message: `score must be a whole number from 1 to 5; got ${JSON.stringify(score)}` },
    ]);
  });

  it('accepts scores 1 and 5, and resolved only with an issue', () => {
    expect(one('survey_responses', survey({ score: 1 })).errors).toEqual([]);
    expect(one('survey_responses', survey({ score: 5, issueId: 'i1', resolved: 'PARTLY' })).errors).toEqual([]);
    expect(one('survey_responses', survey({ resolved: 'YES' })).errors).toEqual([
      { line: 7, field: 'resolved', message: 'resolved is only for callbacks on an issue: set issueId or leave resolved out' },
    ]);
  });

  it('refuses a pairing that ends before it starts, and accepts one that ends the day it starts', () => {
    const p = { id: 'p1', cadreId: 'c1', householdId: 'h1', startedOn: '2025-03-01' };
    expect(one('pairings', { ...p, endedOn: '2025-02-28' }).errors).toEqual([
      { line: 7, field: 'endedOn', message: 'endedOn 2025-02-28 is before startedOn 2025-03-01' },
    ]);
    expect(one('pairings', { ...p, endedOn: '2025-03-01' }).errors).toEqual([]);
  });

  it('refuses dates that do not exist', () => {
    expect(one('pairings', { id: 'p1', cadreId: 'c1', householdId: 'h1', startedOn: '2025-02-29' }).errors).toEqual([
      { line: 7, field: 'startedOn', message: 'startedOn must be a real date as YYYY-MM-DD; got "2025-02-29"' },
    ]);
  });

  it('refuses a bare local timestamp as ambiguous', () => {
    expect(one('visits', visit({ visitedAt: '2025-03-15T09:30:00' })).errors).toEqual([
      {
        line: 7,
        field: 'visitedAt',
        message: 'visitedAt "2025-03-15T09:30:00" has no offset: add Z or one like +08:00 (a bare local time is ambiguous)',
      },
    ]);
  });

  it('names a missing required field and an unknown field with its likely meaning; ignores stamps', () => {
    const { id: _drop, ...noId } = visit();
    expect(one('visits', { ...noId, regoinId: 'r1', createdAt: '2025-01-01T00:00:00Z' }).errors).toEqual([
      { line: 7, field: 'regoinId', message: 'unknown field "regoinId" in visits (did you mean "regionId"?)' },
      { line: 7, field: 'id', message: 'id is required' },
    ]);
  });

  it('lists the fields for an unknown field unlike any of them', () => {
    expect(one('departments', { id: 'd1', name: '民政局', budget: 3 }).errors).toEqual([
      { line: 7, field: 'budget', message: 'unknown field "budget" in departments (fields: id, name)' },
    ]);
  });

  it.each([
    [[1, 2], 'an array'],
    ['text', 'string "text"'],
    [null, 'null'],
    [42, 'number 42'],
  ])('refuses a line that is not an object: %p', (value, what) => {
    expect(one('departments', value).errors).toEqual([
      { line: 7, field: null, message: `each line must be a JSON object with the fields of departments; got ${what}` },
    ]);
  });

  it('limits strings to their length and text to MAX_FIELD_CHARS, counting characters not UTF-16 units', () => {
    expect(one('departments', { id: 'd1', name: '民'.repeat(101) }).errors).toEqual([
      { line: 7, field: 'name', message: 'name is too long: at most 100 characters allowed, got 101' },
    ]);
    expect(one('departments', { id: 'd1', name: '😀'.repeat(100) }).errors).toEqual([]);
    expect(one('visits', visit({ note: 'x'.repeat(10 * 1024 * 1024) })).errors).toEqual([
      { line: 7, field: 'note', message: 'note is too long: at most 1000 characters allowed, got 10485760' },
    ]);
  });

  it('limits text to what a MySQL TEXT column holds, in bytes', () => {
    const r = validateRecord(DATASETS.visits, visit({ note: '民'.repeat(30_000) }), 1, { maxFieldChars: 50_000 });
    expect(r.errors).toEqual([{ line: 1, field: 'note', message: 'note is too long: at most 65535 bytes of UTF-8 allowed, got 90000' }]);
  });

  it('stores household tags sorted and de-duplicated, an empty list as null', () => {
    const h = { id: 'h1', regionId: 'r1', headName: '张三' };
    expect(one('households', { ...h, tags: ['LEFT_BEHIND', 'DISABILITY', 'LEFT_BEHIND'] }).record!.cells[5]).toBe('DISABILITY,LEFT_BEHIND');
    expect(one('households', { ...h, tags: [] }).record!.cells[5]).toBeNull();
    expect(one('households', { ...h, tags: ['RICH'] }).errors[0].message).toBe(
      'tags may only contain LOW_INCOME, EXTREME_HARDSHIP, DISABILITY, ELDERLY_ALONE, LEFT_BEHIND, LAND_LOST; got "RICH"',
    );
  });

  it('wants a 12-digit division code', () => {
    expect(one('regions', { id: 'r1', level: 'COUNTY', name: '县', code: '330100000000' }).errors).toEqual([]);
    expect(one('regions', { id: 'r1', level: 'COUNTY', name: '县', code: '3301' }).errors).toEqual([
      { line: 7, field: 'code', message: 'code must be a 12-digit administrative division code; got "3301"' },
    ]);
  });

  it('stores booleans as 0/1 and refuses anything else', () => {
    expect(one('survey_responses', survey({ contacted: false })).record!.cells[9]).toBe(0);
    expect(one('survey_responses', survey({ contacted: 'yes' })).errors[0].message).toBe('contacted must be true or false; got "yes"');
  });
});

describe('parseInstant', () => {
  it.each([
    ['2025-03-15T09:30:00+08:00', Date.UTC(2025, 2, 15, 1, 30)],
    ['2025-03-15T01:30:00Z', Date.UTC(2025, 2, 15, 1, 30)],
    ['2025-03-15T01:30Z', Date.UTC(2025, 2, 15, 1, 30)],
    ['2025-03-14T20:30:00.123-0500', Date.UTC(2025, 2, 15, 1, 30, 0, 123)],
    ['2025-03-15T01:30:00.1234567Z', Date.UTC(2025, 2, 15, 1, 30, 0, 123)],
    ['0050-01-01T00:00:00Z', -60589296000000],
  ])('reads %s', (s, ms) => expect(parseInstant(s)).toBe(ms));

  it.each(['2025-02-30T00:00:00Z', '2025-03-15T24:00:00Z', '2025-03-15 09:30:00+08:00', '2025-03-15', 'soon', '2025-03-15T09:30:00+19:00'])(
    'refuses %s',
    (s) => expect(parseInstant(s)).toBeNull(),
  );

  it('tells a bare local time apart', () => expect(parseInstant('2025-03-15T09:30:00')).toBe('no-offset'));
});

describe('isRealDate', () => {
  it.each([
    ['2024-02-29', true],
    ['2023-02-29', false],
    ['1900-02-29', false],
    ['2000-02-29', true],
    ['2025-04-31', false],
    ['2025-13-01', false],
    ['2025-1-01', false],
  ])('%s → %p', (s, ok) => expect(isRealDate(s)).toBe(ok));
});

describe('validateBatch', () => {
  it('names both lines of a duplicate id, even when one of them is invalid', () => {
    const lines = [
      { line: 1, value: { id: 'd1', name: '民政局' } },
      { line: 2, value: { id: 'd2', name: '人社局' } },
      { line: 4, value: { id: 'd1', name: '' } },
    ];
    expect(validateBatch('departments', lines, limits).errors).toEqual([
      { line: 4, field: 'name', message: 'name must not be empty' },
      { line: 4, field: 'id', message: 'id "d1" is already used on line 1 of this batch' },
    ]);
  });
});

describe('unknownReferenceErrors', () => {
  it('names the line, field and id of each unknown reference', () => {
    const { records } = validateBatch('visits', [{ line: 3, value: visit({ householdId: 'h9' }) }], limits);
    const known = new Set(['cadres:c1', 'regions:r1']);
    expect(unknownReferenceErrors('visits', records, (t, id) => known.has(`${t}:${id}`))).toEqual([
      { line: 3, field: 'householdId', message: 'householdId "h9": no such record in households' },
    ]);
  });
});

describe('regionTreeErrors', () => {
  const batch = (...rows: Array<Record<string, unknown>>) =>
    validateBatch('regions', rows.map((value, i) => ({ line: i + 1, value: { name: '区', ...value } })), limits).records;
  const stored = (...rows: TreeRegion[]) => new Map(rows.map((r) => [r.id, r]));

  it('accepts a tree given children first, and orders parents first for writing', () => {
    const rows = batch({ id: 'v', parentId: 't', level: 'VILLAGE' }, { id: 't', parentId: 'c', level: 'TOWNSHIP' }, { id: 'c', level: 'COUNTY' });
    expect(regionTreeErrors(rows, stored())).toEqual([]);
    expect(parentsFirst(rows).map((r) => r.id)).toEqual(['c', 't', 'v']);
  });

  it('allows any level for a root and skipping levels downwards', () => {
    expect(regionTreeErrors(batch({ id: 't', level: 'TOWNSHIP' }, { id: 'g', parentId: 't', level: 'GROUP' }), stored())).toEqual([]);
  });

  it('refuses a level that is not below the parent', () => {
    expect(regionTreeErrors(batch({ id: 'x', parentId: 't', level: 'TOWNSHIP' }), stored({ id: 't', parentId: null, level: 'TOWNSHIP' }))).toEqual([
      { line: 1, field: 'level', message: `level TOWNSHIP must be below its parent "t"'s level TOWNSHIP (COUNTY > TOWNSHIP > VILLAGE > GROUP)` },
    ]);
  });

  it('refuses raising a stored region to the level of its stored child', () => {
    const tree = stored({ id: 'c', parentId: null, level: 'COUNTY' }, { id: 't', parentId: 'c', level: 'TOWNSHIP' }, { id: 'v', parentId: 't', level: 'VILLAGE' });
    expect(regionTreeErrors(batch({ id: 't', parentId: 'c', level: 'VILLAGE' }), tree)).toEqual([
      { line: 1, field: 'level', message: 'level VILLAGE must be above the level of its stored child "v" (VILLAGE)' },
    ]);
  });

  it('names every region of a cycle inside the batch once, at its first line', () => {
    const rows = batch(
      { id: 'a', parentId: 'c', level: 'VILLAGE' },
      { id: 'b', parentId: 'a', level: 'VILLAGE' },
      { id: 'c', parentId: 'b', level: 'VILLAGE' },
      { id: 'self', parentId: 'self', level: 'GROUP' },
    );
    expect(regionTreeErrors(rows, stored())).toEqual([
      { line: 1, field: 'parentId', message: 'regions form a cycle: "a" → "c" → "b" → "a" (each is the parent of the one before); see also lines 2, 3' },
      { line: 4, field: 'parentId', message: 'regions form a cycle: "self" → "self" (each is the parent of the one before)' },
    ]);
  });

  it('finds a cycle closed through stored regions by re-parenting', () => {
    const tree = stored({ id: 'c', parentId: null, level: 'COUNTY' }, { id: 't', parentId: 'c', level: 'TOWNSHIP' }, { id: 'v', parentId: 't', level: 'VILLAGE' });
    expect(regionTreeErrors(batch({ id: 'c', parentId: 'v', level: 'COUNTY' }), tree)).toEqual([
      { line: 1, field: 'parentId', message: 'regions form a cycle: "c" → "v" → "t" → "c" (each is the parent of the one before)' },
    ]);
  });
});
