import { ArrayMinSize, IsOptional, MaxLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { IssueCategory, IssueChannel, IssueStatus } from '../../domain/enums';
import { InstantRange } from '../shared/connection';
import { IssueCategoryEnum, IssueChannelEnum, IssueStatusEnum } from '../shared/graphql-enums';

@InputType({ description: 'Which issues to list; `from`/`to` apply to `receivedAt`.' })
export class IssueFilter extends InstantRange {
  @Field(() => ID, { nullable: true, description: 'Issues raised in this region or any region below it.' })
  @IsOptional()
  @MaxLength(64)
  regionId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @MaxLength(64)
  householdId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @MaxLength(64)
  visitId?: string | null;

  @Field(() => ID, { nullable: true, description: 'The current department (last ASSIGNED/TRANSFERRED).' })
  @IsOptional()
  @MaxLength(64)
  departmentId?: string | null;

  @Field(() => [IssueChannelEnum], { nullable: true, description: 'Any of these channels.' })
  @IsOptional()
  @ArrayMinSize(1)
  channels?: IssueChannel[] | null;

  @Field(() => [IssueCategoryEnum], { nullable: true, description: 'Any of these categories.' })
  @IsOptional()
  @ArrayMinSize(1)
  categories?: IssueCategory[] | null;

  @Field(() => [IssueStatusEnum], { nullable: true, description: 'Any of these current (derived) statuses.' })
  @IsOptional()
  @ArrayMinSize(1)
  statuses?: IssueStatus[] | null;
}
