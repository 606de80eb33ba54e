import type { Request, Response } from 'express';
import { Router } from 'express';
import { Measure, Measures } from '../analytics/analytics.enums';
import type { MonthlyReportData, MonthlyReportService } from '../analytics/report/monthly-report.service';
import type { PublicationData } from '../analytics/report/published-reports';
import { canRead, scopeOf } from '../domain/access';
import { RegionLevel, RegionLevels } from '../domain/enums';
import { badInput } from '../domain/errors';
import type { Logger } from '../logger';
import { createLoaders, EntityServices } from '../modules/loaders';
import { authOf, requireRole } from './auth.middleware';
import { ReportNames, writeMonthlyReportXlsx } from './monthly-report.xlsx';
import { restErrors } from './rest-errors';

export interface ReportRouteDeps {
  reports: MonthlyReportService;
  entities: EntityServices;
  log: Logger;
}

/** One file export, as the audit trail records it (who and when are the recorder's). */
export interface ExportRecord {
  operation: string;
  records: number;
  details: Record<string, unknown>;
}

export interface ReportRouteOptions {
  /**
   * AUDIT HOOK (api.md "Audit trail": every XLSX export is recorded): called before the first
   * byte of every download; if it fails, nothing is sent. The audit trail plugs in here.
   */
  recordExport?: (req: Request, res: Response, e: ExportRecord) => Promise<void>;
}

/** What `GET /api/reports/monthly.xlsx` takes. */
export interface ReportQuery {
  month: string;
  level: RegionLevel;
  measure: Measure | null;
  regionId: string | null;
  asOf: Date | null;
  version: number | null;
}

const ALLOWED = ['month', 'level', 'measure', 'regionId', 'asOf', 'version'];
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Reads the query string; BAD_USER_INPUT (400) naming the parameter otherwise. The service checks the rest (month, region, scope). */
export function parseReportQuery(q: Record<string, unknown>): ReportQuery {
  const unknown = Object.keys(q).filter((k) => !ALLOWED.includes(k));
  if (unknown.length) throw badInput(`unknown parameter(s) ${unknown.join(', ')}; allowed: ${ALLOWED.join(', ')}`, { argument: unknown[0] });
  const one = (k: string): string | null => {
    const v = q[k];
    if (v === undefined || v === '') return null;
    if (typeof v !== 'string' || v.length > 64) throw badInput(`${k} must be given once, as a short string`, { argument: k });
    return v;
  };
  const month = one('month');
  if (month === null) throw badInput('month is required (YYYY-MM)', { argument: 'month' });
  const level = one('level');
  if (level === null || !(RegionLevels.values as readonly string[]).includes(level)) {
    throw badInput(`level must be one of ${RegionLevels.values.join(', ')}, got ${JSON.stringify(level)}`, { argument: 'level' });
  }
  const measure = one('measure');
  if (measure !== null && !(Measures.values as readonly string[]).includes(measure)) throw badInput(`measure ${JSON.stringify(measure)} is not a measure of the catalogue`, { argument: 'measure' });
  const asOfText = one('asOf');
  const asOf = asOfText === null ? null : new Date(asOfText);
  if (asOf !== null && (!/^\d{4}-\d{2}-\d{2}T/.test(asOfText!) || !Number.isFinite(asOf.getTime()))) throw badInput('asOf must be an ISO-8601 instant', { argument: 'asOf' });
  const versionText = one('version');
  const version = versionText === null ? null : Number(versionText);
  if (version !== null && (!/^\d{1,9}$/.test(versionText!) || version < 1)) throw badInput('version must be a positive whole number', { argument: 'version' });
  if (version !== null && asOf !== null) throw badInput('asOf cannot be given with version: a published report is as of its publication', { argument: 'asOf' });
  return { month, level: level as RegionLevel, measure: measure as Measure | null, regionId: one('regionId'), asOf, version };
}

