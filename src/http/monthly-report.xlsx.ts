import type { Writable } from 'node:stream';
import * as ExcelJS from 'exceljs';
import { Measure, Measures, MetricUnit } from '../analytics/analytics.enums';
import { CATALOGUE, MetricValueData } from '../analytics/catalogue';
import type { DepartmentRowData } from '../analytics/dashboard/departments';
import type { ScorecardData } from '../analytics/dashboard/scorecard.service';
import { MonthlyReportData, ReportRowData, reportTitle } from '../analytics/report/monthly-report.service';
import type { PublicationData } from '../analytics/report/published-reports';
import { CadreRank, CadreRanks, RegionLevels } from '../domain/enums';

/*
 * The monthly report as an XLSX workbook, written with exceljs's streaming writer straight into
 * the response: one sheet per section, Chinese headers, the header row frozen, every number a
 * numeric cell with a number format (rates as percent with one decimal), a suppressed or empty
 * value a blank cell (样本不足 says why) — never text that looks like a number.
 */

/** Names the workbook shows for the ids in a report. */
export interface ReportNames {
  region(id: string | null): string;
  department(id: string | null): string;
  cadre(id: string): { name: string; rank: CadreRank | null; regionName: string };
}

type Cell = string | number | null;
interface Column {
  header: string;
  width: number;
  /** Number format of the column's numeric cells. */
  numFmt?: string;
}

const PERCENT = '0.0%';
const ONE_DECIMAL = '0.0';
const TWO_DECIMALS = '0.00';
const INTEGER = '0';

/** Measures whose unit is a count but whose value is a mean. */
const MEANS = new Set<Measure>(['AVG_TRANSFERS']);

/** The number format of a measure's values: rates as percent, scores and hours with one decimal, counts whole (means with two decimals). */
export function formatOf(measure: Measure, unit: MetricUnit): string {
  if (unit === 'RATE') return PERCENT;
  if (unit === 'SCORE' || unit === 'HOURS') return ONE_DECIMAL;
  return MEANS.has(measure) ? TWO_DECIMALS : INTEGER;
}

/** The sheets' names, in order (at most 31 characters each, as Excel wants). */
export const SHEETS = {
  cover: '通报',
  ranking: '排名',
  bottom: '后三名',
  departments: '承办单位',
  vetoed: '一票否决干部',
  behindPace: '驻村进度落后干部',
  festival: '逢年过节走访',
} as const;

const num = (v: number | null | undefined): Cell => (v === null || v === undefined ? null : v);
const yes = (b: boolean) => (b ? '是' : '');

