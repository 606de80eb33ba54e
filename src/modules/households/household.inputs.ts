import { ArrayMaxSize, ArrayMinSize, IsOptional, MaxLength } from 'class-validator';
import { ArgsType, Field, ID } from 'type-graphql';
import { HouseholdTag } from '../../domain/enums';
import { ConnectionArgs } from '../shared/connection';
import { HouseholdTagEnum } from '../shared/graphql-enums';

@ArgsType()
export class HouseholdsArgs extends ConnectionArgs {
  @Field(() => ID, { nullable: true, description: 'Households of this region or any region below it.' })
  @IsOptional()
  @MaxLength(64)
  regionId?: string | null;

  @Field(() => [HouseholdTagEnum], { nullable: true, description: 'Only households that carry every one of these tags.' })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(6)
  tags?: HouseholdTag[] | null;
}
