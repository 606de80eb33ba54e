/** The page's CSV builder (plain browser JS, loaded here as CommonJS): RFC 4180 and a UTF-8 BOM. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { toCsv, field } = require('../../src/dashboard/assets/csv.js') as { toCsv(rows: unknown[][]): string; field(v: unknown): string };

describe('dashboard CSV', () => {
  it('quotes only fields with a quote, comma or line break, doubling quotes', () => {
    expect(field('plain')).toBe('plain');
    expect(field('a,b')).toBe('"a,b"');
    expect(field('say "hi"')).toBe('"say ""hi"""');
    expect(field('two\nlines')).toBe('"two\nlines"');
    expect(field('cr\rhere')).toBe('"cr\rhere"');
    expect(field(null)).toBe('');
    expect(field(undefined)).toBe('');
    expect(field(0)).toBe('0');
    expect(field(false)).toBe('false');
  });

  it('starts with a BOM and ends every record with CRLF', () => {
    expect(toCsv([['区域', 'value'], ['城关镇', 0.8125], ['a "b", c', null]])).toBe('\uFEFF区域,value\r\n城关镇,0.8125\r\n"a ""b"", c",\r\n');
  });
});

describe('CSV rendered by the service (POST /api/exports/csv)', () => {
  it('is byte for byte what the page would have built', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { toCsv: serviceCsv } = require('../../src/http/export.routes') as { toCsv(rows: unknown[][]): string };
    const samples: unknown[][][] = [
      [['区域', 'value'], ['城关镇', 0.8125], ['a "b", c', null]],
      [['x'], ['two\nlines'], ['cr\rhere'], [false], [0], [''], ['=1+2']],
      [['a', 'b'], [true, -1.5e-7], ['“quotes”', '、']],
    ];
    for (const rows of samples) expect(serviceCsv(rows)).toBe(toCsv(rows));
  });
});
