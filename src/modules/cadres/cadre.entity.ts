import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { IdColumn } from '../../database/columns';
import { BaseRecord } from '../../database/base.entity';
import { CadreRank } from '../../domain/enums';
import { CadreRankEnum } from '../shared/graphql-enums';

@ObjectType({ description: '干部: a cadre who visits, stays in villages and pairs with households.' })
@Entity('cadres')
@Index('idx_cadres_region', ['regionId'])
export class Cadre extends BaseRecord {
  @Field()
  @Column({ name: 'name', type: 'varchar', length: 50 })
  name: string;

  @Field(() => ID)
  @IdColumn('region_id')
  regionId: string;

  @Field(() => CadreRankEnum)
  @Column({ name: 'rank', type: 'varchar', length: 16 })
  rank: CadreRank;

  @Field(() => String, { nullable: true })
  @Column({ name: 'unit', type: 'varchar', length: 100, nullable: true })
  unit: string | null;

  @Field(() => String, { nullable: true })
  @Column({ name: 'phone', type: 'varchar', length: 32, nullable: true })
  phone: string | null;
}
