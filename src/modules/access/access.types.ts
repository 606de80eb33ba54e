import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { IsOptional, Length } from 'class-validator';
import { ApiToken } from '../../auth/access.entity';
import { RoleEnum } from '../../auth/roles';
import { Role } from '../../domain/access';

@ObjectType({ description: 'Who is calling.' })
export class Me {
  @Field(() => String, { description: '`user` (signed in) or `token` (machine).' })
  kind: 'user' | 'token';

  @Field(() => ID)
  id: string;

  @Field({ description: 'User name or token name.' })
  name: string;

  @Field(() => RoleEnum)
  role: Role;

  @Field(() => ID, { nullable: true, description: "An OFFICER's region: it reads that region's subtree only." })
  regionId: string | null;
}

@ObjectType({ description: 'A new machine token: `token` is the secret, shown only in this answer.' })
export class CreatedToken {
  @Field({ description: 'Send as `Authorization: Bearer <token>`; only its hash is kept.' })
  token: string;

  @Field(() => ApiToken)
  record: ApiToken;
}

@InputType()
export class CreateTokenInput {
  @Field(() => RoleEnum)
  role: Role;

  @Field(() => ID, { nullable: true, description: 'Required for OFFICER, refused for other roles.' })
  @IsOptional()
  @Length(1, 64)
  regionId?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 100)
  name?: string | null;
}
