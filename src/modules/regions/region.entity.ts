import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { IdColumn } from '../../database/columns';
import { BaseRecord } from '../../database/base.entity';
import { RegionLevel } from '../../domain/enums';
import { RegionLevelEnum } from '../shared/graphql-enums';

@ObjectType({ description: '行政区划: county, township, village or villager group.' })
@Entity('regions')
@Index('idx_regions_parent', ['parentId'])
@Index('idx_regions_level', ['level'])
export class Region extends BaseRecord {
  @Field(() => ID, { nullable: true })
  @IdColumn('parent_id', { nullable: true })
  parentId: string | null;

  @Field(() => RegionLevelEnum)
  @Column({ name: 'level', type: 'varchar', length: 16 })
  level: RegionLevel;

  @Field()
  @Column({ name: 'name', type: 'varchar', length: 100 })
  name: string;

  @Field(() => String, { nullable: true, description: '12-digit administrative division code' })
  @Column({ name: 'code', type: 'varchar', length: 12, nullable: true })
  code: string | null;
}

/**
 * Closure table: one row per (ancestor, descendant) pair, including each region with itself.
 * Subtree filters and "group by level" become one indexed join, on both stores.
 */
@Entity('region_closure')
@Index('idx_region_closure_desc_level', ['descendantId', 'ancestorLevel'])
export class RegionClosure {
  @PrimaryColumn({ name: 'ancestor_id', type: 'varchar', length: 64 })
  ancestorId: string;

  @PrimaryColumn({ name: 'descendant_id', type: 'varchar', length: 64 })
  descendantId: string;

  @Column({ name: 'ancestor_level', type: 'varchar', length: 16 })
  ancestorLevel: RegionLevel;

  @Column({ name: 'distance', type: 'int' })
  distance: number;
}
