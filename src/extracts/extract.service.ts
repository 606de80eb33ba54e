import { Readable } from 'node:stream';
import { DateTime } from 'luxon';
import type { DataSource } from 'typeorm';
import type { Config } from '../config';
import { computeAlertRows } from './alerts-extract';
import { computeDailyMetrics } from './daily-metrics';
import { decodeCursor, encodeCursor, ExtractCursor } from './extract-cursor';
import { EXTRACT_DATASETS, ExtractRecord, RowTransform } from './extract-datasets';
import { createSerializer } from './extract-format';
import { EXTRACT_DATASET_NAMES, EXTRACT_FORMATS, ExtractDatasetName, ExtractFormat, isExtractDataset } from '../domain/extract-jobs';
import { rowMapper, selectList } from './extract-rows';
import { findPageEnd, KeyBound, maxLower, scanKeyset } from './keyset-scan';
import { openReadConnection, ReadConnection, readWatermark, Row } from './read-connection';
import { badInput, UserError } from '../domain/errors';
import { MetricsService } from '../analytics/metrics.service';
import type { AuditActor } from '../domain/audit';
import type { AuditTrail } from '../audit/audit-trail';
import { AlertsService } from '../analytics/alerts/alerts.service';
import { ScorecardService } from '../analytics/dashboard/scorecard.service';
import { Scope, UNSCOPED } from '../domain/access';

export const MAX_EXTRACT_LIMIT = 100_000;
const DEFAULT_CHUNK = 2_000;
const DEFAULT_METRIC_DAYS = 90;

const bad = (message: string) => badInput(message);

/** A validated extract request. */
export interface ExtractParams {
  dataset: ExtractDatasetName;
  format: ExtractFormat;
  /** Exclusive: rows with updatedAt > this (epoch ms). */
  updatedSince: number | null;
  after: ExtractCursor | null;
  limit: number | null;
  labels: boolean;
  bom: boolean;
  /** daily_metrics: inclusive local dates. */
  from: string | null;
  to: string | null;
}

/** Defaults for programmatic callers (CLI, jobs, benchmarks). */
export function extractParams(dataset: ExtractDatasetName, o: Partial<Omit<ExtractParams, 'dataset'>> = {}): ExtractParams {
  return { dataset, format: 'ndjson', updatedSince: null, after: null, limit: null, labels: false, bom: false, from: null, to: null, ...o };
}

const QUERY_KEYS = ['format', 'updatedSince', 'after', 'limit', 'labels', 'bom', 'from', 'to'];

/** The 404 for an unknown dataset, listing the ones that exist. */
export function unknownDataset(name: string): UserError {
  return new UserError('NOT_FOUND', `unknown dataset "${name}"; extracts exist for: ${EXTRACT_DATASET_NAMES.join(', ')}`, {
    datasets: [...EXTRACT_DATASET_NAMES],
  });
}

/** Parses an ISO-8601 instant that names its offset; `+` turned into a space by URL decoding is forgiven. */
export function parseInstant(name: string, s: string): number {
  const text = s.trim().replace(/ (\d{2}:?\d{2})$/, '+$1');
  const dt = DateTime.fromISO(text, { setZone: true });
  if (!dt.isValid || !/(Z|[+-]\d{2}(:?\d{2})?)$/i.test(text)) {
    throw bad(`${name} must be an ISO-8601 date-time with an offset, e.g. 2025-03-15T09:30:00.000Z or 2025-03-15T09:30:00+08:00 (got "${s}")`);
  }
  return dt.toMillis();
}

