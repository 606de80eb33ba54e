import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { IdColumn } from '../../database/columns';
import { BaseRecord } from '../../database/base.entity';
import { LocalDateScalar } from '../shared/scalars';

@ObjectType({ description: '结对帮扶: a cadre paired with a household in difficulty.' })
@Entity('pairings')
@Index('idx_pairings_cadre_span', ['cadreId', 'startedOn', 'endedOn'])
@Index('idx_pairings_household', ['householdId'])
export class Pairing extends BaseRecord {
  @Field(() => ID)
  @IdColumn('cadre_id')
  cadreId: string;

  @Field(() => ID)
  @IdColumn('household_id')
  householdId: string;

  @Field(() => LocalDateScalar)
  @Column({ name: 'started_on', type: 'varchar', length: 10 })
  startedOn: string;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Inclusive; null while still active' })
  @Column({ name: 'ended_on', type: 'varchar', length: 10, nullable: true })
  endedOn: string | null;
}
