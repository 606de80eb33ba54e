import { createUnionType, Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { AlertType, AlertTypes } from '../../domain/enums';
import { Cadre } from '../../modules/cadres/cadre.entity';
import { Household } from '../../modules/households/household.entity';
import { Issue } from '../../modules/issues/issue.entity';
import { Pairing } from '../../modules/pairings/pairing.entity';
import { PageInfo } from '../../modules/shared/connection';
import type { AlertData, AlertTypeCountData } from './alerts.service';

export const AlertTypeEnum = AlertTypes.enum;
registerEnumType(AlertTypeEnum, {
  name: 'AlertType',
  description: 'A worklist rule (预警, action.md "Worklists").',
  valuesConfig: Object.fromEntries(Object.entries(AlertTypes.labels).map(([k, [zh, en]]) => [k, { description: `${zh} (${en})` }])) as never,
});

/** What an alert is about: the record its `subjectId` names. */
export const AlertSubject = createUnionType({
  name: 'AlertSubject',
  description: 'The issue, pairing, cadre or household an alert is about.',
  types: () => [Issue, Pairing, Cadre, Household] as const,
  resolveType: (value) => {
    if (value instanceof Issue) return Issue;
    if (value instanceof Pairing) return Pairing;
    if (value instanceof Cadre) return Cadre;
    if (value instanceof Household) return Household;
    return undefined;
  },
});

@ObjectType({ description: 'A worklist item (预警): a record that needs action, as of the list’s asOf.' })
export class Alert implements Pick<AlertData, 'id' | 'type' | 'subjectId' | 'since' | 'ageHours'> {
  @Field(() => ID, { description: '"<type>:<subjectId>": stable while the condition lasts.' })
  id: string;

  @Field(() => AlertTypeEnum)
  type: AlertType;

  @Field(() => ID, { description: 'The id of the issue, pairing, cadre or household (by type).' })
  subjectId: string;

  @Field(() => Date, { description: 'When the condition began (action.md: dueAt, asOf, the denying response, the last visit or startedOn, 1 January, the first issue).' })
  since: Date;

  @Field(() => Float, { description: 'Hours from `since` to asOf.' })
  ageHours: number;

  regionId: string;
  departmentId: string | null;
  cadreId: string | null;
}

@ObjectType({ description: 'How many alerts of one type the list holds (ignoring paging).' })
export class AlertTypeCount implements AlertTypeCountData {
  @Field(() => AlertTypeEnum)
  type: AlertType;

  @Field(() => Int)
  count: number;
}

@ObjectType()
export class AlertEdge {
  @Field({ description: 'Opaque; pass as `after` to continue after this node.' })
  cursor: string;

  @Field(() => Alert)
  node: Alert;
}

@ObjectType({ description: 'A page of alerts, oldest first (since, then type, then subject id), with keyset cursors (Relay).' })
export class AlertConnection {
  @Field(() => [AlertEdge])
  edges: AlertEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;

  @Field(() => Int, { description: 'All alerts of the list (ignores paging).' })
  totalCount: number;

  @Field(() => [AlertTypeCount], { description: 'Every type asked for (all when `types` is omitted), in enum order, zeros included, ignoring paging.' })
  countsByType: AlertTypeCount[];

  @Field(() => Date, { description: 'The instant the rules were evaluated as of.' })
  asOf: Date;
}