/** Validates HTTP query parameters (strings) into ExtractParams; throws a UserError. */
export function parseExtractQuery(
  dataset: string,
  query: Record<string, unknown>,
  config: Pick<Config, 'reportingTimeZone' | 'limits'>,
): ExtractParams {
  if (!isExtractDataset(dataset)) throw unknownDataset(dataset);
  const unknown = Object.keys(query).filter((k) => !QUERY_KEYS.includes(k));
  if (unknown.length) throw bad(`unknown parameter(s) ${unknown.join(', ')}; allowed: ${QUERY_KEYS.join(', ')}`);
  const one = (k: string): string | undefined => {
    const v = query[k];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw bad(`${k} must be given once, as a plain value`);
    return v;
  };
  const flag = (k: string): boolean => {
    const v = one(k);
    if (v === undefined || v === 'false' || v === '0') return false;
    if (v === '' || v === 'true' || v === '1') return true; // `?labels` alone means true
    throw bad(`${k} must be true or false (got "${v}")`);
  };
  const format = one('format') ?? 'ndjson';
  if (!(EXTRACT_FORMATS as readonly string[]).includes(format)) throw bad(`format must be ndjson or csv (got "${format}")`);
  const since = one('updatedSince');
  const after = one('after');
  const limitText = one('limit');
  let limit: number | null = null;
  if (limitText !== undefined) {
    limit = /^\d{1,7}$/.test(limitText) ? Number(limitText) : NaN;
    if (!(limit >= 1 && limit <= MAX_EXTRACT_LIMIT)) throw bad(`limit must be a whole number from 1 to ${MAX_EXTRACT_LIMIT} (got "${limitText}")`);
  }
  let cursor: ExtractCursor | null = null;
  if (after !== undefined) {
    cursor = decodeCursor(after);
    if (!cursor) throw bad('after is not a cursor this service issued; use the X-Next-Cursor header of the previous page');
    if (cursor.dataset !== dataset) throw bad(`after is a cursor of the ${cursor.dataset} extract, not of ${dataset}`);
  }
  const params = extractParams(dataset, {
    format: format as ExtractFormat,
    updatedSince: since === undefined ? null : parseInstant('updatedSince', since),
    after: cursor,
    limit,
    labels: flag('labels'),
    bom: flag('bom'),
    from: one('from') ?? null,
    to: one('to') ?? null,
  });
  return checkParams(params, config);
}

/** Rules that hold however the parameters arrived (HTTP, CLI, job). */
export function checkParams(p: ExtractParams, config: Pick<Config, 'reportingTimeZone' | 'limits'>): ExtractParams {
  if (p.bom && p.format !== 'csv') throw bad('bom applies to format=csv only (an NDJSON line must start with "{")');
  if (p.dataset === 'alerts') {
    if (p.from !== null || p.to !== null || p.updatedSince !== null || p.after !== null || p.limit !== null) {
      throw bad('alerts are computed in full as of the pull and are not incremental: no from, to, updatedSince, after or limit');
    }
    return p;
  }
  if (p.dataset !== 'daily_metrics') {
    if (p.from !== null || p.to !== null) throw bad('from and to apply to daily_metrics only; use updatedSince for incremental pulls');
    return p;
  }
  if (p.updatedSince !== null || p.after !== null || p.limit !== null) {
    throw bad('daily_metrics is recomputed in full for a date range and is not incremental: use from and to (YYYY-MM-DD), not updatedSince, after or limit');
  }
  const zone = config.reportingTimeZone;
  const date = (k: 'from' | 'to', v: string) => {
    const d = /^\d{4}-\d{2}-\d{2}$/.test(v) ? DateTime.fromISO(v, { zone }) : null;
    if (!d?.isValid) throw bad(`${k} must be a date YYYY-MM-DD (got "${v}")`);
    return d;
  };
  const today = DateTime.now().setZone(zone).startOf('day');
  const to = p.to !== null ? date('to', p.to) : p.from !== null ? date('from', p.from).plus({ days: DEFAULT_METRIC_DAYS - 1 }) : today;
  const from = p.from !== null ? date('from', p.from) : to.minus({ days: DEFAULT_METRIC_DAYS - 1 });
  if (to < from) throw bad(`to (${to.toISODate()}) is before from (${from.toISODate()})`);
  const days = Math.round(to.diff(from, 'days').days) + 1;
  if (days > config.limits.maxRangeDays) throw bad(`from–to covers ${days} days; at most ${config.limits.maxRangeDays} are allowed`);
  return { ...p, from: from.toISODate()!, to: to.toISODate()! };
}

export interface ExtractSummary {
  dataset: ExtractDatasetName;
  rows: number;
  chunks: number;
  /** False when the consumer went away or an error stopped the stream. */
  completed: boolean;
  error?: unknown;
}

