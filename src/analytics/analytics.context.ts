import type { Loaders } from '../modules/loaders';
import type { AlertsService } from './alerts/alerts.service';
import type { RequestContext } from '../modules/modules.context';
import type { RequestAnswers } from './answer-cache';
import type { DashboardService } from './dashboard/dashboard.service';
import type { ScorecardService } from './dashboard/scorecard.service';
import type { MetricsService } from './metrics.service';
import type { MonthlyReportService } from './report/monthly-report.service';
import type { RecordLoaders } from './records/records.loader';
import type { RecordsService } from './records/records.service';

/** What the analytics resolvers use of their request (the GraphQL context holds it all). */
export interface AnalyticsContext extends RequestContext {
  loaders: Loaders;
  /** This request's view of the analytics answer cache. */
  answers: RequestAnswers;
  /** This request's loaders of the record relations (Region.issues, Household.visits, …). */
  recordLoaders: RecordLoaders;
  services: { metrics: MetricsService; dashboard: DashboardService; scorecards: ScorecardService; reports: MonthlyReportService; records: RecordsService; alerts: AlertsService };
}
