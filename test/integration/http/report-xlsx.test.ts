import * as ExcelJS from 'exceljs';
import request from 'supertest';
import type { MonthlyReportData } from '../../../src/analytics/report/monthly-report.service';
import { UNSCOPED } from '../../../src/domain/access';
import { SHEETS } from '../../../src/http/monthly-report.xlsx';
import { XLSX_TYPE } from '../../../src/http/report.routes';
import { importReportCounty, REPORT_AS_OF, REPORT_MONTH } from '../../factories/report-county';
import { graphqlClient } from '../../helpers/graphql-client';
import { describeStores } from '../../helpers/stores';

/** Collects a binary response body. */
const binary = (res: request.Response, done: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

async function workbookOf(body: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as never);
  return wb;
}

/** A sheet's rows as arrays of cell values (row 1 = the header), and the number format of each cell. */
function rowsOf(ws: ExcelJS.Worksheet): { values: unknown[][]; formats: string[][] } {
  const values: unknown[][] = [];
  const formats: string[][] = [];
  ws.eachRow({ includeEmpty: false }, (row) => {
    const v: unknown[] = [];
    const f: string[] = [];
    for (let c = 1; c <= ws.columnCount; c++) {
      const cell = row.getCell(c);
      v.push(cell.value === undefined ? null : cell.value);
      f.push(cell.numFmt ?? '');
    }
    values.push(v);
    formats.push(f);
  });
  return { values, formats };
}