/** The names of the report's regions, departments and cadres, read through the caller's scoped loaders. */
async function namesFor(report: MonthlyReportData, entities: EntityServices, res: Response): Promise<ReportNames> {
  const loaders = createLoaders(entities, scopeOf(authOf(res).principal!));
  const cadres = await loaders.cadres.byId.loadMany([...new Set([...report.vetoedCadres, ...report.behindPaceCadres].map((c) => c.cadreId))]);
  const regionIds = [
    ...report.rows.map((r) => r.regionId),
    ...report.festivalRegions.map((f) => f.regionId!),
    ...(report.regionId ? [report.regionId] : []),
    ...cadres.flatMap((c) => (c && !(c instanceof Error) ? [c.regionId] : [])),
  ];
  const regions = await loaders.regions.byId.loadMany([...new Set(regionIds)]);
  const departments = await loaders.departments.byId.loadMany(report.departments.flatMap((d) => (d.departmentId ? [d.departmentId] : [])));
  const nameMap = <T extends { id: string; name: string }>(list: Array<T | Error | null>) => new Map(list.flatMap((x) => (x && !(x instanceof Error) ? [[x.id, x] as const] : [])));
  const regionById = nameMap(regions);
  const departmentById = nameMap(departments);
  const cadreById = nameMap(cadres);
  return {
    region: (id) => (id === null ? '' : (regionById.get(id)?.name ?? id)),
    department: (id) => (id === null ? '（未分派）' : (departmentById.get(id)?.name ?? id)),
    cadre: (id) => {
      const c = cadreById.get(id);
      return { name: c?.name ?? id, rank: c?.rank ?? null, regionName: c ? (regionById.get(c.regionId)?.name ?? c.regionId) : '' };
    },
  };
}

/** Mounted at /api/reports: `GET /api/reports/monthly.xlsx?month=&level=&measure=&regionId=&asOf=&version=`. */
export function reportRoutes(deps: ReportRouteDeps, options: ReportRouteOptions = {}): Router {
  const r = Router();
  r.get('/monthly.xlsx', requireRole(canRead, 'read reports'), async (req, res, next) => {
    try {
      const q = parseReportQuery(req.query as Record<string, unknown>);
      const principal = authOf(res).principal!;
      const scope = scopeOf(principal);
      const key = { month: q.month, level: q.level, measure: q.measure, regionId: q.regionId };
      let report: MonthlyReportData;
      let publication: PublicationData | null = null;
      if (q.version !== null) ({ report, publication } = await deps.reports.published({ ...key, version: q.version }, scope));
      else report = await deps.reports.render({ ...key, asOf: q.asOf }, scope);
      const names = await namesFor(report, deps.entities, res);
      const filename = `minqing-monthly-report-${report.month}-${report.level}-${report.measure}${publication ? `-v${publication.version}` : ''}.xlsx`;
      await options.recordExport?.(req, res, {
        operation: 'xlsx monthly-report',
        records: report.rows.length + report.departments.length + report.vetoedCadres.length + report.behindPaceCadres.length + report.festivalRegions.length,
        details: { format: 'xlsx', filename, month: report.month, level: report.level, measure: report.measure, regionId: report.regionId, version: publication?.version ?? null },
      });
      res.status(200).set({
        'Content-Type': XLSX_TYPE,
        'Content-Disposition': `attachment; filename="${filename}"`,
        'Cache-Control': 'no-store',
        'X-Data-As-Of': report.asOf.toISOString(),
      });
      await writeMonthlyReportXlsx(res, report, names, publication);
    } catch (err) {
      // Before the first byte: a JSON error (rest-errors.ts); after it, the download is cut short.
      if (res.headersSent) {
        deps.log.error('monthly report XLSX failed while streaming', err);
        res.destroy(err as Error);
        return;
      }
      res.removeHeader('Content-Disposition');
      next(err);
    }
  });
  r.use(restErrors({ log: deps.log, what: 'report' }));
  return r;
}
