import type { NonEmptyArray } from 'type-graphql';
import { RecordingResolver } from '../recording/recording.resolver';
import { AccessResolver } from '../modules/access/access.resolver';
import { MetricsResolver } from '../analytics/metrics.resolver';
import { MetaResolver } from '../modules/meta/meta.resolver';
import { CadreResolver } from '../modules/cadres/cadre.resolver';
import { DepartmentResolver } from '../modules/departments/department.resolver';
import { HouseholdResolver } from '../modules/households/household.resolver';
import { IssueEventResolver, IssueResolver } from '../modules/issues/issue.resolver';
import { PairingResolver } from '../modules/pairings/pairing.resolver';
import { RegionResolver } from '../modules/regions/region.resolver';
import { SurveyResponseResolver } from '../modules/surveys/survey-response.resolver';
import { VisitResolver } from '../modules/visits/visit.resolver';
import { DASHBOARD_RESOLVERS } from '../analytics/dashboard/dashboard.resolver';
import { CadreScorecardResolver } from '../analytics/dashboard/scorecard.resolver';
import { AuditResolver } from '../audit/audit.resolver';
import { DashboardDepartmentsResolver, DepartmentRowResolver } from '../analytics/dashboard/departments.resolver';
import { RankingChangeResolver } from '../analytics/dashboard/ranking-change.resolver';
import { REPORT_RESOLVERS } from '../analytics/report/monthly-report.resolver';
import { RECORD_RESOLVERS } from '../analytics/records/records.resolver';
import { AlertsResolver } from '../analytics/alerts/alerts.resolver';

/** Every resolver class in the schema; a feature adds its resolver here. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const RESOLVERS: NonEmptyArray<Function> = [
  MetaResolver,
  AccessResolver,
  RegionResolver,
  DepartmentResolver,
  CadreResolver,
  HouseholdResolver,
  PairingResolver,
  VisitResolver,
  IssueResolver,
  IssueEventResolver,
  SurveyResponseResolver,
  MetricsResolver,
  ...DASHBOARD_RESOLVERS,
  CadreScorecardResolver,
  DashboardDepartmentsResolver,
  DepartmentRowResolver,
  RankingChangeResolver,
  ...REPORT_RESOLVERS,
  ...RECORD_RESOLVERS,
  AlertsResolver,
  RecordingResolver,
  AuditResolver,
];
