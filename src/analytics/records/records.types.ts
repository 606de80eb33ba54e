import { Field, ObjectType, registerEnumType } from 'type-graphql';
import type { Measure } from '../analytics.enums';
import { MeasureEnum } from '../analytics.enums';
import type { DrillPart, DrillTarget } from './drills';
import { DrillPartEnum } from './records.inputs';
import type { RecordListName } from './record-filters';

export const RecordListEnum = { ISSUES: 'ISSUES', VISITS: 'VISITS', SURVEY_RESPONSES: 'SURVEY_RESPONSES', HOUSEHOLDS: 'HOUSEHOLDS', PAIRINGS: 'PAIRINGS' } as const;
export type RecordList = keyof typeof RecordListEnum;
registerEnumType(RecordListEnum, { name: 'RecordList', description: 'The record lists a number can open.' });

/** The GraphQL name of each list. */
export const LIST_ENUM: Record<RecordListName, RecordList> = {
  issues: 'ISSUES',
  visits: 'VISITS',
  surveyResponses: 'SURVEY_RESPONSES',
  households: 'HOUSEHOLDS',
  pairings: 'PAIRINGS',
};

/** The records behind a number: which list, under which filter, adding up to what. */
@ObjectType({ description: 'The records behind a number (drill-through): the list whose totalCount is the count asked for; only the connection of `list` is set.' })
export class Drill {
  @Field(() => MeasureEnum) measure: Measure;
  @Field(() => DrillPartEnum) part: DrillPart;
  @Field(() => RecordListEnum) list: RecordList;
  @Field({ description: 'The list’s filter as JSON: the `filter` argument of the list query, and of GET /api/records/<list>.csv?filter=.' }) filter: string;
  @Field({ description: 'What `total` counts: RECORDS, or STAY_DAYS for VILLAGE_STAY_DAYS (the stay days of the listed visits).' }) totalOf: string;
  /** The list and its filter (not a field). */
  target: DrillTarget;

  static of(target: DrillTarget, measure: Measure, part: DrillPart): Drill {
    const d = new Drill();
    d.measure = measure;
    d.part = part;
    d.list = LIST_ENUM[target.list];
    d.filter = JSON.stringify(target.filter, (_k, v) => (v === null ? undefined : v));
    d.totalOf = target.total === 'stayDays' ? 'STAY_DAYS' : 'RECORDS';
    d.target = target;
    return d;
  }
}
