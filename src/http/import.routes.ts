import express, { RequestHandler, Router } from 'express';
import { DATASET_NAMES, isDataset } from '../domain/datasets';
import type { ImportService } from '../import/import.service';
import type { Logger } from '../logger';
import { restErrors } from './rest-errors';

/** NDJSON media types: the common unregistered one and its newer spelling. */
const NDJSON_TYPES = new Set(['application/x-ndjson', 'application/ndjson']);

export interface ImportRouteDeps {
  importer: ImportService;
  maxBodyBytes: number;
  log: Logger;
}

export interface ImportRouteOptions {
  /**
   * Runs before anything else on the route: the access-control slot. createApp passes
   * `requireRole(canWrite, …)` here once authentication is mounted; the default lets all through.
   */
  guard?: RequestHandler;
}

const letThrough: RequestHandler = (_req, _res, next) => next();

/** Mounted at /api/import: `POST /api/import/:dataset`, an NDJSON batch in, the upsert counts or line-numbered errors out. */
export function importRoutes(deps: ImportRouteDeps, options: ImportRouteOptions = {}): Router {
  const router = Router();
  const path = '/:dataset';

  const knownDataset: RequestHandler = (req, res, next) => {
    if (isDataset(String(req.params.dataset))) return next();
    res.status(404).json({
      error: 'NOT_FOUND',
      message: `unknown dataset "${req.params.dataset}"; datasets are ${DATASET_NAMES.join(', ')}`,
      datasets: DATASET_NAMES,
    });
  };

  const ndjsonOnly: RequestHandler = (req, res, next) => {
    const [type, ...params] = String(req.headers['content-type'] ?? '').split(';').map((s) => s.trim().toLowerCase());
    const charset = params.find((p) => p.startsWith('charset='))?.slice('charset='.length).replace(/"/g, '');
    if (NDJSON_TYPES.has(type) && (charset === undefined || charset === 'utf-8' || charset === 'utf8')) return next();
    res.status(415).json({
      error: 'UNSUPPORTED_MEDIA_TYPE',
      message: `send NDJSON (one JSON object per line, UTF-8) with Content-Type: application/x-ndjson; got ${type ? `"${type}"` : 'none'}${charset ? ` with charset ${charset}` : ''}`,
    });
  };

  const handle: RequestHandler = async (req, res, next) => {
    const dataset = String(req.params.dataset) as (typeof DATASET_NAMES)[number];
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    try {
      res.json(await deps.importer.importNdjson(dataset, body));
    } catch (err) {
      next(err); // a refused batch (422 with its lines), an outage (503), anything else (500): rest-errors.ts
    }
  };

  router.post(
    path,
    options.guard ?? letThrough,
    knownDataset,
    ndjsonOnly,
    express.raw({ type: () => true, limit: deps.maxBodyBytes }),
    handle,
    restErrors({
      log: deps.log,
      what: 'import',
      tooLarge: { code: 'PAYLOAD_TOO_LARGE', message: `the body is larger than ${deps.maxBodyBytes} bytes (MAX_BODY_BYTES); split the batch` },
    }),
  );
  router.all(path, (_req, res) => {
    res.status(405).set('Allow', 'POST').json({ error: 'METHOD_NOT_ALLOWED', message: 'import takes POST with an NDJSON body' });
  });
  return router;
}