/** Writes the report's workbook into `out` (ends it). */
export async function writeMonthlyReportXlsx(out: Writable, report: MonthlyReportData, names: ReportNames, publication: PublicationData | null): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = 'Minqing';
  wb.created = report.asOf;

  const sheet = (name: string, columns: Column[], rows: Cell[][]) => {
    const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
    ws.columns = columns.map((c, i) => ({ key: `c${i}`, width: c.width, style: c.numFmt ? { numFmt: c.numFmt } : {} }));
    const header = ws.addRow(columns.map((c) => c.header));
    header.font = { bold: true };
    header.commit();
    for (const r of rows) ws.addRow(r).commit();
    ws.commit();
  };

  const def = CATALOGUE.get(report.measure)!;
  const measureName = Measures.labels[report.measure][0];
  const valueFmt = formatOf(report.measure, def.unit);
  const intervalFmt = def.unit === 'RATE' ? PERCENT : valueFmt;
  const level = RegionLevels.labels[report.level][0];
  const local = (d: Date) => d.toLocaleString('zh-CN', { timeZone: report.timeZone, hour12: false });

  sheet(
    SHEETS.cover,
    [
      { header: '项目', width: 16 },
      { header: '内容', width: 60 },
    ],
    [
      ['标题', reportTitle(report.month)],
      ['月份', report.month],
      ['范围', report.regionId === null ? '全部' : names.region(report.regionId)],
      ['排名层级', level],
      ['排名指标', `${measureName} (${report.measure})`],
      ['排序', def.better === 'LOWER' ? '越低越好' : def.better === 'NONE' ? '按规模，从大到小' : '越高越好'],
      ['环比月份', report.previousMonth],
      ['同比月份', report.yearAgoMonth],
      ['数据截至', `${local(report.asOf)} (${report.timeZone})`],
      ['干部考核截至', local(report.cadresAsOf)],
      ['节日走访统计期', `${report.festivalFrom} 至 ${report.festivalTo}`],
      ['发布版本', publication ? `第${publication.version}版` : '未发布（实时）'],
      ['发布人', publication ? publication.publishedBy.name : ''],
      ['发布时间', publication ? local(publication.publishedAt) : ''],
    ],
  );

  const rankColumns: Column[] = [
    { header: '名次', width: 8, numFmt: INTEGER },
    { header: '并列组', width: 8, numFmt: INTEGER },
    { header: level, width: 18 },
    { header: '区域编号', width: 16 },
    { header: measureName, width: 14, numFmt: valueFmt },
    { header: '分子', width: 10, numFmt: INTEGER },
    { header: '分母', width: 10, numFmt: INTEGER },
    { header: '95%下限', width: 10, numFmt: intervalFmt },
    { header: '95%上限', width: 10, numFmt: intervalFmt },
    { header: '样本不足', width: 10 },
    { header: '上月名次', width: 10, numFmt: INTEGER },
    { header: `上月${measureName}`, width: 14, numFmt: valueFmt },
    { header: '名次变化(环比)', width: 14, numFmt: '+0;-0;0' },
    { header: '去年同月名次', width: 12, numFmt: INTEGER },
    { header: `去年同月${measureName}`, width: 16, numFmt: valueFmt },
    { header: '名次变化(同比)', width: 14, numFmt: '+0;-0;0' },
  ];
  const rankRow = (r: ReportRowData): Cell[] => [
    r.rank,
    r.tieBand,
    names.region(r.regionId),
    r.regionId,
    num(r.value.value),
    num(r.value.numerator),
    num(r.value.denominator),
    num(r.value.low),
    num(r.value.high),
    yes(r.value.suppressed),
    r.previous.rank,
    num(r.previous.value.value),
    num(r.rankChange),
    r.yearAgo.rank,
    num(r.yearAgo.value.value),
    num(r.yearAgoRankChange),
  ];
  sheet(SHEETS.ranking, rankColumns, report.rows.map(rankRow));
  sheet(SHEETS.bottom, rankColumns, report.bottom.map(rankRow));

  const rate = (v: MetricValueData): Cell[] => [num(v.numerator), num(v.denominator), num(v.value)];
  sheet(
    SHEETS.departments,
    [
      { header: '名次(按转办率)', width: 12, numFmt: INTEGER },
      { header: '并列组', width: 8, numFmt: INTEGER },
      { header: '承办单位', width: 18 },
      { header: '受理诉求数', width: 12, numFmt: INTEGER },
      { header: '转办诉求数', width: 12, numFmt: INTEGER },
      { header: '受理数', width: 10, numFmt: INTEGER },
      { header: '退单/转办率', width: 12, numFmt: PERCENT },
      { header: '平均转办次数', width: 12, numFmt: TWO_DECIMALS },
      { header: '按时办结数', width: 12, numFmt: INTEGER },
      { header: '有办理期限数', width: 12, numFmt: INTEGER },
      { header: '按时办结率', width: 12, numFmt: PERCENT },
      { header: '群众否认数', width: 12, numFmt: INTEGER },
      { header: '办结且有答复数', width: 14, numFmt: INTEGER },
      { header: '报喜不报忧率', width: 12, numFmt: PERCENT },
      { header: '已联系数', width: 10, numFmt: INTEGER },
      { header: '有联系答复数', width: 12, numFmt: INTEGER },
      { header: '联系率', width: 10, numFmt: PERCENT },
    ],
    report.departments.map((d: DepartmentRowData) => [
      num(d.rank),
      num(d.tieBand),
      names.department(d.departmentId),
      d.issues,
      ...rate(d.transferRate),
      num(d.avgTransfers.value),
      ...rate(d.onTimeRate),
      ...rate(d.falseClosureRate),
      ...rate(d.contactedRate),
    ]),
  );

  const cadreCells = (c: ScorecardData): Cell[] => {
    const who = names.cadre(c.cadreId);
    return [who.name, who.rank ? CadreRanks.labels[who.rank][0] : '', who.regionName];
  };
  sheet(
    SHEETS.vetoed,
    [
      { header: '干部', width: 12 },
      { header: '职级', width: 14 },
      { header: '所在区域', width: 18 },
      { header: '满意数', width: 10, numFmt: INTEGER },
      { header: '回访数', width: 10, numFmt: INTEGER },
      { header: '满意率', width: 10, numFmt: PERCENT },
      { header: '否决原因', width: 50 },
    ],
    report.vetoedCadres.map((c) => [...cadreCells(c), ...rate(c.satisfaction), c.vetoReason ?? '']),
  );
  sheet(
    SHEETS.behindPace,
    [
      { header: '干部', width: 12 },
      { header: '职级', width: 14 },
      { header: '所在区域', width: 18 },
      { header: '驻村天数', width: 10, numFmt: '0.#' },
      { header: '年度任务(天)', width: 12, numFmt: INTEGER },
      { header: '按进度应驻(天)', width: 14, numFmt: ONE_DECIMAL },
      { header: '完成进度', width: 10, numFmt: PERCENT },
    ],
    report.behindPaceCadres.map((c) => [...cadreCells(c), c.stayDays, c.stayQuota, c.stayPace, c.stayPace > 0 ? c.stayDays / c.stayPace : null]),
  );
  sheet(
    SHEETS.festival,
    [
      { header: level, width: 18 },
      { header: '区域编号', width: 16 },
      { header: '走访次数', width: 10, numFmt: INTEGER },
      { header: '节日走访次数', width: 12, numFmt: INTEGER },
      { header: '节日走访占比', width: 12, numFmt: PERCENT },
    ],
    report.festivalRegions.map((f) => [names.region(f.regionId), f.regionId, f.visits, f.holidayVisits, num(f.share.value)]),
  );
  await wb.commit();
}
