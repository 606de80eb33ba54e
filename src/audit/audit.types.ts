import { IsOptional, Length } from 'class-validator';
import { ArgsType, Field, ID } from 'type-graphql';
import { Connection, ConnectionArgs } from '../modules/shared/connection';
import { AuditEntry } from './audit-entry.entity';

export const AuditEntryConnection = Connection('AuditEntry', AuditEntry);
export type AuditEntryConnection = InstanceType<typeof AuditEntryConnection>;

@ArgsType()
export class AuditLogArgs extends ConnectionArgs {
  @Field(() => ID, { nullable: true, description: 'Only this user’s, token’s, job’s or command-line user’s entries.' })
  @IsOptional()
  @Length(1, 64)
  principalId?: string | null;

  @Field(() => Date, { nullable: true, description: 'Entries at or after this instant.' })
  @IsOptional()
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Entries before this instant.' })
  @IsOptional()
  to?: Date | null;
}
