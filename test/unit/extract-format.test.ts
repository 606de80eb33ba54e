import { readConfig } from '../../src/config';
import { decodeCursor, encodeCursor } from '../../src/extracts/extract-cursor';
import { EXTRACT_DATASETS, ExtractDatasetDef } from '../../src/extracts/extract-datasets';
import { createSerializer } from '../../src/extracts/extract-format';
import { cellValue, rowMapper } from '../../src/extracts/extract-rows';
import { parseExtractQuery, parseInstant } from '../../src/extracts/extract.service';
import { maxLower } from '../../src/extracts/keyset-scan';

/** The RFC 4180 reader of the integration test, repeated to keep unit tests self-contained. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') row.push(cell), (cell = '');
    else if (ch === '\r' && text[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    else if (ch === '\n' || ch === '\r' || ch === '"') throw new Error(`not RFC 4180 at ${i}`);
    else cell += ch;
  }
  if (cell !== '' || row.length) throw new Error('missing final CRLF');
  return rows;
}

const departments = EXTRACT_DATASETS.departments;

describe('extract cursors', () => {
  it('round-trips and is opaque URL-safe text', () => {
    const c = { dataset: 'visits', position: { updatedAt: 1_767_225_600_000, id: '村/1+2=3' }, watermark: 1_767_225_600_123 };
    const s = encodeCursor(c);
    expect(s).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(s)).toEqual(c);
  });

  it.each([
    ['garbage', 'not base64 json'],
    ['a position above its watermark', encodeCursor({ dataset: 'visits', position: { updatedAt: 10, id: 'a' }, watermark: 9 })],
    ['a wrong version', Buffer.from(JSON.stringify({ v: 2, d: 'visits', u: 1, i: 'a', w: 1 })).toString('base64url')],
    ['a fractional stamp', Buffer.from(JSON.stringify({ v: 1, d: 'visits', u: 1.5, i: 'a', w: 2 })).toString('base64url')],
    ['padding and symbols', 'eyJ2IjoxfQ=='],
  ])('refuses %s', (_what, s) => expect(decodeCursor(s)).toBeNull());
});

describe(maxLower.name, () => {
  it('takes the later of updatedSince (whole group excluded) and a cursor (group up to an id)', () => {
    expect(maxLower(null, { updatedAt: 5, id: 'b' })).toEqual({ updatedAt: 5, id: 'b' });
    expect(maxLower({ updatedAt: 5, id: null }, { updatedAt: 5, id: 'b' })).toEqual({ updatedAt: 5, id: null });
    expect(maxLower({ updatedAt: 4, id: null }, { updatedAt: 5, id: 'b' })).toEqual({ updatedAt: 5, id: 'b' });
    expect(maxLower({ updatedAt: 5, id: 'a' }, { updatedAt: 5, id: 'b' })).toEqual({ updatedAt: 5, id: 'b' });
  });
});

describe('extract serializers', () => {
  const record = (name: unknown) => ({ id: 'd', name, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' });

  it('quotes CSV fields with separators, quotes and line breaks, and nothing else', () => {
    const csv = createSerializer(departments, { format: 'csv', labels: false, bom: false });
    const values = ['plain', '逗号,在中间', 'say "hi"', 'cr\ronly', 'lf\nonly', 'crlf\r\nboth', ' spaced ', '', '🙂 emoji', '=SUM(A1)'];
    const text = csv.prefix() + csv.rows(values.map(record));
    const [header, ...rows] = readCsv(text);
    expect(header).toEqual(['id', 'name', 'createdAt', 'updatedAt']);
    expect(rows.map((r) => r[1])).toEqual(values);
    expect(text.split('\r\n')[1]).toBe('d,plain,2026-01-01T00:00:00.000Z,2026-01-01T00:00:00.000Z');
    expect(text).toContain('d,"say ""hi""",');
  });

  it('writes null as an empty CSV cell and as JSON null', () => {
    const csv = createSerializer(departments, { format: 'csv', labels: false, bom: false });
    expect(csv.rows([record(null)])).toBe('d,,2026-01-01T00:00:00.000Z,2026-01-01T00:00:00.000Z\r\n');
    const nd = createSerializer(departments, { format: 'ndjson', labels: false, bom: false });
    expect(nd.rows([record(null)])).toBe('{"id":"d","name":null,"createdAt":"2026-01-01T00:00:00.000Z","updatedAt":"2026-01-01T00:00:00.000Z"}\n');
  });

  it('keeps one NDJSON record per line whatever the text holds', () => {
    const nd = createSerializer(departments, { format: 'ndjson', labels: false, bom: false });
    const text = nd.rows([record('a\nb\u2028c\r"d"')]);
    expect(text.split('\n')).toHaveLength(2);
    expect(JSON.parse(text.split('\n')[0]).name).toBe('a\nb\u2028c\r"d"');
  });

  it('labels an enum by its own enum: ONLINE is 网上诉求 for issues and 网上 for surveys', () => {
    const issue = createSerializer(EXTRACT_DATASETS.issues, { format: 'ndjson', labels: true, bom: false });
    const survey = createSerializer(EXTRACT_DATASETS.survey_responses, { format: 'ndjson', labels: true, bom: false });
    expect(JSON.parse(issue.rows([{ channel: 'ONLINE', category: 'OTHER' }])).channelLabel).toBe('网上诉求');
    expect(JSON.parse(survey.rows([{ channel: 'ONLINE' }])).channelLabel).toBe('网上');
  });
});

describe('extract cells', () => {
  const field = (kind: ExtractDatasetDef['fields'][number]['kind']) => ({ name: 'x', kind });

  it('turns stored cells into JSON values', () => {
    expect(cellValue(field('instant'), 1_741_995_000_000)).toBe('2025-03-14T23:30:00.000Z');
    expect(cellValue(field('instant'), '1741995000001')).toBe('2025-03-14T23:30:00.001Z');
    expect(cellValue(field('bool'), 1)).toBe(true);
    expect(cellValue(field('bool'), 0)).toBe(false);
    expect(cellValue(field('bool'), null)).toBeNull();
    expect(cellValue(field('int'), '42')).toBe(42);
    expect(cellValue(field('enumList'), 'DISABILITY,LOW_INCOME')).toEqual(['DISABILITY', 'LOW_INCOME']);
    expect(cellValue(field('enumList'), null)).toEqual([]);
  });

  it('computes issue_facts hours and flags against the configured SLA', () => {
    const map = rowMapper(EXTRACT_DATASETS.issue_facts, { responseSlaHours: 2 });
    const base = { id: 'i', region_id: 'r', channel: 'HOTLINE', category: 'OTHER', received_at: 0, transfer_count: 0, reopen_count: 0, created_at: 0, updated_at: 0 };
    expect(map({ ...base, status: 'RESOLVED', first_response_at: 7_200_000, resolved_at: 9_000_000, due_at: 9_000_000 })).toMatchObject({
      closed: true,
      unitResolved: true,
      hoursToFirstResponse: 2,
      hoursToResolve: 2.5,
      respondedInSla: true,
      onTime: true,
    });
    expect(map({ ...base, status: 'EXPLAINED', first_response_at: 7_200_001, resolved_at: null, due_at: 1 })).toMatchObject({
      closed: true,
      unitResolved: false,
      hoursToResolve: null,
      respondedInSla: false,
      onTime: false,
    });
  });
});

describe(parseExtractQuery.name, () => {
  const config = readConfig({});

  it('reads every parameter', () => {
    const cursor = encodeCursor({ dataset: 'visits', position: { updatedAt: 5, id: 'a' }, watermark: 9 });
    expect(parseExtractQuery('visits', { format: 'csv', updatedSince: '2025-03-15T09:30:00+08:00', after: cursor, limit: '500', labels: '', bom: '1' }, config)).toEqual({
      dataset: 'visits',
      format: 'csv',
      updatedSince: Date.parse('2025-03-15T01:30:00Z'),
      after: { dataset: 'visits', position: { updatedAt: 5, id: 'a' }, watermark: 9 },
      limit: 500,
      labels: true,
      bom: true,
      from: null,
      to: null,
    });
  });

  it.each([
    ['2025-03-15T09:30:00Z', '2025-03-15T09:30:00.000Z'],
    ['2025-03-15T09:30:00.123+08:00', '2025-03-15T01:30:00.123Z'],
    ['2025-03-15T09:30:00 08:00', '2025-03-15T01:30:00.000Z'],
    ['2025-03-15T09:30:00-0500', '2025-03-15T14:30:00.000Z'],
  ])('reads the instant %s', (s, iso) => expect(new Date(parseInstant('updatedSince', s)).toISOString()).toBe(iso));
});
