import { ArrayMinSize, IsOptional, MaxLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { VisitKind } from '../../domain/enums';
import { InstantRange } from '../shared/connection';
import { VisitKindEnum } from '../shared/graphql-enums';

@InputType({ description: 'Which visits to list; `from`/`to` apply to `visitedAt`.' })
export class VisitFilter extends InstantRange {
  @Field(() => ID, { nullable: true, description: 'Visits in this region or any region below it.' })
  @IsOptional()
  @MaxLength(64)
  regionId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @MaxLength(64)
  cadreId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @MaxLength(64)
  householdId?: string | null;

  @Field(() => [VisitKindEnum], { nullable: true, description: 'Any of these kinds.' })
  @IsOptional()
  @ArrayMinSize(1)
  kinds?: VisitKind[] | null;
}
