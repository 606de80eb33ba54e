import type { DataSource } from 'typeorm';
import { AlertsService } from './analytics/alerts/alerts.service';
import { AnswerCache, readDataVersion } from './analytics/answer-cache';
import { Calendar } from './analytics/calendar';
import { Rollups } from './analytics/rollups';
import { DashboardService } from './analytics/dashboard/dashboard.service';
import { ScorecardService } from './analytics/dashboard/scorecard.service';
import { MetricsService } from './analytics/metrics.service';
import { MonthlyReportService } from './analytics/report/monthly-report.service';
import { RecordsService } from './analytics/records/records.service';
import { AuthService } from './auth/auth.service';
import { AuditTrail } from './audit/audit-trail';
import type { Config } from './config';
import { ExtractService } from './extracts/extract.service';
import { ImportService } from './import/import.service';
import { createEntityServices, EntityServices } from './modules/loaders';
import { RecordingService } from './recording/recording.service';
import { RedisLink } from './coordination/redis-link';
import { WriteAnnouncements } from './coordination/write-announcements';
import { onCommittedWrites } from './database/write-clock';
import { readSetting } from './database/settings';
import { createLogger, Logger } from './logger';

/**
 * Every long-lived service of one process and data source, built once (createApp, the CLI, the
 * bench, tests) and handed to resolvers and routes: what a service keeps between requests
 * (plan cache, answer cache, calendar caches) lives in these objects, not in module state.
 */
export interface Services {
  config: Readonly<Config>;
  dataSource: DataSource;
  auth: AuthService;
  entities: EntityServices;
  importer: ImportService;
  recording: RecordingService;
  extracts: ExtractService;
  metrics: MetricsService;
  dashboard: DashboardService;
  scorecards: ScorecardService;
  /** Monthly ranked reports (月度通报): rendered, published, listed. */
  reports: MonthlyReportService;
  /** The records behind the numbers: drill-through lists, relations, CSV (analytics/records). */
  records: RecordsService;
  /** Worklists (预警): the action.md rules as of an instant (analytics/alerts). */
  alerts: AlertsService;
  answers: AnswerCache;
  calendar: Calendar;
  rollups: Rollups;
  /** The audit trail of personal data, extracts and exports (append-only). */
  audit: AuditTrail;
  /** The Redis the service processes share (REDIS_URL), or null: each process on its own. */
  redis: RedisLink | null;
  /** This process's side of the write announcements through `redis`. */
  announcements: WriteAnnouncements | null;
  /** Lets go of what the services hold outside the data source (the Redis connections). */
  close(): Promise<void>;
}

/**
 * Builds the services of one data source (not yet started: rollup state is loaded by bootstrap
 * or `metrics.rollups.load()`). With REDIS_URL the data source must be initialized: its
 * committed writes are announced to the other processes from here on.
 */
export function createServices(config: Readonly<Config>, dataSource: DataSource, log: Logger = createLogger('silent')): Services {
  const calendar = new Calendar(config.festivals);
  const rollups = new Rollups(dataSource, calendar, config);
  const importer = new ImportService(dataSource, config, rollups);
  const metrics = new MetricsService(dataSource, config, { calendar, rollupState: rollups });
  const audit = new AuditTrail(dataSource);
  const redis = config.redisUrl ? new RedisLink(config.redisUrl, log) : null;
  let announcements: WriteAnnouncements | null = null;
  let stopAnnouncing = () => {};
  if (redis) {
    const channel = once(async () => `minqing:writes:${(await readSetting(dataSource, 'database_id')) ?? 'unnamed'}`);
    announcements = new WriteAnnouncements(redis, channel, () => readDataVersion(dataSource), log);
    const a = announcements;
    stopAnnouncing = onCommittedWrites(dataSource, (stamp) => a.announce(stamp));
  }
  // A read replica may lag a pushed stamp: there the version is read where the answers are computed.
  const pushed = config.replicaUrls.length === 0 ? announcements : null;
  const dashboard = new DashboardService(dataSource, config, metrics);
  const scorecards = new ScorecardService(dataSource, config, metrics);
  const alerts = new AlertsService(dataSource, config, { engine: metrics, scorecards });
  return {
    config,
    dataSource,
    auth: new AuthService(dataSource),
    entities: createEntityServices(dataSource),
    importer,
    recording: new RecordingService(dataSource, importer),
    extracts: new ExtractService(dataSource, config, { engine: metrics, alerts, audit }),
    metrics,
    dashboard,
    scorecards,
    reports: new MonthlyReportService(dataSource, config, { metrics, dashboard, scorecards }),
    alerts,
    records: new RecordsService(dataSource, config, { calendar, scorecardWindow: (year, asOf) => scorecards.window(year, asOf) }),
    answers: new AnswerCache(dataSource, config, pushed),
    calendar,
    rollups,
    audit,
    redis,
    announcements,
    close: async () => {
      stopAnnouncing();
      announcements?.close();
      await redis?.close();
    },
  };
}

/** A function's promise, made on the first call and kept once it succeeds (a failure is tried again). */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | null = null;
  return () => {
    if (!p) {
      const made = make();
      p = made;
      made.catch(() => {
        if (p === made) p = null;
      });
    }
    return p;
  };
}
