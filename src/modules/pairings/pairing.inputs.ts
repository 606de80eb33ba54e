import { IsOptional, MaxLength } from 'class-validator';
import { ArgsType, Field, ID } from 'type-graphql';
import { ConnectionArgs } from '../shared/connection';
import { LocalDateScalar } from '../shared/scalars';

@ArgsType()
export class PairingsArgs extends ConnectionArgs {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @MaxLength(64)
  cadreId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @MaxLength(64)
  householdId?: string | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Only pairings active on this date (startedOn ≤ date ≤ endedOn, or no end).' })
  activeOn?: string | null;
}