/** `GET /api/reports/monthly.xlsx`: the workbook opened with exceljs and checked cell by cell against monthlyReport. */
describeStores('monthly report XLSX', (store) => {
  const client = graphqlClient(store);
  let report: MonthlyReportData;
  const query = { month: REPORT_MONTH, level: 'TOWNSHIP', measure: 'SATISFIED_RATE', asOf: REPORT_AS_OF.toISOString() };
  beforeAll(async () => {
    await importReportCounty(client.app().services.importer);
    report = await client.app().services.reports.render({ month: REPORT_MONTH, level: 'TOWNSHIP', measure: 'SATISFIED_RATE', asOf: REPORT_AS_OF }, UNSCOPED);
  });
  const get = (q: Record<string, string>, auth?: string) => {
    const r = request(client.app().app).get('/api/reports/monthly.xlsx').query(q);
    return (auth ? r.set('Authorization', auth) : r).buffer(true).parse(binary);
  };

  it('has one sheet per section, Chinese headers frozen in row 1, numbers as numeric cells with number formats', async () => {
    const res = await client.http().get('/api/reports/monthly.xlsx').query(query).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(XLSX_TYPE);
    expect(res.headers['content-disposition']).toBe('attachment; filename="minqing-monthly-report-2025-03-TOWNSHIP-SATISFIED_RATE.xlsx"');
    expect(res.headers['x-data-as-of']).toBe(REPORT_AS_OF.toISOString());
    const wb = await workbookOf(res.body);
    expect(wb.worksheets.map((w) => w.name)).toEqual(Object.values(SHEETS));
    for (const ws of wb.worksheets) expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });

    const cover = rowsOf(wb.getWorksheet(SHEETS.cover)!).values;
    expect(cover[1]).toEqual(['标题', '关于2025年3月群众诉求办理情况的通报']);
    expect(cover.find((r) => r[0] === '发布版本')).toEqual(['发布版本', '未发布（实时）']);

    const ranking = rowsOf(wb.getWorksheet(SHEETS.ranking)!);
    expect(ranking.values[0]).toEqual(['名次', '并列组', '乡镇街道', '区域编号', '满意率', '分子', '分母', '95%下限', '95%上限', '样本不足', '上月名次', '上月满意率', '名次变化(环比)', '去年同月名次', '去年同月满意率', '名次变化(同比)']);
    const cells = ranking.values.slice(1);
    expect(cells.map((r) => r.slice(0, 4))).toEqual([
      [1, 1, '东镇', 't1'],
      [2, 2, '西镇', 't2'],
      [2, 2, '南镇', 't3'],
      [4, 2, '北镇', 't4'],
      [5, 3, '中镇', 't5'],
    ]);
    // Each row against monthlyReport: numbers are numbers (never text); a suppressed value is a blank cell marked 样本不足.
    report.rows.forEach((r, i) => {
      expect(cells[i]).toEqual([
        r.rank, r.tieBand, cells[i][2], r.regionId, r.value.value, r.value.numerator, r.value.denominator, r.value.low, r.value.high,
        r.value.suppressed ? '是' : null, r.previous.rank, r.previous.value.value, r.rankChange, r.yearAgo.rank, r.yearAgo.value.value, r.yearAgoRankChange,
      ]);
    });
    expect(typeof cells[0][4]).toBe('number');
    expect(ranking.formats[1].slice(0, 9)).toEqual(['0', '0', '', '', '0.0%', '0', '0', '0.0%', '0.0%']);
    expect(rowsOf(wb.getWorksheet(SHEETS.bottom)!).values.slice(1).map((r) => r[3])).toEqual(['t2', 't3', 't4']);

    const departments = rowsOf(wb.getWorksheet(SHEETS.departments)!);
    expect(departments.values[0].slice(0, 7)).toEqual(['名次(按转办率)', '并列组', '承办单位', '受理诉求数', '转办诉求数', '受理数', '退单/转办率']);
    expect(departments.values.slice(1)).toEqual(
      report.departments.map((d) => [
        d.rank, d.tieBand, d.departmentId === null ? '（未分派）' : { dA: '民政局', dB: '住建局', dC: '人社局' }[d.departmentId], d.issues,
        d.transferRate.numerator, d.transferRate.denominator, d.transferRate.value, d.avgTransfers.value,
        d.onTimeRate.numerator, d.onTimeRate.denominator, d.onTimeRate.value,
        d.falseClosureRate.numerator, d.falseClosureRate.denominator, d.falseClosureRate.value,
        d.contactedRate.numerator, d.contactedRate.denominator, d.contactedRate.value,
      ]),
    );
    expect(departments.formats[3][6]).toBe('0.0%');
    expect(departments.formats[3][7]).toBe('0.00');

    const vetoed = rowsOf(wb.getWorksheet(SHEETS.vetoed)!).values;
    expect(vetoed.slice(1).map((r) => r.slice(0, 6))).toEqual([['周干部', '一般干部', '北镇', 7, 15, 7 / 15]]);
    const behind = rowsOf(wb.getWorksheet(SHEETS.behindPace)!);
    expect(behind.values.slice(1).map((r) => [r[0], r[3], r[4], r[5]])).toEqual(report.behindPaceCadres.map((c) => [expect.any(String), c.stayDays, c.stayQuota, c.stayPace]));
    expect(behind.formats[1][5]).toBe('0.0');
    expect(rowsOf(wb.getWorksheet(SHEETS.festival)!).values.slice(1)).toEqual([['南镇', 't3', 10, 8, 0.8]]);
  });

  it('answers a published version with its cover naming it, and a session cookie works as well as a Bearer token', async () => {
    const { publishMonthlyReport: p } = await client.data('mutation { publishMonthlyReport(month: "2025-03", level: TOWNSHIP, measure: SATISFIED_RATE) { version } }');
    await client.app().auth.createUser({ username: 'xlsx-analyst', password: 'xlsx-password-1', role: 'ANALYST' });
    const agent = request.agent(client.app().app);
    expect((await agent.post('/auth/login').send({ username: 'xlsx-analyst', password: 'xlsx-password-1' })).status).toBe(200);
    const res = await agent.get('/api/reports/monthly.xlsx').query({ month: REPORT_MONTH, level: 'TOWNSHIP', measure: 'SATISFIED_RATE', version: String(p.version) }).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toContain(`-v${p.version}.xlsx`);
    const cover = rowsOf((await workbookOf(res.body)).getWorksheet(SHEETS.cover)!).values;
    expect(cover.find((r) => r[0] === '发布版本')).toEqual(['发布版本', `第${p.version}版`]);
    expect(cover.find((r) => r[0] === '发布人')).toEqual(['发布人', 'test client']);
  });

  it('refuses without credentials, roles that may not read, bad parameters and regions outside the scope, as JSON', async () => {
    const none = await get(query);
    expect([none.status, JSON.parse(none.body.toString()).error]).toEqual([401, 'UNAUTHENTICATED']);
    const ingest = await get(query, await client.bearer('INGEST'));
    expect([ingest.status, JSON.parse(ingest.body.toString()).error]).toEqual([403, 'FORBIDDEN']);
    const admin = await client.bearer('ADMIN');
    for (const [q, argument] of [
      [{ ...query, month: '2026-13' }, 'month'],
      [{ ...query, level: 'PROVINCE' }, 'level'],
      [{ ...query, level: 'VILLAGE' }, 'level'],
      [{ ...query, measure: 'NOPE' }, 'measure'],
      [{ ...query, asOf: 'yesterday' }, 'asOf'],
      [{ ...query, version: '1' }, 'asOf'],
      [{ month: REPORT_MONTH, level: 'TOWNSHIP', version: '-2' }, 'version'],
      [{ ...query, format: 'csv' }, 'format'],
    ] as const) {
      const res = await get(q as Record<string, string>, admin);
      const body = JSON.parse(res.body.toString());
      expect([res.status, body.error, body.argument]).toEqual([400, 'BAD_USER_INPUT', argument]);
      expect(res.headers['content-disposition']).toBeUndefined();
    }
    const officer = await client.bearer('OFFICER', 't2');
    const outside = await get({ ...query, regionId: 't1' }, officer);
    expect([outside.status, JSON.parse(outside.body.toString()).error]).toEqual([403, 'FORBIDDEN']);
    const inside = await get(query, officer);
    expect(inside.status).toBe(200);
    const rows = rowsOf((await workbookOf(inside.body)).getWorksheet(SHEETS.ranking)!).values.slice(1);
    expect(rows.map((r) => r[3])).toEqual(['t2']);
  });
});
