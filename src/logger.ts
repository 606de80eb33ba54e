import type { Config } from './config';

const LEVELS = { silent: 0, error: 1, warn: 2, info: 3, debug: 4 } as const;
type Level = Exclude<keyof typeof LEVELS, 'silent'>;

export interface Logger {
  error(msg: string, extra?: unknown): void;
  warn(msg: string, extra?: unknown): void;
  info(msg: string, extra?: unknown): void;
  debug(msg: string, extra?: unknown): void;
}

/** One JSON line per event on stderr; the level comes from configuration. */
export function createLogger(level: Config['logLevel']): Logger {
  const at = (l: Level) => (msg: string, extra?: unknown) => {
    if (LEVELS[l] > LEVELS[level]) return;
    const detail = extra instanceof Error ? { err: extra.message, stack: extra.stack } : extra;
    process.stderr.write(JSON.stringify({ time: new Date().toISOString(), level: l, msg, ...(detail && typeof detail === 'object' ? detail : detail !== undefined ? { detail } : {}) }) + '\n');
  };
  return { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
}
