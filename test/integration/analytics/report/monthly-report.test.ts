import { MonthlyReportData, MonthlyReportService } from '../../../../src/analytics/report/monthly-report.service';
import type { Principal } from '../../../../src/domain/access';
import { UNSCOPED } from '../../../../src/domain/access';
import { UserError } from '../../../../src/domain/errors';
import { createServices, Services } from '../../../../src/services';
import { importReportCounty, lateFacts, REPORT_AS_OF, REPORT_MONTH } from '../../../factories/report-county';
import { describeStores } from '../../../helpers/stores';

/** The hand-built county of test/factories/report-county.ts: every number below is worked out there. */
describeStores(`${MonthlyReportService.name} (hand-built county)`, (store) => {
  let services: Services;
  let clock: Date;
  let sut: MonthlyReportService;
  const admin: Principal = { kind: 'user', id: 'u-admin', name: '县群众工作办', role: 'ADMIN', regionId: null };

  beforeAll(async () => {
    services = createServices(store().config, store().ds);
    // Rollups made on the empty database and kept by every import, as at first start: the report reads them with the engine's corrections.
    await services.rollups.buildStale(() => undefined);
    await services.rollups.load();
    await importReportCounty(services.importer);
    clock = REPORT_AS_OF;
    sut = new MonthlyReportService(store().ds, store().config, services, () => clock);
  });

  const render = (measure: string, extra: Record<string, unknown> = {}) =>
    sut.render({ month: REPORT_MONTH, level: 'TOWNSHIP', measure: measure as never, asOf: REPORT_AS_OF, ...extra }, UNSCOPED);
  const places = (r: MonthlyReportData) =>
    r.rows.map((x) => [x.regionId, x.value.value, x.value.suppressed, x.rank, x.tieBand, x.previous.rank, x.previous.value.value, x.yearAgo.rank, x.yearAgo.value.value, x.rankChange, x.yearAgoRankChange]);

  it('ranks by a higher-is-better rate: ties share a rank, suppressed ranks last, bands chain, 环比 and 同比 ranked the same way', async () => {
    const r = await render('SATISFIED_RATE');
    expect(r).toMatchObject({ month: '2025-03', level: 'TOWNSHIP', measure: 'SATISFIED_RATE', better: 'HIGHER', from: '2025-03-01', to: '2025-03-31', previousMonth: '2025-02', yearAgoMonth: '2024-03', timeZone: 'Asia/Shanghai' });
    expect(r.asOf).toEqual(REPORT_AS_OF);
    // region, value, suppressed, rank, band, 环比 rank and value, 同比 rank and value, rank changes
    expect(places(r)).toEqual([
      ['t1', 1, false, 1, 1, 4, 0.4, 1, 1, 3, 0],
      ['t2', 0.6, false, 2, 2, 1, 1, 5, 0.2, -1, 3],
      ['t3', 0.6, false, 2, 2, 5, null, 3, 0.6, null, 1],
      ['t4', 0.3, false, 4, 2, 2, 0.8, 3, 0.6, -2, -1],
      ['t5', null, true, 5, 3, 3, 0.6, 2, 0.9, null, null],
    ]);
    expect(r.rows[0].value).toMatchObject({ numerator: 20, denominator: 20 });
    expect(r.rows[0].value.low).toBeCloseTo(0.8389, 4);
    expect(r.rows[1].value.high).toBeCloseTo(0.8318, 4);
    expect(r.rows[4].value).toMatchObject({ numerator: null, denominator: null });
    expect(r.rows[2].previous.value.suppressed).toBe(true);
    // The last three with a value: t2, t3 (tied), t4; the suppressed t5 is not named.
    expect(r.bottom.map((x) => x.regionId)).toEqual(['t2', 't3', 't4']);
  });

  it('ranks lower-is-better measures smallest first, and counts with ties at the bottom line', async () => {
    const dis = await render('DISSATISFIED_RATE');
    expect(dis.better).toBe('LOWER');
    expect(places(dis)).toEqual([
      ['t1', 0, false, 1, 1, 4, 0.6, 1, 0, 3, 0],
      ['t4', 0.1, false, 2, 1, 3, 0.2, 1, 0, 1, -1],
      ['t2', 0.4, false, 3, 1, 1, 0, 5, 0.8, -2, 2],
      ['t3', 0.4, false, 3, 1, 5, null, 4, 0.4, null, 1],
      ['t5', null, true, 5, 2, 1, 0, 3, 0.1, null, null],
    ]);
    expect(dis.bottom.map((x) => x.regionId)).toEqual(['t4', 't2', 't3']);

    const visits = await render('VISITS');
    expect(visits.rows.map((x) => [x.regionId, x.value.value, x.rank, x.tieBand, x.previous.rank, x.yearAgo.rank, x.rankChange])).toEqual([
      ['t1', 3, 1, 1, 3, 2, 2],
      ['t2', 2, 2, 2, 2, 3, 0],
      ['t3', 2, 2, 2, 1, 3, -1],
      ['t4', 1, 4, 3, 3, 3, -1],
      ['t5', 0, 5, 4, 3, 1, -2],
    ]);
    // The third valued row from the end is t3 at rank 2, which t2 shares: four rows.
    expect(visits.bottom.map((x) => x.regionId)).toEqual(['t2', 't3', 't4', 't5']);
  });

  it('defaults to the three-rate score, where null values rank last and the month before has none', async () => {
    const r = await sut.render({ month: REPORT_MONTH, level: 'TOWNSHIP', asOf: REPORT_AS_OF }, UNSCOPED);
    expect(r.measure).toBe('THREE_RATE_SCORE');
    expect(r.rows.map((x) => [x.regionId, x.value.value, x.rank, x.tieBand, x.previous.rank, x.previous.value.value])).toEqual([
      ['t1', 70, 1, 1, 1, null],
      ['t2', 50, 2, 2, 1, null],
      ['t3', null, 3, 3, 1, null],
      ['t4', null, 3, 3, 1, null],
      ['t5', null, 3, 3, 1, null],
    ]);
    expect(r.bottom.map((x) => x.regionId)).toEqual(['t1', 't2']);
  });

  it('lists the departments by transfer rate, the vetoed and behind-pace cadres, and the festival-only townships', async () => {
    const r = await render('SATISFIED_RATE');
    const rate = (v: { value: number | null; numerator: number | null; denominator: number | null }) => [v.numerator, v.denominator, v.value];
    expect(r.departments.map((d) => [d.departmentId, d.rank, d.tieBand, d.issues, rate(d.transferRate), d.avgTransfers.value, rate(d.onTimeRate), rate(d.falseClosureRate), rate(d.contactedRate)])).toEqual([
      ['dA', 1, 1, 2, [0, 2, 0], 0, [2, 2, 1], [0, 2, 0], [2, 2, 1]],
      ['dC', 1, 1, 1, [0, 1, 0], 0, [0, 1, 0], [0, 0, null], [0, 0, null]],
      ['dB', 3, 1, 2, [2, 2, 1], 1.5, [1, 2, 0.5], [1, 2, 0.5], [1, 2, 0.5]],
      [null, null, null, 1, [0, 1, 0], 0, [0, 0, null], [0, 0, null], [0, 0, null]],
    ]);
    expect(r.departments.every((d) => d.rankedBy === 'TRANSFER_RATE')).toBe(true);

    expect(r.scorecardYear).toBe(2025);
    expect(r.cadresAsOf).toEqual(new Date('2025-03-31T23:59:59.999+08:00'));
    expect(r.vetoedCadres.map((c) => [c.cadreId, c.satisfaction.numerator, c.satisfaction.denominator])).toEqual([['cE', 7, 15]]);
    expect(r.behindPaceCadres.map((c) => [c.cadreId, c.stayDays, c.stayQuota])).toEqual([
      ['cC', 0, 60],
      ['cE', 0, 60],
      ['cF', 0, 60],
      ['cB', 12, 60],
    ]);
    expect(r.behindPaceCadres[3].stayPace).toBeCloseTo((60 * 90) / 365, 10);

    expect([r.festivalFrom, r.festivalTo]).toEqual(['2024-04-01', '2025-03-31']);
    expect(r.festivalRegions.map((f) => [f.regionId, f.visits, f.holidayVisits, f.share.value, f.flagged])).toEqual([['t3', 10, 8, 0.8, true]]);
  });

  it('covers only the scope or the region asked for', async () => {
    const r = await sut.render({ month: REPORT_MONTH, level: 'TOWNSHIP', measure: 'SATISFIED_RATE', asOf: REPORT_AS_OF }, { regionId: 't4' });
    expect(r.rows.map((x) => [x.regionId, x.rank, x.previous.rank, x.yearAgo.rank])).toEqual([['t4', 1, 1, 1]]);
    expect(r.departments.map((d) => [d.departmentId, d.issues])).toEqual([[null, 1]]);
    expect(r.vetoedCadres.map((c) => c.cadreId)).toEqual(['cE']);
    expect(r.behindPaceCadres.map((c) => c.cadreId)).toEqual(['cE']);
    const t3 = await render('VISITS', { regionId: 't3' });
    expect(t3.rows.map((x) => x.regionId)).toEqual(['t3']);
    expect(t3.festivalRegions.map((f) => f.regionId)).toEqual(['t3']);
  });

  it('refuses bad input with BAD_USER_INPUT naming the argument, before computing anything', async () => {
    const refusal = async (args: Record<string, unknown>) => {
      try {
        await sut.render({ month: REPORT_MONTH, level: 'TOWNSHIP', asOf: REPORT_AS_OF, ...args } as never, UNSCOPED);
      } catch (err) {
        expect(err).toBeInstanceOf(UserError);
        return [(err as UserError).code, (err as UserError).details.argument, (err as UserError).message];
      }
      throw new Error(`accepted ${JSON.stringify(args)}`);
    };
    for (const month of ['2026-13', '2025-00', '2025-3', '25-03', 'March', '', '1999-12']) {
      expect((await refusal({ month })).slice(0, 2)).toEqual(['BAD_USER_INPUT', 'month']);
    }
    expect((await refusal({ month: '2026-13' }))[2]).toContain('"2026-13"');
    // A month that has not begun as of asOf.
    expect((await refusal({ month: '2025-05' })).slice(0, 2)).toEqual(['BAD_USER_INPUT', 'month']);
    // No village in this county; no county under a township; not a level at all.
    expect((await refusal({ level: 'VILLAGE' })).slice(0, 2)).toEqual(['BAD_USER_INPUT', 'level']);
    expect((await refusal({ level: 'COUNTY', regionId: 't1' })).slice(0, 2)).toEqual(['BAD_USER_INPUT', 'level']);
    expect((await refusal({ level: 'PROVINCE' })).slice(0, 2)).toEqual(['BAD_USER_INPUT', 'level']);
    expect((await refusal({ measure: 'NO_SUCH_MEASURE' })).slice(0, 2)).toEqual(['BAD_USER_INPUT', 'measure']);
    expect((await refusal({ asOf: new Date(NaN) })).slice(0, 2)).toEqual(['BAD_USER_INPUT', 'asOf']);
    await expect(sut.render({ month: REPORT_MONTH, level: 'TOWNSHIP', regionId: 'nowhere' }, UNSCOPED)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(sut.render({ month: REPORT_MONTH, level: 'TOWNSHIP', regionId: 't1' }, { regionId: 't2' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  describe('publishing', () => {
    it('renders a published report the same after late facts arrive; republishing makes a new version and keeps the old one', async () => {
      const key = { month: REPORT_MONTH, level: 'TOWNSHIP' as const, measure: 'SATISFIED_RATE' as const };
      clock = REPORT_AS_OF;
      const first = await sut.publish(key, admin);
      expect(first.publication).toMatchObject({ ...key, regionId: null, version: 1, publishedBy: { kind: 'user', id: 'u-admin', name: '县群众工作办', role: 'ADMIN' } });
      expect(first.publication.asOf).toEqual(REPORT_AS_OF);
      expect(first.publication.publishedAt).toEqual(REPORT_AS_OF);
      expect(first.report).toEqual(await render('SATISFIED_RATE'));

      for (const [dataset, records] of lateFacts()) await services.importer.importRecords(dataset, records);
      // The engine answers from the rollups the import kept, corrected as of asOf.
      const month = { from: '2025-03-01', to: '2025-03-31', asOf: REPORT_AS_OF, dimensions: ['REGION' as const], regionLevel: 'TOWNSHIP' as const };
      expect((await services.metrics.compute({ ...month, measures: ['SATISFIED_RATE'] }, UNSCOPED)).servedByRollup).toBe(true);
      expect((await services.metrics.compute({ ...month, measures: ['CONTACTED_RATE'], dimensions: ['DEPARTMENT'] }, UNSCOPED)).servedByRollup).toBe(true);

      // The published version reads exactly as it was published.
      const again = await sut.published({ ...key, version: 1 }, UNSCOPED);
      expect(again.report).toEqual(first.report);
      expect(again.publication).toEqual(first.publication);

      // Why it is stored: a late fact dated inside the month changes an as-of render (t5's fifth response) …
      const asOfNow = await render('SATISFIED_RATE');
      expect(asOfNow.rows.map((x) => [x.regionId, x.rank, x.value.value])).toEqual([
        ['t1', 1, 1],
        ['t5', 1, 1],
        ['t2', 3, 0.6],
        ['t3', 3, 0.6],
        ['t4', 5, 0.3],
      ]);
      // … while one dated after asOf does not (the engine's as-of state): the departments as of asOf are unchanged,
      expect(asOfNow.departments).toEqual(first.report.departments);
      // and only a later asOf counts it (dC's callback on 20 April: contacted 0 of 1).
      const later = await render('SATISFIED_RATE', { asOf: new Date('2025-04-25T00:00:00+08:00') });
      expect(later.departments.find((d) => d.departmentId === 'dC')!.contactedRate).toMatchObject({ numerator: 0, denominator: 1, value: 0 });

      clock = new Date('2025-04-25T09:00:00+08:00');
      const second = await sut.publish(key, { ...admin, id: 'u-2', name: '另一位管理员' });
      expect(second.publication).toMatchObject({ version: 2, publishedBy: { name: '另一位管理员' } });
      expect(second.report.rows.find((x) => x.regionId === 't5')!.value.value).toBe(1);
      expect((await sut.published({ ...key, version: 1 }, UNSCOPED)).report).toEqual(first.report);
      expect((await sut.published({ ...key, version: 2 }, UNSCOPED)).report).toEqual(second.report);

      // Another report key starts its own versions.
      const visits = await sut.publish({ ...key, measure: 'VISITS', regionId: 't3' }, admin);
      expect(visits.publication.version).toBe(1);

      const list = await sut.list({}, UNSCOPED);
      expect(list.map((p) => [p.measure, p.regionId, p.version, p.publishedBy.name])).toEqual([
        ['SATISFIED_RATE', null, 2, '另一位管理员'],
        ['VISITS', 't3', 1, '县群众工作办'],
        ['SATISFIED_RATE', null, 1, '县群众工作办'],
      ]);
      expect((await sut.list({ measure: 'VISITS' }, UNSCOPED)).map((p) => p.id)).toEqual([visits.publication.id]);
      // An OFFICER sees the reports of regions in its subtree only, and may read those.
      expect((await sut.list({}, { regionId: 't3' })).map((p) => p.id)).toEqual([visits.publication.id]);
      expect((await sut.list({}, { regionId: 't2' })).map((p) => p.id)).toEqual([]);
      await expect(sut.published({ ...key, version: 1 }, { regionId: 't3' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
      expect((await sut.published({ ...key, measure: 'VISITS', regionId: 't3', version: 1 }, { regionId: 't3' })).report).toEqual(visits.report);
      await expect(sut.published({ ...key, version: 3 }, UNSCOPED)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(sut.published({ ...key, version: 0 }, UNSCOPED)).rejects.toMatchObject({ code: 'BAD_USER_INPUT', details: { argument: 'version' } });
    });

    it('publishes nothing when the report cannot be rendered', async () => {
      const before = await sut.list({}, UNSCOPED);
      await expect(sut.publish({ month: '2026-13', level: 'TOWNSHIP' }, admin)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
      await expect(sut.publish({ month: REPORT_MONTH, level: 'GROUP' }, admin)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
      expect(await sut.list({}, UNSCOPED)).toEqual(before);
    });
  });
});
