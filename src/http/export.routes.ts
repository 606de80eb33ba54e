import express, { Request, RequestHandler, Response, Router } from 'express';
import type { AuditTrail } from '../audit/audit-trail';
import type { AuditActor } from '../domain/audit';
import { badInput } from '../domain/errors';
import type { Logger } from '../logger';
import { restErrors } from './rest-errors';

/*
 * File exports (CSV now; XLSX or any later format goes through here too): the service renders
 * the file and records the export in the audit trail before the first byte, so no export leaves
 * unrecorded — a browser page that built the file itself could not promise that. The dashboard
 * sends the rows it shows (already within the caller's scope and masking) and gets the file back.
 */

export interface ExportRouteDeps {
  audit: AuditTrail;
  maxBodyBytes: number;
  maxFieldChars: number;
  log: Logger;
}

export interface ExportRouteOptions {
  /** Who exports (required: every export is recorded). */
  actorFor: (req: Request, res: Response) => AuditActor;
  /** Runs first: the access-control slot (createApp: roles that may read). */
  guard?: RequestHandler;
}

/** What `POST /api/exports/csv` takes. */
export interface CsvExportRequest {
  /** Names the export in the audit trail, e.g. `dashboard-ranking`. */
  name: string;
  /** The download's file name (default `<name>.csv`). */
  filename?: string;
  header: string[];
  rows: Array<Array<string | number | boolean | null>>;
}

const MAX_ROWS = 100_000;
const MAX_COLUMNS = 500;

/** Mounted at /api/exports: `POST /api/exports/csv`. */
export function exportRoutes(deps: ExportRouteDeps, options: ExportRouteOptions): Router {
  const r = Router();
  r.post('/csv', options.guard ?? ((_q, _s, next) => next()), express.json({ limit: deps.maxBodyBytes }), async (req, res, next) => {
    try {
      const e = parseCsvExport(req.body, deps.maxFieldChars);
      const filename = e.filename ?? `${e.name}.csv`;
      // Recorded before the file is sent: if the trail cannot be written, nothing is exported.
      await deps.audit.record({
        kind: 'EXPORT',
        operation: `csv ${e.name}`,
        records: e.rows.length,
        actor: options.actorFor(req, res),
        details: { format: 'csv', filename, columns: e.header.length },
      });
      res.status(200).set({
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="${filename}"`,
        'Cache-Control': 'no-store',
      });
      res.send(toCsv([e.header, ...e.rows]));
    } catch (err) {
      next(err);
    }
  });
  r.use(restErrors({ log: deps.log, what: 'export' }));
  return r;
}

/** Validates an export request; a UserError (400) names what is wrong. */
export function parseCsvExport(body: unknown, maxFieldChars: number): CsvExportRequest {
  const b = (body ?? {}) as Record<string, unknown>;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badInput('send JSON {"name", "header": [...], "rows": [[...], ...]}');
  const unknown = Object.keys(b).filter((k) => !['name', 'filename', 'header', 'rows'].includes(k));
  if (unknown.length) throw badInput(`unknown key(s) ${unknown.join(', ')}; allowed: name, filename, header, rows`);
  if (typeof b.name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(b.name)) throw badInput('name must be 1–64 letters, digits, "_", "." or "-"');
  if (b.filename !== undefined && (typeof b.filename !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_.-]{0,120}\.csv$/.test(b.filename))) {
    throw badInput('filename must be letters, digits, "_", "." or "-", ending in .csv');
  }
  const header = b.header;
  if (!Array.isArray(header) || header.length < 1 || header.length > MAX_COLUMNS || !header.every((h) => typeof h === 'string' && h.length <= 200)) {
    throw badInput(`header must be 1 to ${MAX_COLUMNS} column names (strings of up to 200 characters)`);
  }
  const rows = b.rows;
  if (!Array.isArray(rows) || rows.length > MAX_ROWS) throw badInput(`rows must be an array of at most ${MAX_ROWS} rows`);
  rows.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== header.length) throw badInput(`row ${i + 1} must have ${header.length} cells, like the header`);
    row.forEach((cell, j) => {
      const ok =
        cell === null ||
        typeof cell === 'boolean' ||
        (typeof cell === 'number' && Number.isFinite(cell)) ||
        (typeof cell === 'string' && cell.length <= maxFieldChars);
      if (!ok) throw badInput(`row ${i + 1}, column ${j + 1}: a cell is a string (up to ${maxFieldChars} characters), a finite number, true/false or null`);
    });
  });
  return { name: b.name, filename: b.filename as string | undefined, header: header as string[], rows: rows as CsvExportRequest['rows'] };
}

/** RFC 4180 with CRLF and a UTF-8 BOM for spreadsheets; a field is quoted only when it holds a quote, comma or line break (as the dashboard's csv.js). */
export function toCsv(rows: ReadonlyArray<ReadonlyArray<unknown>>): string {
  const field = (v: unknown) => {
    if (v === null || v === undefined) return '';
    const s = String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return '\uFEFF' + rows.map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}