/** An extract ready to stream: what to tell the client before the first byte, and the bytes. */
export interface ExtractHandle {
  dataset: ExtractDatasetName;
  format: ExtractFormat;
  contentType: string;
  extension: string;
  /** Rows with updatedAt ≤ watermark (and after the lower bound) are served; pull next from here. */
  watermark: number;
  /** The instant issue state and daily_metrics facts are taken as of. */
  asOf: number;
  /** Set when `limit` rows fill this page: pass it as `after` for the next page. */
  nextCursor: string | null;
  /** daily_metrics: the date range computed. */
  range: { from: string; to: string } | null;
  stream: Readable;
  /** Rows written so far (progress bars). */
  rowsSoFar(): number;
  /** Settles when the stream has ended or was destroyed and the database reading stopped. */
  done: Promise<ExtractSummary>;
}

/** Test and benchmark instrumentation: runs before each chunk is read from the database. */
export interface ExtractHooks {
  beforeChunk?(index: number, signal: AbortSignal): void | Promise<void>;
}

export interface ExtractServiceOptions {
  /** The metrics engine daily_metrics is computed with (createServices passes the process's). */
  engine?: MetricsService;
  /** The worklists the alerts extract is computed with (createServices passes the process's). */
  alerts?: AlertsService;
  /** Rows per statement; a few thousand keeps memory flat and round trips few. */
  chunkSize?: number;
  hooks?: ExtractHooks;
  /**
   * The audit trail every pull is recorded in (createServices and the command line always give
   * one); `open` then needs the actor. Without it (tests, benchmarks) nothing is recorded.
   */
  audit?: AuditTrail;
}

/** How an extract is opened: the row hook, and who pulls it (for the audit trail). */
export interface ExtractOpenOptions {
  rowTransform?: RowTransform;
  actor?: AuditActor;
  /** The part of the county a computed extract (alerts) covers: the puller's scope (default everything). */
  scope?: Scope;
}

/** Streams extracts of every dataset as NDJSON or CSV from the database, in constant memory. */
export class ExtractService {
  private readonly chunkSize: number;

  private readonly engine: MetricsService;

  private readonly alerts: AlertsService;

  constructor(
    private readonly ds: DataSource,
    private readonly config: Readonly<Config>,
    private readonly options: ExtractServiceOptions = {},
  ) {
    // daily_metrics is an engine query: the process's engine (createServices), or one of its own.
    this.engine = options.engine ?? new MetricsService(ds, config);
    this.alerts = options.alerts ?? new AlertsService(ds, config, { engine: this.engine, scorecards: new ScorecardService(ds, config, this.engine) });
    this.chunkSize = options.chunkSize ?? DEFAULT_CHUNK;
  }

