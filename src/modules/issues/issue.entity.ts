import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { IdColumn, InstantColumn, intBoolean } from '../../database/columns';
import { BaseRecord } from '../../database/base.entity';
import { IssueCategory, IssueChannel, IssueStatus, ResidentAnswer } from '../../domain/enums';
import { IssueCategoryEnum, IssueChannelEnum, IssueStatusEnum, ResidentAnswerEnum } from '../shared/graphql-enums';

/**
 * 诉求: an appeal. The `derived*` columns hold the state recomputed from all events and
 * linked responses (domain.md) each time either changes; `stateAsOf` says up to when
 * they are valid, so a metric with an earlier asOf knows to recompute from events.
 */
@ObjectType({ description: '诉求: an appeal raised by a resident.' })
@Entity('issues')
@Index('idx_issues_region_received', ['regionId', 'receivedAt'])
@Index('idx_issues_household', ['householdId'])
@Index('idx_issues_updated', ['updatedAt', 'id'])
// Wider indexes (covering ones for the metrics) are added by later migrations: src/database/migrations.
export class Issue extends BaseRecord {
  @Field(() => ID)
  @IdColumn('region_id')
  regionId: string;

  @Field(() => ID, { nullable: true })
  @IdColumn('household_id', { nullable: true })
  householdId: string | null;

  @Field(() => ID, { nullable: true })
  @IdColumn('visit_id', { nullable: true })
  visitId: string | null;

  @Field(() => IssueChannelEnum)
  @Column({ name: 'channel', type: 'varchar', length: 20 })
  channel: IssueChannel;

  @Field(() => IssueCategoryEnum)
  @Column({ name: 'category', type: 'varchar', length: 20 })
  category: IssueCategory;

  @Field(() => String, { nullable: true })
  @Column({ name: 'summary', type: 'text', nullable: true })
  summary: string | null;

  @Field()
  @InstantColumn('received_at')
  receivedAt: Date;

  @Field(() => Date, { nullable: true })
  @InstantColumn('due_at', { nullable: true })
  dueAt: Date | null;

  // Derived state (as of all stored events and responses).
  @Field(() => IssueStatusEnum)
  @Column({ name: 'status', type: 'varchar', length: 16, default: 'OPEN' })
  status: IssueStatus;

  @Field(() => Date, { nullable: true })
  @InstantColumn('first_response_at', { nullable: true })
  firstResponseAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the unit resolved it (last outcome RESOLVED)' })
  @InstantColumn('resolved_at', { nullable: true })
  resolvedAt: Date | null;

  @Field(() => Int)
  @Column({ name: 'transfer_count', type: 'int', default: 0 })
  transferCount: number;

  @Field(() => Int)
  @Column({ name: 'reopen_count', type: 'int', default: 0 })
  reopenCount: number;

  @Field(() => ID, { nullable: true, description: 'Current department (last ASSIGNED/TRANSFERRED)' })
  @IdColumn('department_id', { nullable: true })
  departmentId: string | null;

  @Field(() => ResidentAnswerEnum, { nullable: true, description: 'What the resident says: resolved or not' })
  @Column({ name: 'resident_answer', type: 'varchar', length: 8, nullable: true })
  residentAnswer: ResidentAnswer | null;

  @Field(() => Int, { nullable: true, description: 'Score of the latest linked survey response' })
  @Column({ name: 'latest_score', type: 'int', nullable: true })
  latestScore: number | null;

  @Field(() => Boolean, { nullable: true, description: 'Whether the handling unit contacted the resident, per the latest linked response that says so' })
  @Column({ name: 'contacted', type: 'int', nullable: true, transformer: intBoolean })
  contacted: boolean | null;

  /** Latest event or response instant that fed the derived state (null: none). */
  @InstantColumn('state_changed_at', { nullable: true })
  stateChangedAt: Date | null;
}
