import type { AlertsService } from '../analytics/alerts/alerts.service';
import type { Scope } from '../domain/access';
import type { ExtractRecord } from './extract-datasets';

/** Rows per chunk written. */
const CHUNK = 2_000;

/**
 * alerts: every worklist item of the scope as of the pull (`asOf`), in the list's order (oldest
 * first, then type, then subject), as the `alerts` query computes them (one computation; the
 * list is held once, as the query holds it to count it).
 */
export async function* computeAlertRows(alerts: AlertsService, asOf: number, scope: Scope, stop: () => boolean | Promise<boolean>): AsyncGenerator<ExtractRecord[]> {
  if (await stop()) return;
  const { alerts: list } = await alerts.list({ asOf: new Date(asOf) }, scope);
  for (let i = 0; i < list.length; i += CHUNK) {
    if (i > 0 && (await stop())) return;
    yield list.slice(i, i + CHUNK).map((a) => ({
      type: a.type,
      subjectId: a.subjectId,
      subjectKind: a.subjectKind,
      regionId: a.regionId,
      departmentId: a.departmentId,
      cadreId: a.cadreId,
      since: a.since.toISOString(),
      ageHours: a.ageHours,
    }));
  }
}
