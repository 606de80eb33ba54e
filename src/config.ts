import { IANAZone } from 'luxon';
import { ExtractJob, parseExtractJobs } from './domain/extract-jobs';

/** Festival windows: each festival has its dates and the days before/after that count. */
export interface FestivalWindow {
  name: string;
  daysBefore: number;
  daysAfter: number;
  dates: string[];
}

export interface Limits {
  maxPageSize: number;
  maxQueryDepth: number;
  maxQueryCost: number;
  maxAliases: number;
  maxMetricCells: number;
  maxRangeDays: number;
  maxBodyBytes: number;
  maxFieldChars: number;
  requestsPerMinute: number;
  statementTimeoutMs: number;
}

/** The thresholds of the worklist rules (预警). */
export interface AlertThresholds {
  /** DUE_SOON: open issues due within this many hours after asOf. */
  dueSoonHours: number;
  /** DENIED_NOT_REDONE: the resident's NO is at least this many hours old. */
  redoGraceHours: number;
  /** SILENT_PAIRING: pairings this many days old with no visit in the last days × 24 h. */
  silentPairingDays: number;
  /** REPEAT_APPEALS: issues of one household within the last days × 24 h … */
  repeatAppealsDays: number;
  /** … at least this many of them. */
  repeatAppealsMin: number;
}

