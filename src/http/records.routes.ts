import { once } from 'node:events';
import { Request, Response, Router } from 'express';
import { CSV_BOM, csvCells, csvFields, csvHeader, csvRecord, csvText } from '../analytics/records/record-csv';
import { READ_FILTER, RECORD_LISTS, RecordListName } from '../analytics/records/record-filters';
import { readDrillCell } from '../analytics/records/drills';
import type { RecordsService } from '../analytics/records/records.service';
import { maskRecord } from '../auth/masking';
import { canRead, scopeOf, seesPersonalData } from '../domain/access';
import { badInput, UserError } from '../domain/errors';
import type { Logger } from '../logger';
import { authOf, requireRole } from './auth.middleware';
import { restErrors } from './rest-errors';

/*
 * The whole of a record list as CSV (the dashboard's drill-through "download"), streamed in
 * keyset batches by id so memory does not grow with the list (rows in id order): the list of a filter
 * (`GET /api/records/<list>.csv?filter=<JSON>`, the filter of `issues(filter:)` …) or the list
 * behind a number (`GET /api/records/drill.csv?drill=<JSON>`, a `drill(input:)`). The caller's
 * scope applies, personal fields are masked as in GraphQL, an id named outside the scope is 403.
 */

export interface RecordRouteDeps {
  records: RecordsService;
  log: Logger;
  /**
   * The audit trail's recorder (api.md "Audit trail": every CSV export): called when the whole
   * list has been written and before the download ends; if it fails, the download is cut short.
   */
  recordExport?: (req: Request, res: Response, e: { operation: string; records: number; details: Record<string, unknown> }) => Promise<void>;
  /** Records read per statement while streaming. */
  batchSize?: number;
}

const BATCH = 1000;

/** A JSON query parameter; BAD_USER_INPUT naming it when it is not JSON. */
function jsonParam(req: Request, name: string, required: boolean): unknown {
  const raw = req.query[name];
  if (raw === undefined) {
    if (required) throw badInput(`${name} is required (JSON)`, { argument: name });
    return {};
  }
  if (typeof raw !== 'string' || raw.length > 20_000) throw badInput(`${name} must be one JSON text`, { argument: name });
  try {
    return JSON.parse(raw);
  } catch {
    throw badInput(`${name} is not valid JSON`, { argument: name });
  }
}

/** Mounted at /api/records (after sign-in): `GET /:list.csv`, `GET /drill.csv`. */
export function recordRoutes(deps: RecordRouteDeps): Router {
  const r = Router();
  r.get('/:file', requireRole(canRead, 'read records'), async (req, res, next) => {
    let started = false;
    try {
      const principal = authOf(res).principal!;
      const scope = scopeOf(principal);
      const name = String(req.params.file);
      const m = /^([A-Za-z]+)\.csv$/.exec(name);
      if (!m) throw new UserError('NOT_FOUND', `no record list ${name}; lists: ${[...RECORD_LISTS, 'drill'].map((l) => `${l}.csv`).join(', ')}`);
      let list: RecordListName;
      let filter: object;
      let filename: string;
      if (m[1] === 'drill') {
        const cell = readDrillCell(jsonParam(req, 'drill', true));
        await deps.records.checkNamedIds(scope, cell);
        const target = deps.records.drill(cell);
        ({ list, filter } = target);
        filename = `minqing-${cell.measure}-${(cell.part ?? 'NUMERATOR').toLowerCase()}-${cell.year ?? `${cell.from ?? ''}-${cell.to}`}.csv`;
      } else {
        if (!(RECORD_LISTS as readonly string[]).includes(m[1])) throw new UserError('NOT_FOUND', `no record list ${name}; lists: ${[...RECORD_LISTS, 'drill'].map((l) => `${l}.csv`).join(', ')}`);
        list = m[1] as RecordListName;
        filter = READ_FILTER[list](jsonParam(req, 'filter', false));
        await deps.records.checkNamedIds(scope, filter);
        filename = `minqing-${list}.csv`;
      }
      // Everything that can be refused is refused before the first byte (a stream cannot turn into a 400).
      deps.records.check(list, scope, filter as never);
      const mask = seesPersonalData(principal.role) ? (row: Record<string, unknown>) => row : (row: Record<string, unknown>) => maskRecord(row, csvFields(list));
      res.status(200).set({ 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${filename}"`, 'Cache-Control': 'no-store' });
      started = true;
      await write(res, CSV_BOM + csvText([csvHeader(list)]));
      let rows = 0;
      await deps.records.forEachBatch(list, scope, filter as never, deps.batchSize ?? BATCH, async (nodes) => {
        if (res.destroyed) throw new ClientGone();
        rows += nodes.length;
        await write(res, csvText(nodes.map((n) => csvCells(list, mask(csvRecord(list, n))))));
      });
      await deps.recordExport?.(req, res, { operation: `csv ${m[1] === 'drill' ? 'drill' : list}`, records: rows, details: { format: 'csv', filename, list, filter, masked: !seesPersonalData(principal.role) } });
      res.end();
    } catch (err) {
      if (err instanceof ClientGone) return;
      if (!started) return next(err);
      // The header is out: the download ends short, and the log says why.
      deps.log.error('record CSV stream failed', err);
      res.destroy(err as Error);
    }
  });
  r.use(restErrors({ log: deps.log, what: 'record list' }));
  return r;
}

class ClientGone extends Error {}

/** Writes a chunk, waiting for the socket to drain when its buffer is full (memory stays one batch). */
async function write(res: Response, text: string): Promise<void> {
  if (!res.write(text)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
}