  /**
   * Opens an extract: reads the watermark (and, with `limit`, the page's last key) before
   * anything is sent, so failures here are clean errors and the headers are known.
   * `rowTransform` is the single hook every row passes through (masking plugs in there).
   * With an audit trail, the pull is recorded when its stream ends (rows served, whether it
   * completed) and before the stream's last byte, so a failed record breaks the stream.
   */
  async open(params: ExtractParams, opts: ExtractOpenOptions = {}): Promise<ExtractHandle> {
    const p = checkParams(params, this.config);
    const def = EXTRACT_DATASETS[p.dataset];
    const audit = this.options.audit;
    if (audit && !opts.actor) throw new Error(`extract ${p.dataset}: an audited extract service needs to know who pulls it (opts.actor)`);
    const conn = await openReadConnection(this.ds, { snapshot: !def.incremental });
    try {
      const asOf = Date.now();
      const current = await readWatermark(conn, def.clock);
      // A cursor from the future (forged, or from another database) could cover stamps still in flight.
      if (p.after && p.after.watermark > current) throw bad('after is not a cursor this service issued for this database');
      const watermark = p.after ? p.after.watermark : current;
      const abort = new AbortController();
      let chunks = 0;
      const stop = async () => {
        await this.options.hooks?.beforeChunk?.(chunks, abort.signal);
        if (abort.signal.aborted) return true;
        chunks++;
        return false;
      };
      let source: AsyncGenerator<ExtractRecord[] | Row[]>;
      let map: (r: Row) => ExtractRecord = (r) => r;
      let nextCursor: string | null = null;
      if (def.incremental) {
        const lower = maxLower(
          p.updatedSince === null ? null : { updatedAt: p.updatedSince, id: null },
          p.after ? { updatedAt: p.after.position.updatedAt, id: p.after.position.id } : null,
        );
        let upper: KeyBound = { updatedAt: watermark, id: null };
        if (p.limit !== null) {
          const end = await findPageEnd(conn, def.table!, lower, watermark, p.limit);
          if (end) {
            upper = end;
            nextCursor = encodeCursor({ dataset: p.dataset, position: end, watermark });
          }
        }
        source = scanKeyset(conn, { table: def.table!, lower, upper }, selectList(def, conn.escape), this.chunkSize, stop);
        map = rowMapper(def, this.config);
      } else if (p.dataset === 'alerts') {
        source = computeAlertRows(this.alerts, asOf, opts.scope ?? UNSCOPED, stop);
      } else {
        source = computeDailyMetrics(this.engine, { from: p.from!, to: p.to!, asOf }, this.config, stop);
      }
      const serializer = createSerializer(def, p);
      let rows = 0;
      let settled = false;
      let resolveDone!: (s: ExtractSummary) => void;
      const done = new Promise<ExtractSummary>((r) => (resolveDone = r));
      const record = async (completed: boolean) => {
        // Nothing left the service when a client hung up before the first row (or only asked for headers).
        if (!audit || (!completed && rows === 0)) return;
        await audit.record({
          kind: 'EXTRACT',
          operation: p.dataset,
          records: rows,
          actor: opts.actor!,
          details: {
            format: p.format,
            completed,
            masked: opts.rowTransform !== undefined,
            ...(p.updatedSince !== null ? { updatedSince: new Date(p.updatedSince).toISOString() } : {}),
            ...(p.after ? { after: true } : {}),
            ...(p.limit !== null ? { limit: p.limit } : {}),
            ...(p.from !== null ? { from: p.from, to: p.to } : {}),
            watermark: new Date(watermark).toISOString(),
          },
        });
      };
      const finish = async (completed: boolean, error?: unknown) => {
        if (settled) return;
        settled = true;
        let failure: unknown = error;
        try {
          await conn.close();
          await record(completed);
        } catch (err) {
          failure = err;
          completed = false;
          throw err;
        } finally {
          resolveDone({ dataset: p.dataset, rows, chunks, completed, ...(failure ? { error: failure } : {}) });
        }
      };
      const transform = opts.rowTransform;
      async function* body(): AsyncGenerator<Buffer> {
        let completed = false;
        let error: unknown;
        try {
          const prefix = serializer.prefix();
          if (prefix) yield Buffer.from(prefix);
          for await (const raw of source) {
            const records = (raw as Row[]).map((r) => (transform ? transform(map(r), def) : map(r)));
            rows += records.length;
            yield Buffer.from(serializer.rows(records));
          }
          completed = !abort.signal.aborted;
        } catch (err) {
          error = err;
          throw err;
        } finally {
          await finish(completed, error);
        }
      }
      const stream = toReadable(body(), () => abort.abort(), () => finish(false));
      return {
        dataset: p.dataset,
        format: p.format,
        contentType: serializer.contentType,
        extension: serializer.extension,
        watermark,
        asOf,
        nextCursor,
        range: p.dataset === 'daily_metrics' ? { from: p.from!, to: p.to! } : null,
        stream,
        rowsSoFar: () => rows,
        done,
      };
    } catch (err) {
      await conn.close();
      throw err;
    }
  }
}

/**
 * A byte stream over an async generator that pulls the next chunk only when the consumer
 * wants more (backpressure) and, when destroyed (a client hung up), first raises `abort` so a
 * generator waiting between chunks stops before its next statement, then ends the generator.
 */
function toReadable(it: AsyncGenerator<Buffer>, abort: () => void, cleanup: () => Promise<void>): Readable {
  let pulling = false;
  const readable: Readable = new Readable({
    highWaterMark: 64 * 1024,
    read() {
      if (pulling) return;
      pulling = true;
      void (async () => {
        try {
          for (;;) {
            const { value, done } = await it.next();
            if (readable.destroyed) return;
            if (done) {
              readable.push(null);
              return;
            }
            if (!readable.push(value)) return;
          }
        } catch (err) {
          readable.destroy(err as Error);
        } finally {
          pulling = false;
        }
      })();
    },
    destroy(err, cb) {
      abort();
      // return() waits for a pending next(); a generator that never started runs no finally, hence cleanup().
      it.return(undefined)
        .catch(() => undefined)
        .then(cleanup)
        .then(
          () => cb(err),
          (e) => cb(err ?? e),
        );
    },
  });
  return readable;
}
