import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index, ValueTransformer } from 'typeorm';
import { IdColumn } from '../../database/columns';
import { BaseRecord } from '../../database/base.entity';
import { HouseholdTag } from '../../domain/enums';
import { HouseholdTagEnum } from '../shared/graphql-enums';

/** Tags are stored comma-joined in a fixed order, so re-importing the same set changes nothing. */
const tagList: ValueTransformer = {
  to: (v: HouseholdTag[] | null | undefined) => (v == null ? v : [...v].sort().join(',')),
  from: (v: string | null) => (v ? (v.split(',') as HouseholdTag[]) : []),
};

@ObjectType({ description: '住户: a household.' })
@Entity('households')
@Index('idx_households_region', ['regionId'])
export class Household extends BaseRecord {
  @Field(() => ID)
  @IdColumn('region_id')
  regionId: string;

  @Field({ description: 'Head of household (personal data, masked for some roles)' })
  @Column({ name: 'head_name', type: 'varchar', length: 50 })
  headName: string;

  @Field(() => String, { nullable: true, description: 'Personal data, masked for some roles' })
  @Column({ name: 'phone', type: 'varchar', length: 32, nullable: true })
  phone: string | null;

  @Field(() => Int, { nullable: true })
  @Column({ name: 'members', type: 'int', nullable: true })
  members: number | null;

  @Field(() => [HouseholdTagEnum])
  @Column({ name: 'tags', type: 'varchar', length: 200, nullable: true, transformer: tagList })
  tags: HouseholdTag[];
}
