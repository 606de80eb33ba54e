import { pipeline } from 'node:stream';
import { Request, Response, Router } from 'express';
import { EXTRACT_DATASETS, RowTransform } from '../extracts/extract-datasets';
import { EXTRACT_DATASET_NAMES, ExtractDatasetName } from '../domain/extract-jobs';
import { ExtractService, parseExtractQuery } from '../extracts/extract.service';
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { AuditActor } from '../domain/audit';
import { forbidden } from '../domain/errors';
import { restErrors } from './rest-errors';
import type { Scope } from '../domain/access';

export interface ExtractRouteDeps {
  extracts: ExtractService;
  config: Readonly<Config>;
  log: Logger;
}

export interface ExtractRoutesOptions {
  /**
   * Chooses the row transform for a request, e.g. masking personal fields for roles that may
   * not see them (access control plugs in here); undefined = rows as stored.
   */
  rowTransformFor?: (req: Request, res: Response, dataset: ExtractDatasetName) => RowTransform | undefined;
  /** Who pulls, for the audit trail (required when the extract service keeps one). */
  actorFor?: (req: Request, res: Response) => AuditActor;
  /** The caller's scope, for the computed extracts that apply it (alerts); default everything. */
  scopeFor?: (req: Request, res: Response) => Scope;
  /** Whether the caller may pull this dataset (audit_log: ADMIN only); refused with 403, and left out of the catalogue. */
  mayPull?: (req: Request, res: Response, dataset: ExtractDatasetName) => boolean;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** `GET /api/extracts` (the catalogue) and `GET /api/extracts/:dataset` (the stream). */
export function extractRoutes(deps: ExtractRouteDeps, options: ExtractRoutesOptions = {}): Router {
  const service = deps.extracts;
  const r = Router();

  const mayPull = options.mayPull ?? (() => true);

  r.get('/', (req, res) => {
    res.json({
      datasets: EXTRACT_DATASET_NAMES.filter((name) => mayPull(req, res, name)).map((name) => {
        const def = EXTRACT_DATASETS[name];
        return {
          name,
          incremental: def.incremental,
          fields: def.fields.map((f) => ({ name: f.name, kind: f.kind, ...(f.values ? { values: f.values } : {}), ...(f.personal ? { personal: true } : {}) })),
        };
      }),
    });
  });

  r.get('/:dataset', async (req, res, next) => {
    let handle;
    try {
      const params = parseExtractQuery(String(req.params.dataset), req.query as Record<string, unknown>, deps.config);
      if (!mayPull(req, res, params.dataset)) throw forbidden(`the ${params.dataset} extract is for ADMIN only`);
      handle = await service.open(params, { rowTransform: options.rowTransformFor?.(req, res, params.dataset), actor: options.actorFor?.(req, res), scope: options.scopeFor?.(req, res) });
    } catch (err) {
      next(err); // a bad request (400/404), an outage (503), anything else (500): rest-errors.ts
      return;
    }
    res.status(200);
    res.set({
      'Content-Type': handle.contentType,
      'Cache-Control': 'no-store',
      'X-Watermark': iso(handle.watermark),
      'X-Data-As-Of': iso(handle.asOf),
    });
    if (handle.format === 'csv') res.set('Content-Disposition', `attachment; filename="${handle.dataset}.csv"`);
    if (handle.nextCursor) res.set('X-Next-Cursor', handle.nextCursor);
    if (handle.range) res.set({ 'X-Date-From': handle.range.from, 'X-Date-To': handle.range.to });
    if (req.method === 'HEAD') {
      handle.stream.destroy(); // headers only: read nothing
      res.end();
      return;
    }
    // pipeline destroys the extract stream when the client goes away, which stops the reading.
    pipeline(handle.stream, res, (err) => {
      if (err && (err as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') deps.log.error('extract stream failed', err);
    });
  });

  r.use(restErrors({ log: deps.log, what: 'extract' }));
  return r;
}
