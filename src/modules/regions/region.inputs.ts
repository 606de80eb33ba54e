import { IsOptional, MaxLength } from 'class-validator';
import { ArgsType, Field, ID } from 'type-graphql';
import { RegionLevel } from '../../domain/enums';
import { ConnectionArgs } from '../shared/connection';
import { RegionLevelEnum } from '../shared/graphql-enums';

@ArgsType()
export class RegionsArgs extends ConnectionArgs {
  @Field(() => RegionLevelEnum, { nullable: true, description: 'Only regions of this level.' })
  level?: RegionLevel | null;

  @Field(() => ID, { nullable: true, description: 'Only the direct children of this region.' })
  @IsOptional()
  @MaxLength(64)
  parentId?: string | null;
}
