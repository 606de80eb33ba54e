import { ArrayMinSize, IsOptional, MaxLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { SurveyChannel } from '../../domain/enums';
import { InstantRange } from '../shared/connection';
import { SurveyChannelEnum } from '../shared/graphql-enums';

@InputType({ description: 'Which survey responses to list; `from`/`to` apply to `respondedAt`.' })
export class SurveyResponseFilter extends InstantRange {
  @Field(() => ID, { nullable: true, description: 'Responses from this region or any region below it.' })
  @IsOptional()
  @MaxLength(64)
  regionId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @MaxLength(64)
  issueId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @MaxLength(64)
  cadreId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @MaxLength(64)
  householdId?: string | null;

  @Field(() => [SurveyChannelEnum], { nullable: true, description: 'Any of these channels.' })
  @IsOptional()
  @ArrayMinSize(1)
  channels?: SurveyChannel[] | null;
}
