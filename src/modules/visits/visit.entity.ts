import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { IdColumn, InstantColumn } from '../../database/columns';
import { BaseRecord } from '../../database/base.entity';
import { VisitKind } from '../../domain/enums';
import { VisitKindEnum } from '../shared/graphql-enums';

@ObjectType({ description: '走访: a visit, village stay, forum, reception or holiday greeting.' })
@Entity('visits')
@Index('idx_visits_region_at', ['regionId', 'visitedAt'])
@Index('idx_visits_cadre_at', ['cadreId', 'visitedAt'])
@Index('idx_visits_updated', ['updatedAt', 'id'])
// Wider indexes (covering ones for the metrics) are added by later migrations: src/database/migrations.
export class Visit extends BaseRecord {
  @Field(() => ID)
  @IdColumn('cadre_id')
  cadreId: string;

  @Field(() => ID)
  @IdColumn('region_id')
  regionId: string;

  @Field(() => ID, { nullable: true })
  @IdColumn('household_id', { nullable: true })
  householdId: string | null;

  @Field()
  @InstantColumn('visited_at')
  visitedAt: Date;

  @Field(() => VisitKindEnum)
  @Column({ name: 'kind', type: 'varchar', length: 20 })
  kind: VisitKind;

  @Field(() => Int, { nullable: true, description: 'Days stayed; only for VILLAGE_STAY (default 1)' })
  @Column({ name: 'stay_days', type: 'int', nullable: true })
  stayDays: number | null;

  @Field(() => String, { nullable: true, description: '民情日记' })
  @Column({ name: 'note', type: 'text', nullable: true })
  note: string | null;
}
