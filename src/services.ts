import type { DataSource } from 'typeorm';
import { AnswerCache } from './analytics/answer-cache';
import { Calendar } from './analytics/calendar';
import { Rollups } from './analytics/rollups';
import { DashboardService } from './analytics/dashboard/dashboard.service';
import { ScorecardService } from './analytics/dashboard/scorecard.service';
import { MetricsService } from './analytics/metrics.service';
import { RecordsService } from './analytics/records/records.service';
import { AuthService } from './auth/auth.service';
import type { Config } from './config';
import { ExtractService } from './extracts/extract.service';
import { ImportService } from './import/import.service';
import { createEntityServices, EntityServices } from './modules/loaders';
import { RecordingService } from './recording/recording.service';

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
  /** The records behind the numbers: drill-through lists, relations, CSV (analytics/records). */
  records: RecordsService;
  answers: AnswerCache;
  calendar: Calendar;
  rollups: Rollups;
}

/** Builds the services of one data source (not yet started: rollup state is loaded by bootstrap or `metrics.rollups.load()`). */
export function createServices(config: Readonly<Config>, dataSource: DataSource): Services {
  const calendar = new Calendar(config.festivals);
  const rollups = new Rollups(dataSource, calendar, config);
  const importer = new ImportService(dataSource, config, rollups);
  const metrics = new MetricsService(dataSource, config, { calendar, rollupState: rollups });
  const scorecards = new ScorecardService(dataSource, config, metrics);
  return {
    config,
    dataSource,
    auth: new AuthService(dataSource),
    entities: createEntityServices(dataSource),
    importer,
    recording: new RecordingService(dataSource, importer),
    extracts: new ExtractService(dataSource, config, { engine: metrics }),
    metrics,
    dashboard: new DashboardService(dataSource, config, metrics),
    scorecards,
    records: new RecordsService(dataSource, config, { calendar, scorecardWindow: (year, asOf) => scorecards.window(year, asOf) }),
    answers: new AnswerCache(dataSource, config),
    calendar,
    rollups,
  };
}
