import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { IdColumn, InstantColumn } from '../../database/columns';
import { BaseRecord } from '../../database/base.entity';
import { IssueEventType } from '../../domain/enums';
import { IssueEventTypeEnum } from '../shared/graphql-enums';

@ObjectType({ description: 'One step in handling an appeal.' })
@Entity('issue_events')
@Index('idx_issue_events_at', ['at'])
@Index('idx_issue_events_updated', ['updatedAt', 'id'])
// Wider indexes (covering ones for the metrics) are added by later migrations: src/database/migrations.
export class IssueEvent extends BaseRecord {
  @Field(() => ID)
  @IdColumn('issue_id')
  issueId: string;

  @Field()
  @InstantColumn('at')
  at: Date;

  @Field(() => IssueEventTypeEnum)
  @Column({ name: 'type', type: 'varchar', length: 16 })
  type: IssueEventType;

  @Field(() => ID, { nullable: true })
  @IdColumn('department_id', { nullable: true })
  departmentId: string | null;

  @Field(() => String, { nullable: true })
  @Column({ name: 'note', type: 'text', nullable: true })
  note: string | null;
}
