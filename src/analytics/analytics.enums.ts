import { registerEnumType } from 'type-graphql';

/** An enum's values with [Chinese, English] labels, as src/domain/enums.ts does. */
function labelled<K extends string>(labels: Record<K, [zh: string, en: string]>) {
  const values = Object.keys(labels) as K[];
  const obj = Object.fromEntries(values.map((v) => [v, v])) as { [P in K]: P };
  return { values, enum: obj, labels };
}

export const Measures = labelled({
  RESPONSES: ['回访数', 'Responses'],
  SATISFACTION_AVG: ['平均满意度', 'Mean satisfaction score'],
  SATISFIED_RATE: ['满意率', 'Satisfied rate'],
  DISSATISFIED_RATE: ['不满意率', 'Dissatisfied rate'],
  ISSUES_RECEIVED: ['受理诉求数', 'Issues received'],
  RESPONSE_RATE: ['响应率', 'Response rate'],
  CLOSURE_RATE: ['办结率', 'Closure rate'],
  RESOLUTION_RATE: ['解决率', 'Resolution rate'],
  FALSE_CLOSURE_RATE: ['报喜不报忧率', 'False closure rate'],
  ISSUE_SATISFIED_RATE: ['诉求满意率', 'Issue satisfied rate'],
  ON_TIME_RATE: ['按时办结率', 'On-time rate'],
  MEDIAN_HOURS_TO_RESOLVE: ['办结时长中位数(小时)', 'Median hours to resolve'],
  P90_HOURS_TO_RESOLVE: ['办结时长90分位(小时)', '90th percentile hours to resolve'],
  MEDIAN_HOURS_TO_FIRST_RESPONSE: ['首次响应时长中位数(小时)', 'Median hours to first response'],
  TRANSFER_RATE: ['退单/转办率', 'Transfer rate'],
  AVG_TRANSFERS: ['平均转办次数', 'Mean transfers'],
  REOPEN_RATE: ['重办率', 'Reopen rate'],
  PROACTIVE_RATE: ['未诉先办率', 'Proactive rate'],
  CONTACTED_RATE: ['联系率', 'Contacted rate'],
  REPEAT_RATE: ['重复诉求率', 'Repeat appeal rate'],
  BACKLOG: ['积压诉求数', 'Backlog'],
  THREE_RATE_SCORE: ['三率综合得分', 'Three-rate score'],
  VISITS: ['走访次数', 'Visits'],
  HOUSEHOLDS_VISITED: ['走访户数', 'Households visited'],
  VILLAGE_STAY_DAYS: ['驻村天数', 'Village stay days'],
  HOLIDAY_VISIT_SHARE: ['逢年过节走访占比', 'Holiday visit share'],
  VISIT_ISSUE_RATE: ['民情转诉求率', 'Visit issue rate'],
  PAIRED_COVERAGE: ['结对联系率', 'Paired coverage'],
  VISIT_COVERAGE: ['走访覆盖率', 'Visit coverage'],
  PAIRED_HOUSEHOLD_RATE: ['结对覆盖率', 'Paired household rate'],
});
export type Measure = (typeof Measures.values)[number];

export const Dimensions = labelled({
  REGION: ['区域', 'Region'],
  PERIOD: ['时段', 'Period'],
  CADRE: ['干部', 'Cadre'],
  DEPARTMENT: ['职能部门', 'Department'],
  CATEGORY: ['诉求类别', 'Category'],
  CHANNEL: ['诉求渠道', 'Channel'],
});
export type Dimension = (typeof Dimensions.values)[number];

export const Granularities = labelled({
  DAY: ['日', 'Day'],
  WEEK: ['周(周一起)', 'ISO week (from Monday)'],
  MONTH: ['月', 'Month'],
  QUARTER: ['季度', 'Quarter'],
  YEAR: ['年', 'Year'],
});
export type Granularity = (typeof Granularities.values)[number];

export const MetricUnits = labelled({
  COUNT: ['个', 'Count'],
  RATE: ['比率(0–1)', 'Rate (0–1)'],
  SCORE: ['分', 'Score'],
  HOURS: ['小时', 'Hours'],
  DAYS: ['天', 'Days'],
});
export type MetricUnit = (typeof MetricUnits.values)[number];

/** Which way a measure is better (metrics.md): rankings and reports order by it. */
export const BetterDirections = labelled({
  HIGHER: ['越高越好', 'Higher is better'],
  LOWER: ['越低越好', 'Lower is better'],
  NONE: ['按规模排序', 'Neither (ranked by size, largest first)'],
});
export type Better = (typeof BetterDirections.values)[number];

/** Registers an analytics enum with GraphQL, each value described by its labels (as graphql/enums.ts). */
function register<K extends string>(name: string, def: { enum: { [P in K]: P }; labels: Record<K, [string, string]> }) {
  registerEnumType(def.enum, {
    name,
    valuesConfig: Object.fromEntries(
      Object.entries(def.labels).map(([k, v]) => [k, { description: `${(v as string[])[0]} (${(v as string[])[1]})` }]),
    ) as never,
  });
  return def.enum;
}

export const MeasureEnum = register('Measure', Measures);
export const DimensionEnum = register('Dimension', Dimensions);
export const GranularityEnum = register('Granularity', Granularities);
export const MetricUnitEnum = register('MetricUnit', MetricUnits);
export const BetterEnum = register('Better', BetterDirections);
