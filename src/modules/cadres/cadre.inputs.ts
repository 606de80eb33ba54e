import { IsOptional, MaxLength } from 'class-validator';
import { ArgsType, Field, ID } from 'type-graphql';
import { CadreRank } from '../../domain/enums';
import { ConnectionArgs } from '../shared/connection';
import { CadreRankEnum } from '../shared/graphql-enums';

@ArgsType()
export class CadresArgs extends ConnectionArgs {
  @Field(() => ID, { nullable: true, description: 'Cadres of this region or any region below it.' })
  @IsOptional()
  @MaxLength(64)
  regionId?: string | null;

  @Field(() => CadreRankEnum, { nullable: true })
  rank?: CadreRank | null;
}
