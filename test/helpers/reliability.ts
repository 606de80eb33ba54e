import { Writable } from 'node:stream';
import type { DataSource } from 'typeorm';
import { AuthService } from '../../src/auth/auth.service';
import { createLogger, PinoLogger } from '../../src/logger';

/** A logger at `level` whose JSON lines are kept in `lines` (parsed), for asserting what was logged. */
export function capturingLogger(level: 'info' | 'debug' = 'info'): { log: PinoLogger; lines: Array<Record<string, any>> } {
  const lines: Array<Record<string, any>> = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      for (const l of String(chunk).split('\n')) if (l.trim()) lines.push(JSON.parse(l));
      cb();
    },
  });
  return { log: createLogger(level, sink as any), lines };
}

/** `Authorization` header of a fresh machine token with `role` (ignored by routes that are not guarded yet). */
export async function bearer(ds: DataSource, role = 'ADMIN'): Promise<string> {
  const { token } = await new AuthService(ds).createToken({ role, name: `test-${role}-${Math.random().toString(36).slice(2)}` });
  return `Bearer ${token}`;
}

/** Rows in a table. */
export async function countRows(ds: DataSource, table: string): Promise<number> {
  return Number((await ds.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
}
