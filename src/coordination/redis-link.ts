import Redis, { RedisOptions } from 'ioredis';
import type { Logger } from '../logger';

/**
 * The process's connections to the Redis that service processes share (REDIS_URL): `client`
 * for commands (rate-limit counters, PUBLISH), `subscriber` for write announcements (a Redis
 * connection in subscriber mode takes no other commands). Losing Redis must never fail a
 * request: commands are refused at once while disconnected (no offline queue) and time out
 * after COMMAND_TIMEOUT_MS otherwise, so callers fall back to per-process behaviour; both
 * connections keep reconnecting in the background. The first loss is logged as a warning,
 * the recovery as info.
 */
export class RedisLink {
  readonly client: Redis;
  readonly subscriber: Redis;
  private down = false;
  private closed = false;
  private readonly listeners = new Set<(up: boolean) => void>();

  constructor(
    url: string,
    private readonly log: Logger,
    options: RedisLinkOptions = {},
  ) {
    const common: RedisOptions = {
      // Fail fast, retry forever: a request must not wait for Redis, Redis must come back by itself.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.commandTimeoutMs ?? COMMAND_TIMEOUT_MS,
      connectTimeout: options.connectTimeoutMs ?? 2_000,
      retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 5), options.maxReconnectDelayMs ?? 2_000),
      autoResubscribe: false, // WriteAnnouncements subscribes (and re-reads the version) on every 'ready'
      lazyConnect: false,
    };
    this.client = new Redis(url, { ...common, connectionName: 'minqing' });
    this.subscriber = new Redis(url, { ...common, connectionName: 'minqing-sub', commandTimeout: undefined });
    this.where = describe(url);
    for (const c of [this.client, this.subscriber]) {
      // ioredis emits 'error' on every failed (re)connection; without a listener it would crash the process.
      c.on('error', (err: Error) => this.lost(err));
      c.on('close', () => this.lost());
      c.on('ready', () => this.maybeBack());
    }
  }

  private readonly where: string;

  /** Both connections are ready: shared counters and announcements work. */
  isUp(): boolean {
    return this.client.status === 'ready' && this.subscriber.status === 'ready';
  }

  /** Called with `false` when a connection is lost, and with `true` whenever both are ready (the first time too). */
  onChange(listener: (up: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private lost(err?: Error): void {
    if (this.closed || this.down) return;
    this.down = true;
    this.log.warn(
      `Redis at ${this.where} is unreachable: rate limits are counted per process and answer caches check the database for writes until it is back`,
      err ? { err: err.message } : undefined,
    );
    for (const l of this.listeners) l(false);
  }

  private maybeBack(): void {
    if (this.closed || !this.isUp()) return;
    if (this.down) {
      this.down = false;
      this.log.info(`Redis at ${this.where} is back: rate limits and write announcements are shared again`);
    }
    for (const l of this.listeners) l(true);
  }

  /** Closes both connections (shutdown); no warning is logged for it. */
  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    await Promise.allSettled([this.client.quit(), this.subscriber.quit()]);
    this.client.disconnect();
    this.subscriber.disconnect();
  }
}

export interface RedisLinkOptions {
  commandTimeoutMs?: number;
  connectTimeoutMs?: number;
  maxReconnectDelayMs?: number;
}

/** A command that Redis has not answered within this long counts as failed (the request goes on without it). */
export const COMMAND_TIMEOUT_MS = 500;

/** host:port of a Redis URL, without its credentials, for log lines. */
function describe(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || '6379'}`;
}
