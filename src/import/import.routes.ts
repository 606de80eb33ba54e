import express, { ErrorRequestHandler, RequestHandler, Router } from 'express';
import { randomUUID } from 'node:crypto';
import { isDatabaseUnavailable, RETRY_AFTER_SECONDS, unavailableBody } from '../database/db-errors';
import { DATASET_NAMES, isDataset } from '../domain/datasets';
import type { AppDeps } from '../graphql/context';
import { requestIdOf } from '../http/request-id';
import { ImportRejected, ImportService } from './import.service';

/** NDJSON media types: the common unregistered one and its newer spelling. */
const NDJSON_TYPES = new Set(['application/x-ndjson', 'application/ndjson']);

export interface ImportRouteOptions {
  /**
   * Runs before anything else on the route: the access-control slot. createApp passes
   * `requireRole(canWrite, …)` here once authentication is mounted; the default lets all through.
   */
  guard?: RequestHandler;
}

const letThrough: RequestHandler = (_req, _res, next) => next();

/** Mounted at /api/import: `POST /api/import/:dataset`, an NDJSON batch in, the upsert counts or line-numbered errors out. */
export function importRoutes(deps: AppDeps, options: ImportRouteOptions = {}): Router {
  const service = new ImportService(deps.dataSource, deps.config);
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

  const handle: RequestHandler = async (req, res) => {
    const dataset = String(req.params.dataset) as (typeof DATASET_NAMES)[number];
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    try {
      res.json(await service.importNdjson(dataset, body));
    } catch (err) {
      if (err instanceof ImportRejected) {
        res.status(422).json({
          error: 'BAD_USER_INPUT',
          message: `${err.totalErrors} error${err.totalErrors === 1 ? '' : 's'} in ${dataset}; nothing was written` +
            (err.totalErrors > err.errors.length ? ` (the first ${err.errors.length} are listed)` : ''),
          dataset,
          errorCount: err.totalErrors,
          errors: err.errors,
        });
        return;
      }
      internalError(res, deps, err);
    }
  };

  // Body-parser failures (too large, aborted, bad encoding) become JSON answers, never HTML.
  const bodyErrors: ErrorRequestHandler = (err, _req, res, next) => {
    if (res.headersSent) return next(err);
    const e = err as { type?: string; status?: number; limit?: number };
    if (e.type === 'entity.too.large' || e.status === 413) {
      res.status(413).json({
        error: 'PAYLOAD_TOO_LARGE',
        message: `the body is larger than ${deps.config.limits.maxBodyBytes} bytes (MAX_BODY_BYTES); split the batch`,
      });
    } else if (e.status === 415) {
      res.status(415).json({ error: 'UNSUPPORTED_MEDIA_TYPE', message: String((err as Error).message) });
    } else if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      res.status(e.status).json({ error: 'BAD_REQUEST', message: String((err as Error).message) });
    } else internalError(res, deps, err);
  };

  router.post(
    path,
    options.guard ?? letThrough,
    knownDataset,
    ndjsonOnly,
    express.raw({ type: () => true, limit: deps.config.limits.maxBodyBytes }),
    handle,
    bodyErrors,
  );
  router.all(path, (_req, res) => {
    res.status(405).set('Allow', 'POST').json({ error: 'METHOD_NOT_ALLOWED', message: 'import takes POST with an NDJSON body' });
  });
  return router;
}

function internalError(res: express.Response, deps: AppDeps, err: unknown): void {
  // The id the caller got in X-Request-Id, so the answer, the header and the log line agree.
  const requestId = requestIdOf(res) ?? randomUUID();
  if (isDatabaseUnavailable(err)) {
    // The batch is one transaction: the outage rolled it back, so a retry is safe.
    deps.log.warn('import: database unavailable', { requestId, err: err instanceof Error ? err.message : String(err) });
    res.status(503).set('Retry-After', String(RETRY_AFTER_SECONDS)).json(unavailableBody(requestId));
    return;
  }
  deps.log.error('import failed', { requestId, err: err instanceof Error ? err.message : String(err), stack: err instanceof Error ? err.stack : undefined });
  res.status(500).json({ error: 'INTERNAL_SERVER_ERROR', message: 'Internal server error', requestId });
}
