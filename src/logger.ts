import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { DestinationStream, Logger as Pino } from 'pino';
import type { Config } from './config';

/** The logging surface the code uses: a message and optional structured detail (or an Error). */
export interface Logger {
  error(msg: string, extra?: unknown): void;
  warn(msg: string, extra?: unknown): void;
  info(msg: string, extra?: unknown): void;
  debug(msg: string, extra?: unknown): void;
}

/** A Logger backed by pino; `pino` is handed to pino-http, `child` adds fixed fields. */
export interface PinoLogger extends Logger {
  readonly pino: Pino;
  child(bindings: Record<string, unknown>): PinoLogger;
}

/**
 * The request id of the HTTP request being served, carried across awaits, so every line logged
 * while serving it (by services that only hold the app's Logger) names the request.
 */
export const requestScope = new AsyncLocalStorage<{ requestId: string }>();

/** Fields never written to the log: credentials and session cookies. */
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
];

/** One JSON line per event on stderr (pino); the level comes from configuration. */
export function createLogger(level: Config['logLevel'], destination?: DestinationStream): PinoLogger {
  const p = pino(
    {
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT, censor: '[redacted]' },
      // Lines logged while a request is served carry its id, whoever logs them.
      mixin: (_merge, _level, logger) => {
        const s = requestScope.getStore();
        // A per-request child (pino-http's) already binds requestId; a JSON line must not repeat a key.
        if (!s || String((logger as unknown as Record<symbol, unknown>)[pino.symbols.chindingsSym] ?? '').includes('"requestId"')) return {};
        return { requestId: s.requestId };
      },
    },
    destination ?? pino.destination({ fd: 2, sync: true }),
  );
  return wrapPino(p);
}

/** Adapts a pino logger (e.g. pino-http's per-request child) to the Logger interface. */
export function wrapPino(p: Pino): PinoLogger {
  const at = (level: 'error' | 'warn' | 'info' | 'debug') => (msg: string, extra?: unknown) => {
    if (!p.isLevelEnabled(level)) return;
    if (extra === undefined) p[level](msg);
    else if (extra instanceof Error) p[level]({ err: extra }, msg);
    else if (extra !== null && typeof extra === 'object' && !Array.isArray(extra)) p[level](withErr(extra as Record<string, unknown>), msg);
    else p[level]({ detail: extra }, msg);
  };
  return {
    pino: p,
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    debug: at('debug'),
    child: (bindings) => wrapPino(p.child(bindings)),
  };
}

/** `{ err: Error }` is serialized by pino; an Error under another key would print as `{}`. */
function withErr(o: Record<string, unknown>): Record<string, unknown> {
  for (const [k, v] of Object.entries(o)) {
    if (v instanceof Error && k !== 'err') return { ...o, [k]: pino.stdSerializers.err(v) };
  }
  return o;
}
