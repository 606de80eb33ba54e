import { AlertData, AlertsService } from '../../../../src/analytics/alerts/alerts.service';
import { ScorecardService } from '../../../../src/analytics/dashboard/scorecard.service';
import { MetricsService } from '../../../../src/analytics/metrics.service';
import { UNSCOPED } from '../../../../src/domain/access';
import { AlertTypes } from '../../../../src/domain/enums';
import { describeStores } from '../../../helpers/stores';
import { ALERTS_AS_OF, ALERTS_AT_AS_OF, ALERTS_LATER, insertAlertsCounty } from '../../../factories/alerts-county';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T = ALERTS_AS_OF;

/** type → sorted subject ids. */
function byType(alerts: AlertData[]): Record<string, string[]> {
  const out: Record<string, string[]> = Object.fromEntries(AlertTypes.values.map((t) => [t, []]));
  for (const a of alerts) out[a.type].push(a.subjectId);
  for (const t of Object.keys(out)) out[t].sort();
  return out;
}

describeStores(AlertsService.name, (store) => {
  let sut: AlertsService;
  beforeAll(async () => {
    await insertAlertsCounty(store());
    const engine = new MetricsService(store().ds, store().config);
    sut = new AlertsService(store().ds, store().config, { engine, scorecards: new ScorecardService(store().ds, store().config, engine) }, () => new Date(T));
  });
  const at = (asOf: number, o: Parameters<AlertsService['list']>[0] = {}, scope = UNSCOPED) => sut.list({ asOf: new Date(asOf), ...o }, scope);

  it('applies each rule with its boundary instant included and excluded', async () => {
    const { alerts, asOf } = await at(T);
    expect(asOf.getTime()).toBe(T);
    expect(byType(alerts)).toEqual(ALERTS_AT_AS_OF);
  });

  it('states since, ageHours, region, department and cadre per rule', async () => {
    const { alerts } = await at(T);
    const get = (id: string) => alerts.find((a) => a.id === id)!;
    const jan1 = Date.parse('2025-01-01T00:00:00+08:00');
    expect(get('OVERDUE:iO1')).toMatchObject({ subjectKind: 'ISSUE', regionId: 'v1', departmentId: null, since: new Date(T - 1), ageHours: 1 / HOUR });
    // The department as of asOf: iP1 was assigned to d1 before T.
    expect(get('OVERDUE:iP1')).toMatchObject({ departmentId: 'd1', since: new Date(T - HOUR), ageHours: 1 });
    expect(get('OVERDUE:iO2')).toMatchObject({ regionId: 'v2' });
    expect(get('DUE_SOON:iD1')).toMatchObject({ since: new Date(T), ageHours: 0 });
    expect(get('DENIED_NOT_REDONE:iR1')).toMatchObject({ since: new Date(T - 72 * HOUR), ageHours: 72 });
    expect(get('SILENT_PAIRING:pS1')).toMatchObject({ subjectKind: 'PAIRING', regionId: 'v1', cadreId: 'cP', since: new Date(Date.parse('2025-03-17T00:00:00+08:00')) });
    expect(get('SILENT_PAIRING:pS4')).toMatchObject({ since: new Date(T - 90 * DAY - 1) });
    expect(get('SILENT_PAIRING:pS6')).toMatchObject({ since: new Date(Date.parse('2025-02-01T10:00:00+08:00')) });
    expect(get('BEHIND_PACE:cX')).toMatchObject({ subjectKind: 'CADRE', regionId: 'v2', cadreId: 'cX', since: new Date(jan1), ageHours: (T - jan1) / HOUR });
    expect(get('VETO_RISK:cV2')).toMatchObject({ cadreId: 'cV2', since: new Date(jan1) });
    // The household's region, though one of its issues was raised in 西镇.
    expect(get('REPEAT_APPEALS:hA1')).toMatchObject({ subjectKind: 'HOUSEHOLD', regionId: 'v1', since: new Date(T - 90 * DAY), ageHours: 90 * 24 });
  });

  it('orders oldest first, then by type in enum order, then by subject id', async () => {
    const { alerts } = await at(T);
    const sorted = [...alerts].sort((a, b) => a.since.getTime() - b.since.getTime() || AlertTypes.values.indexOf(a.type) - AlertTypes.values.indexOf(b.type) || (a.subjectId < b.subjectId ? -1 : 1));
    expect(alerts.map((a) => a.id)).toEqual(sorted.map((a) => a.id));
    // Same since (1 January): BEHIND_PACE before VETO_RISK, ids in order within a type.
    expect(alerts.filter((a) => a.subjectKind === 'CADRE').map((a) => a.id)).toEqual(['BEHIND_PACE:cB2', 'BEHIND_PACE:cB4', 'BEHIND_PACE:cX', 'VETO_RISK:cV2']);
  });

  it('evaluates a past asOf without the events and responses after it', async () => {
    const later = byType((await at(ALERTS_LATER)).alerts);
    // iP1 resolved at T + 1 h; iD1 (due T) is overdue 2 h later; iN1 and iF1 (received T + 1 h) fall due within 24 h.
    expect(later.OVERDUE).toEqual(['iD1', 'iO1', 'iO2']);
    expect(later.DUE_SOON).toEqual(['iD2', 'iF1', 'iN1']);
    // iR2's NO (T − 72 h + 1 ms) is old enough 2 h later; iR5 was reopened at T + 1 h.
    expect(later.DENIED_NOT_REDONE).toEqual(['iR1', 'iR2']);
    // pS6 was visited at T + 1 h; pS3's visit (T − 90 × 24 h) has left the window.
    expect(later.SILENT_PAIRING).toEqual(['pS1', 'pS3', 'pS4', 'pS7']);
    expect(later.BEHIND_PACE).toEqual(['cB2', 'cX']);
    expect(later.VETO_RISK).toEqual(['cV2', 'cV4']);
    // hA3's third issue came at T + 1 h; hA1's first (T − 90 × 24 h) has left the window.
    expect(later.REPEAT_APPEALS).toEqual(['hA3']);
    // …and T again: the same as the fixture says, though the later facts are stored.
    expect(byType((await at(T)).alerts)).toEqual(ALERTS_AT_AS_OF);
  });

  it('defaults asOf to now', async () => {
    const { asOf, alerts } = await sut.list({}, UNSCOPED);
    expect(asOf.getTime()).toBe(T);
    expect(byType(alerts)).toEqual(ALERTS_AT_AS_OF);
  });

  it('keeps the alerts whose region is in the scope and under regionId', async () => {
    const officer = byType((await at(T, {}, { regionId: 't1' })).alerts);
    expect(officer.OVERDUE).toEqual(['iO1', 'iP1']);
    expect(officer.BEHIND_PACE).toEqual(['cB2', 'cB4']);
    expect(officer.REPEAT_APPEALS).toEqual(['hA1']);
    expect(byType((await at(T, { regionId: 't2' })).alerts)).toEqual({ ...Object.fromEntries(AlertTypes.values.map((t) => [t, []])), OVERDUE: ['iO2'], BEHIND_PACE: ['cX'] });
    expect(byType((await at(T, { regionId: 'v1' }, { regionId: 't1' })).alerts)).toEqual(officer);
    await expect(at(T, { regionId: 't2' }, { regionId: 't1' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(at(T, { regionId: 'nowhere' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('lists only the types asked for; counts every one of them, zeros included, in enum order', async () => {
    const page = await sut.page({ asOf: new Date(T), types: ['REPEAT_APPEALS', 'VETO_RISK', 'REPEAT_APPEALS'], first: 1 }, { regionId: 't2' });
    expect(page.countsByType).toEqual([{ type: 'VETO_RISK', count: 0 }, { type: 'REPEAT_APPEALS', count: 0 }]);
    expect(page.totalCount).toBe(0);
    const all = await sut.page({ asOf: new Date(T), first: 1 }, UNSCOPED);
    expect(all.countsByType).toEqual(AlertTypes.values.map((type) => ({ type, count: ALERTS_AT_AS_OF[type].length })));
    expect(all.totalCount).toBe(Object.values(ALERTS_AT_AS_OF).flat().length);
    expect(all.edges).toHaveLength(1);
  });

  it('pages with keyset cursors through the whole list', async () => {
    const { alerts } = await at(T);
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 20; i++) {
      const page = await sut.page({ asOf: new Date(T), first: 4, after }, UNSCOPED);
      seen.push(...page.edges.map((e) => e.node.id));
      expect(page.hasPreviousPage).toBe(after !== null);
      expect(page.totalCount).toBe(alerts.length);
      if (!page.hasNextPage) break;
      after = page.edges[page.edges.length - 1].cursor;
    }
    expect(seen).toEqual(alerts.map((a) => a.id));
  });

  it('refuses bad input before computing anything', async () => {
    const refusal = (p: Promise<unknown>) => p.then(() => null, (e) => [e.code, e.details?.argument]);
    store().resetQueries();
    expect(await refusal(sut.page({ asOf: new Date(NaN) }, UNSCOPED))).toEqual(['BAD_USER_INPUT', 'asOf']);
    expect(await refusal(sut.page({ first: 0 }, UNSCOPED))).toEqual(['BAD_USER_INPUT', 'first']);
    expect(await refusal(sut.page({ first: 501 }, UNSCOPED))).toEqual(['BAD_USER_INPUT', 'first']);
    expect(await refusal(sut.page({ after: 'nope' }, UNSCOPED))).toEqual(['BAD_USER_INPUT', 'after']);
    expect(await refusal(sut.page({ after: Buffer.from(JSON.stringify(['A', 1, 'LATE', 'x'])).toString('base64url') }, UNSCOPED))).toEqual(['BAD_USER_INPUT', 'after']);
    expect(await refusal(sut.page({ types: ['LATE' as never] }, UNSCOPED))).toEqual(['BAD_USER_INPUT', 'types']);
    expect(store().queries).toEqual([]);
  });
});
