import { isUtf8 } from 'node:buffer';

/** One problem with one line of a batch; `field` is the JSON field name, null for the whole line. */
export interface ImportLineError {
  line: number;
  field: string | null;
  message: string;
}

/** One non-blank NDJSON line, parsed, with its 1-based line number in the source. */
export interface NdjsonLine {
  line: number;
  value: unknown;
}

/** The lines of a body or file: the parsed ones and the ones that were not JSON. */
export interface ParsedNdjson {
  lines: NdjsonLine[];
  errors: ImportLineError[];
}

const NEWLINE = 0x0a;
const CR = 0x0d;

/**
 * Splits NDJSON into lines and parses each; blank lines are skipped but still counted, so
 * line numbers match what an editor shows. Works on bytes so CRLF, a BOM and bad UTF-8 are exact.
 */
export class NdjsonReader {
  private readonly out: ParsedNdjson = { lines: [], errors: [] };
  private pending: Buffer[] = [];
  private lineNo = 0;

  /** Feeds the next chunk of the body; complete lines are parsed at once. */
  push(chunk: Buffer): void {
    let start = 0;
    for (let nl = chunk.indexOf(NEWLINE, start); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
      const piece = chunk.subarray(start, nl);
      if (this.pending.length) {
        this.pending.push(piece);
        this.take(Buffer.concat(this.pending));
        this.pending = [];
      } else this.take(piece);
      start = nl + 1;
    }
    if (start < chunk.length) this.pending.push(chunk.subarray(start));
  }

  /** Ends the body (a last line without a newline counts) and returns everything parsed. */
  end(): ParsedNdjson {
    if (this.pending.length) {
      this.take(Buffer.concat(this.pending));
      this.pending = [];
    }
    return this.out;
  }

  private take(raw: Buffer): void {
    const line = ++this.lineNo;
    let bytes = raw;
    if (bytes.length && bytes[bytes.length - 1] === CR) bytes = bytes.subarray(0, bytes.length - 1);
    // A line that is not UTF-8 is an error, not silently U+FFFD-replaced text in the database.
    if (!isUtf8(bytes)) {
      this.out.errors.push({ line, field: null, message: 'line is not valid UTF-8' });
      return;
    }
    let text = bytes.toString('utf8');
    // Spreadsheet tools start files with a byte-order mark.
    if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.trim() === '') return;
    try {
      this.out.lines.push({ line, value: JSON.parse(text) });
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      this.out.errors.push({ line, field: null, message: `malformed JSON: ${clip(why, 200)}` });
    }
  }
}

/** Parses a whole NDJSON body held in memory. */
export function parseNdjson(body: string | Buffer): ParsedNdjson {
  const reader = new NdjsonReader();
  reader.push(typeof body === 'string' ? Buffer.from(body, 'utf8') : body);
  return reader.end();
}

/** Parses an NDJSON stream chunk by chunk (a file of any size); `onBytes` reports progress. */
export async function readNdjson(stream: AsyncIterable<Buffer | string>, onBytes?: (bytes: number) => void): Promise<ParsedNdjson> {
  const reader = new NdjsonReader();
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    reader.push(buf);
    onBytes?.(buf.length);
  }
  return reader.end();
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max)}…`;
}