export interface Config {
  port: number;
  databaseUrl: string;
  replicaUrls: string[];
  seedDemo: boolean;
  adminPassword: string | null;
  reportingTimeZone: string;
  minResponses: number;
  responseSlaHours: number;
  /** REPEAT_RATE: an earlier issue of the same household and category within this many days × 24 h is a repeat. */
  repeatWindowDays: number;
  threeRateWeights: { response: number; resolution: number; satisfaction: number };
  festivals: FestivalWindow[];
  vetoLine: number;
  scorecardWeights: { stay: number; pairing: number; coverage: number; satisfaction: number };
  /** Scorecard credit for stay days and pairings above quota stops at this multiple of the quota (1 = none above quota). */
  scorecardQuotaCap: number;
  /** Worklist thresholds (action.md "Worklists"). */
  alerts: AlertThresholds;
  limits: Limits;
  logLevel: 'silent' | 'error' | 'warn' | 'info' | 'debug';
  /** Scheduled extracts (EXTRACT_JOBS, JSON); see src/extracts/README.md. */
  extractJobs: ExtractJob[];
  extractDir: string;
  extractKeepRuns: number;
  /** When set, `/metrics` asks for `Authorization: Bearer <METRICS_TOKEN>`; unset, it is open on the service port. */
  metricsToken: string | null;
  /** On SIGTERM, how long in-flight requests and extract streams may take before they are cut (ms). */
  shutdownGraceMs: number;
  /** Analytics answers (metrics, dashboard panels, scorecards) reused while no write happened, at most this long (ms); 0 = off. */
  analyticsCacheTtlMs: number;
  /** How many analytics answers the per-process cache keeps (least recently used go first). */
  analyticsCacheMax: number;
  /** MySQL/MariaDB: in-memory temporary table size per session (MB) for the analytics GROUP BYs. */
  tmpTableMb: number;
  /**
   * Redis shared by the service processes (REDIS_URL): the per-principal rate limit and the
   * announcement of writes to every process's answer cache; null = each process on its own.
   */
  redisUrl: string | null;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

const DEFAULT_FESTIVALS: FestivalWindow[] = [
  {
    name: 'SPRING_FESTIVAL',
    daysBefore: 7,
    daysAfter: 7,
    dates: ['2023-01-22', '2024-02-10', '2025-01-29', '2026-02-17', '2027-02-06', '2028-01-26', '2029-02-13', '2030-02-03'],
  },
  {
    name: 'MID_AUTUMN',
    daysBefore: 3,
    daysAfter: 3,
    dates: ['2023-09-29', '2024-09-17', '2025-10-06', '2026-09-25', '2027-09-15', '2028-10-03', '2029-09-22', '2030-09-12'],
  },
];

/** Reads, validates and freezes the configuration; a bad value names its variable. */
export function readConfig(env: Env = process.env): Readonly<Config> {
  const r = new EnvReader(env);
  const config: Config = {
    port: r.int('PORT', 4000, 0, 65535),
    databaseUrl: r.databaseUrl('DATABASE_URL', 'sqlite:./data/minqing.sqlite'),
    replicaUrls: r.list('DATABASE_REPLICA_URLS').map((u) => r.checkDatabaseUrl('DATABASE_REPLICA_URLS', u)),
    seedDemo: r.bool('SEED_DEMO', true),
    adminPassword: r.str('ADMIN_PASSWORD') ?? null,
    reportingTimeZone: r.timeZone('REPORTING_TIME_ZONE', 'Asia/Shanghai'),
    minResponses: r.int('MIN_RESPONSES', 5, 1, 1_000_000),
    responseSlaHours: r.num('RESPONSE_SLA_HOURS', 24, 0, 24 * 365),
    repeatWindowDays: r.num('REPEAT_WINDOW_DAYS', 30, 0, 3660),
    threeRateWeights: r.weights('THREE_RATE_WEIGHTS', ['response', 'resolution', 'satisfaction'], [0.3, 0.35, 0.35]),
    festivals: r.festivals('FESTIVAL_WINDOWS', DEFAULT_FESTIVALS),
    vetoLine: r.num('VETO_LINE', 0.6, 0, 1),
    scorecardWeights: r.weights(
      'SCORECARD_WEIGHTS',
      ['stay', 'pairing', 'coverage', 'satisfaction'],
      [0.25, 0.2, 0.25, 0.3],
    ),
    scorecardQuotaCap: r.num('SCORECARD_QUOTA_CAP', 1.2, 1, 3),
    alerts: {
      dueSoonHours: r.num('DUE_SOON_HOURS', 24, 0, 24 * 3660),
      redoGraceHours: r.num('REDO_GRACE_HOURS', 72, 0, 24 * 3660),
      silentPairingDays: r.int('SILENT_PAIRING_DAYS', 90, 0, 3660),
      repeatAppealsDays: r.num('REPEAT_APPEALS_DAYS', 90, 0, 3660),
      repeatAppealsMin: r.int('REPEAT_APPEALS_MIN', 3, 1, 1_000_000),
    },
    limits: {
      maxPageSize: r.int('MAX_PAGE_SIZE', 500, 1, 500),
      maxQueryDepth: r.int('MAX_QUERY_DEPTH', 10, 2, 100),
      maxQueryCost: r.int('MAX_QUERY_COST', 50_000, 1, 10_000_000),
      maxAliases: r.int('MAX_ALIASES', 30, 1, 10_000),
      maxMetricCells: r.int('MAX_METRIC_CELLS', 100_000, 1, 10_000_000),
      maxRangeDays: r.int('MAX_RANGE_DAYS', 3660, 1, 36600),
      maxBodyBytes: r.int('MAX_BODY_BYTES', 50 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
      maxFieldChars: r.int('MAX_FIELD_CHARS', 20_000, 100, 10_000_000),
      requestsPerMinute: r.int('RATE_LIMIT_PER_MINUTE', 600, 1, 1_000_000),
      statementTimeoutMs: r.int('STATEMENT_TIMEOUT_MS', 30_000, 100, 3_600_000),
    },
    logLevel: r.oneOf('LOG_LEVEL', ['silent', 'error', 'warn', 'info', 'debug'] as const, 'info'),
    extractJobs: r.extractJobs('EXTRACT_JOBS'),
    extractDir: r.str('EXTRACT_DIR') ?? './data/extracts',
    extractKeepRuns: r.int('EXTRACT_KEEP_RUNS', 7, 1, 100_000),
    metricsToken: r.str('METRICS_TOKEN') ?? null,
    shutdownGraceMs: r.int('SHUTDOWN_GRACE_MS', 25_000, 0, 3_600_000),
    analyticsCacheTtlMs: r.int('ANALYTICS_CACHE_TTL_MS', 10_000, 0, 3_600_000),
    analyticsCacheMax: r.int('ANALYTICS_CACHE_MAX', 500, 1, 1_000_000),
    tmpTableMb: r.int('DB_TMP_TABLE_MB', 256, 16, 65_536),
    redisUrl: r.redisUrl('REDIS_URL'),
  };
  return deepFreeze(config);
}

class EnvReader {
  constructor(private readonly env: Env) {}

  str(name: string): string | undefined {
    const v = this.env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  }

  fail(name: string, message: string): never {
    throw new ConfigError(`${name}: ${message}`);
  }

  int(name: string, def: number, min: number, max: number): number {
    const v = this.num(name, def, min, max);
    if (!Number.isInteger(v)) this.fail(name, `expected a whole number, got "${this.env[name]}"`);
    return v;
  }

  num(name: string, def: number, min: number, max: number): number {
    const s = this.str(name);
    if (s === undefined) return def;
    const v = Number(s);
    if (!Number.isFinite(v)) this.fail(name, `expected a number, got "${s}"`);
    if (v < min || v > max) this.fail(name, `expected a value from ${min} to ${max}, got ${v}`);
    return v;
  }

  bool(name: string, def: boolean): boolean {
    const s = this.str(name)?.toLowerCase();
    if (s === undefined) return def;
    if (['1', 'true', 'yes', 'on'].includes(s)) return true;
    if (['0', 'false', 'no', 'off'].includes(s)) return false;
    return this.fail(name, `expected true or false, got "${s}"`);
  }

  oneOf<T extends string>(name: string, values: readonly T[], def: T): T {
    const s = this.str(name);
    if (s === undefined) return def;
    if (!(values as readonly string[]).includes(s)) this.fail(name, `expected one of ${values.join(', ')}, got "${s}"`);
    return s as T;
  }

  list(name: string): string[] {
    const s = this.str(name);
    return s === undefined ? [] : s.split(',').map((x) => x.trim()).filter(Boolean);
  }

  timeZone(name: string, def: string): string {
    const s = this.str(name) ?? def;
    if (!IANAZone.isValidZone(s)) this.fail(name, `"${s}" is not an IANA time zone name`);
    return s;
  }

  databaseUrl(name: string, def: string): string {
    return this.checkDatabaseUrl(name, this.str(name) ?? def);
  }

  checkDatabaseUrl(name: string, url: string): string {
    if (url.startsWith('sqlite:')) {
      if (url.length === 'sqlite:'.length) this.fail(name, 'sqlite: needs a file name, e.g. sqlite:./data/minqing.sqlite');
      return url;
    }
    if (/^(mysql|mariadb):\/\//.test(url)) {
      try {
        new URL(url);
      } catch {
        this.fail(name, `"${url}" is not a valid URL`);
      }
      return url;
    }
    return this.fail(name, 'expected sqlite:<file> or mysql://user:pass@host:3306/db');
  }

  /** redis://[user:password@]host[:port][/db] or rediss://…; null when unset. */
  redisUrl(name: string): string | null {
    const s = this.str(name);
    if (s === undefined) return null;
    const example = 'expected redis://host:6379 (or rediss://, with optional user:password@ and /db), e.g. redis://127.0.0.1:6379';
    let url: URL;
    try {
      url = new URL(s);
    } catch {
      return this.fail(name, `"${s}" is not a URL; ${example}`);
    }
    if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') this.fail(name, `unsupported scheme "${url.protocol}"; ${example}`);
    if (!url.hostname) this.fail(name, `no host in "${s}"; ${example}`);
    const db = url.pathname.replace(/^\//, '');
    if (db !== '' && !/^(\d|1[0-5])$/.test(db)) this.fail(name, `the database after the host must be a number from 0 to 15, got "/${db}"`);
    if (url.search || url.hash) this.fail(name, `options after "?" or "#" are not supported; ${example}`);
    return s;
  }

  weights<K extends string>(name: string, keys: K[], defs: number[]): Record<K, number> {
    const s = this.str(name);
    const values = s === undefined ? defs : s.split(',').map((x) => Number(x.trim()));
    if (values.length !== keys.length || values.some((v) => !Number.isFinite(v) || v < 0)) {
      this.fail(name, `expected ${keys.length} non-negative numbers separated by commas (${keys.join(', ')})`);
    }
    const sum = values.reduce((a, b) => a + b, 0);
    if (Math.abs(sum - 1) > 1e-9) this.fail(name, `weights must add up to 1, they add up to ${sum}`);
    return Object.fromEntries(keys.map((k, i) => [k, values[i]])) as Record<K, number>;
  }

  extractJobs(name: string): ExtractJob[] {
    const s = this.str(name);
    if (s === undefined) return [];
    let parsed: unknown;
    try {
      parsed = JSON.parse(s);
    } catch {
      return this.fail(name, 'expected JSON: [{"dataset","format","schedule":"15m"|"HH:MM","folder","incremental"},…]');
    }
    try {
      return parseExtractJobs(parsed);
    } catch (err) {
      return this.fail(name, (err as Error).message);
    }
  }

  festivals(name: string, def: FestivalWindow[]): FestivalWindow[] {
    const s = this.str(name);
    if (s === undefined) return def;
    let parsed: unknown;
    try {
      parsed = JSON.parse(s);
    } catch {
      return this.fail(name, 'expected JSON: [{"name","daysBefore","daysAfter","dates":["YYYY-MM-DD",…]}]');
    }
    if (!Array.isArray(parsed)) this.fail(name, 'expected a JSON array of festival windows');
    return (parsed as unknown[]).map((f, i) => {
      const w = f as Partial<FestivalWindow>;
      const ok =
        typeof w?.name === 'string' &&
        Number.isInteger(w.daysBefore) &&
        Number.isInteger(w.daysAfter) &&
        (w.daysBefore as number) >= 0 &&
        (w.daysAfter as number) >= 0 &&
        Array.isArray(w.dates) &&
        w.dates.every((d) => typeof d === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(d));
      if (!ok) this.fail(name, `window ${i} needs name, daysBefore ≥ 0, daysAfter ≥ 0 and dates as YYYY-MM-DD`);
      return { name: w.name!, daysBefore: w.daysBefore!, daysAfter: w.daysAfter!, dates: [...w.dates!] };
    });
  }
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}
