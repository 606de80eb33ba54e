import { Field, ObjectType } from 'type-graphql';
import { Column, Entity } from 'typeorm';
import { BaseRecord } from '../../database/base.entity';

@ObjectType({ description: '职能部门: a department that handles appeals.' })
@Entity('departments')
export class Department extends BaseRecord {
  @Field()
  @Column({ name: 'name', type: 'varchar', length: 100 })
  name: string;
}
