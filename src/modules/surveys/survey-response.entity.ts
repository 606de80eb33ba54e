import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { IdColumn, InstantColumn, intBoolean } from '../../database/columns';
import { BaseRecord } from '../../database/base.entity';
import { ResidentAnswer, SurveyChannel } from '../../domain/enums';
import { ResidentAnswerEnum, SurveyChannelEnum } from '../shared/graphql-enums';

@ObjectType({ description: '满意度回访: a resident’s rating, often a callback on an appeal.' })
@Entity('survey_responses')
@Index('idx_surveys_region_at', ['regionId', 'respondedAt'])
@Index('idx_surveys_at', ['respondedAt'])
@Index('idx_surveys_issue', ['issueId'])
@Index('idx_surveys_cadre_at', ['cadreId', 'respondedAt'])
@Index('idx_surveys_updated', ['updatedAt', 'id'])
export class SurveyResponse extends BaseRecord {
  @Field(() => ID)
  @IdColumn('region_id')
  regionId: string;

  @Field(() => ID, { nullable: true })
  @IdColumn('issue_id', { nullable: true })
  issueId: string | null;

  @Field(() => ID, { nullable: true })
  @IdColumn('cadre_id', { nullable: true })
  cadreId: string | null;

  @Field(() => ID, { nullable: true })
  @IdColumn('household_id', { nullable: true })
  householdId: string | null;

  @Field()
  @InstantColumn('responded_at')
  respondedAt: Date;

  @Field(() => SurveyChannelEnum)
  @Column({ name: 'channel', type: 'varchar', length: 16 })
  channel: SurveyChannel;

  @Field(() => Int, { description: '1 (very dissatisfied) to 5 (very satisfied)' })
  @Column({ name: 'score', type: 'int' })
  score: number;

  @Field(() => ResidentAnswerEnum, { nullable: true })
  @Column({ name: 'resolved', type: 'varchar', length: 8, nullable: true })
  resolved: ResidentAnswer | null;

  @Field(() => Boolean, { nullable: true, description: 'Did the handling unit contact the resident' })
  @Column({ name: 'contacted', type: 'int', nullable: true, transformer: intBoolean })
  contacted: boolean | null;

  @Field(() => String, { nullable: true, description: 'Personal data, withheld for some roles' })
  @Column({ name: 'comment', type: 'text', nullable: true })
  comment: string | null;
}
