import { Router } from 'express';
import { DataSource } from 'typeorm';

/**
 * `/healthz`: the process runs. `/readyz`: the database answers within a second and nothing
 * the service needs is still being prepared (`notReady` says what, e.g. a rollup being built).
 */
export function healthRoutes(ds: DataSource, notReady: () => string | null = () => null): Router {
  const r = Router();
  r.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  r.get('/readyz', async (_req, res) => {
    try {
      await withTimeout(ds.query('SELECT 1'), 1000);
      const reason = notReady();
      if (reason !== null) res.status(503).json({ status: 'starting', reason });
      else res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'unavailable', reason: 'database does not answer' });
    }
  });
  return r;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('timeout')), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e) => (clearTimeout(t), reject(e)),
    );
  });
}
