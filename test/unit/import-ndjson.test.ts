import { Readable } from 'node:stream';
import { NdjsonReader, parseNdjson, readNdjson } from '../../src/import/ndjson';

describe('parseNdjson', () => {
  it('skips blank lines but counts them, and handles CRLF, a BOM and a last line without newline', () => {
    const body = '\uFEFF{"id":"a"}\r\n\r\n   \n{"id":"b"}\n{"id":"c"}';
    expect(parseNdjson(body)).toEqual({
      lines: [
        { line: 1, value: { id: 'a' } },
        { line: 4, value: { id: 'b' } },
        { line: 5, value: { id: 'c' } },
      ],
      errors: [],
    });
  });

  it('names the line of malformed JSON and keeps reading', () => {
    const { lines, errors } = parseNdjson('{"id":"a"}\n{"id": "b",}\n{"id":"c"}\n');
    expect(lines.map((l) => l.line)).toEqual([1, 3]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ line: 2, field: null });
    expect(errors[0].message).toMatch(/^malformed JSON: /);
  });

  it('refuses a line that is not UTF-8', () => {
    const body = Buffer.concat([Buffer.from('{"id":"a"}\n{"name":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n')]);
    expect(parseNdjson(body).errors).toEqual([{ line: 2, field: null, message: 'line is not valid UTF-8' }]);
  });

  it('reads the same lines whatever the chunking, even a multi-byte character split across chunks', async () => {
    const text = '{"name":"民政局"}\n\n{"name":"人社局"}\r\n{"name":"😀"}';
    const bytes = Buffer.from(text, 'utf8');
    const whole = parseNdjson(bytes);
    for (const size of [1, 2, 3, 5, 7]) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
      let seen = 0;
      expect(await readNdjson(Readable.from(chunks), (n) => (seen += n))).toEqual(whole);
      expect(seen).toBe(bytes.length);
    }
    expect(whole.lines.map((l) => l.line)).toEqual([1, 3, 4]);
  });

  it('gives an empty result for an empty body', () => {
    const r = new NdjsonReader();
    expect(r.end()).toEqual({ lines: [], errors: [] });
  });
});
