import type { Logger } from '../logger';
import type { RedisLink } from './redis-link';

/**
 * Keeps the data version (the write clock's last committed stamp) in memory, pushed through
 * Redis pub/sub, so that an answer-cache hit costs no database statement: every process
 * publishes the stamp of each write it commits, and every process raises its version to the
 * highest stamp it hears. The version is trusted only while it is followed: the subscription
 * is up and the version was read from the database after it started (so no write committed
 * before the subscription is missed). Otherwise `current()` is null and the answer cache reads
 * the version from the database per request, as a process without Redis does.
 * A writer that announces nothing (the command line, a process without REDIS_URL) is caught by
 * re-reading the database every `resyncMs` while following.
 */
export class WriteAnnouncements {
  private version = 0;
  private following = false;
  /** Bumped on every (re)subscription, so a slow sync of an older one cannot mark a newer one followed. */
  private epoch = 0;
  private unannounced: number | null = null;
  /** A (re)subscription is under way. */
  private syncing = false;
  private readonly timer: NodeJS.Timeout;
  private readonly stopLink: () => void;

  constructor(
    private readonly link: RedisLink,
    /** Names the database: processes of another database on the same Redis hear nothing of these. */
    private readonly channel: () => Promise<string>,
    /** The last committed stamp, from the database. */
    private readonly readVersion: () => Promise<number>,
    private readonly log: Logger,
    resyncMs = 2_000,
  ) {
    link.subscriber.on('message', (ch: string, message: string) => void this.heard(ch, message));
    this.stopLink = link.onChange((up) => (up ? void this.follow() : this.unfollow()));
    this.timer = setInterval(() => void this.resync(), resyncMs);
    this.timer.unref();
    if (link.isUp()) void this.follow();
  }

  /** The data version while it is followed through Redis; null when the database must be asked. */
  current(): number | null {
    return this.following ? this.version : null;
  }

  /**
   * Tells every process that a write with this stamp committed. Resolves once Redis has taken
   * the message (it has then reached every subscriber's connection), so the writer's answer
   * goes out after it; never rejects, and resolves at once while Redis is away.
   */
  announce(stamp: number): Promise<void> {
    this.raise(stamp);
    if (!this.link.isUp()) {
      // Sent when Redis is back; only the highest stamp matters.
      this.unannounced = Math.max(this.unannounced ?? 0, stamp);
      return Promise.resolve();
    }
    return this.publish(stamp);
  }

  private publish(stamp: number): Promise<void> {
    return this.channel()
      .then((ch) => this.link.client.publish(ch, String(stamp)))
      .then(
        () => undefined,
        () => {
          this.unannounced = Math.max(this.unannounced ?? 0, stamp);
        },
      );
  }

  private async heard(ch: string, message: string): Promise<void> {
    const stamp = Number(message);
    if (!Number.isSafeInteger(stamp) || ch !== (await this.channel())) return;
    this.raise(stamp);
  }

  private raise(stamp: number): void {
    if (stamp > this.version) this.version = stamp;
  }

  private async follow(): Promise<void> {
    const epoch = ++this.epoch;
    this.following = false;
    this.syncing = true;
    try {
      const ch = await this.channel();
      await this.link.subscriber.subscribe(ch);
      const v = await this.readVersion();
      if (epoch !== this.epoch || !this.link.isUp()) return;
      this.raise(v);
      this.following = true;
      if (this.unannounced !== null) {
        const s = this.unannounced;
        this.unannounced = null;
        void this.publish(s);
      }
    } catch (err) {
      // Redis or the database went away meanwhile: the next 'ready', or the next resync, tries again.
      this.log.debug('could not follow write announcements yet', err);
    } finally {
      if (epoch === this.epoch) this.syncing = false;
    }
  }

  private unfollow(): void {
    this.epoch++;
    this.following = false;
    this.syncing = false;
  }

  private async resync(): Promise<void> {
    // Not following while Redis is up: the last attempt failed (say the database was not migrated yet); try again.
    if (!this.following && this.link.isUp() && !this.syncing) return this.follow();
    if (!this.following) return;
    const epoch = this.epoch;
    try {
      const v = await this.readVersion();
      if (epoch === this.epoch) this.raise(v);
    } catch {
      // The database is away: answers keep the last version they know; requests will say so.
    }
  }

  /** Stops following (shutdown). */
  close(): void {
    clearInterval(this.timer);
    this.stopLink();
    this.unfollow();
  }
}
