import { Field, ID, ObjectType } from 'type-graphql';
import { PrimaryColumn } from 'typeorm';
import { InstantColumn } from './columns';

/** Every record: an id chosen by its source system, and when Minqing first and last stored it. */
@ObjectType()
export abstract class BaseRecord {
  @Field(() => ID)
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 64 })
  id: string;

  @Field()
  @InstantColumn('created_at')
  createdAt: Date;

  @Field()
  @InstantColumn('updated_at')
  updatedAt: Date;
}
