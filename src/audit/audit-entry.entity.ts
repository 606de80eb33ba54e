import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { InstantColumn } from '../database/columns';
import { RoleEnum } from '../auth/roles';
import type { Role } from '../domain/access';
import { AuditChannel, AuditChannels, AuditKind, AuditKinds } from '../domain/enums';

registerEnumType(AuditKinds.enum, { name: 'AuditKind', description: 'What an audit entry records: 个人信息查询, 数据抽取, 文件导出.' });
registerEnumType(AuditChannels.enum, { name: 'AuditChannel', description: 'How the access reached the service.' });

/** One access to personal data, an extract or an export (个人信息保护法). Rows are only ever added. */
@ObjectType({ description: 'One entry of the audit trail: who received which records, when, how, in which scope.' })
@Entity('audit_log')
export class AuditEntry {
  @Field(() => ID)
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 64 })
  id: string;

  @Field({ description: 'When the access happened (the entry is written as the answer goes out).' })
  @InstantColumn('created_at')
  at: Date;

  /** Same as `at`: entries never change; kept so extracts page the trail like any dataset. */
  @InstantColumn('updated_at')
  updatedAt: Date;

  @Field(() => AuditKinds.enum)
  @Column({ name: 'kind', type: 'varchar', length: 24 })
  kind: AuditKind;

  @Field({ description: 'The GraphQL operation, the extract’s dataset or the export’s name.' })
  @Column({ name: 'operation', type: 'varchar', length: 200 })
  operation: string;

  @Field(() => Int, { description: 'Records that left the service: distinct records with unmasked personal fields, or rows extracted or exported.' })
  @Column({ name: 'records', type: 'int' })
  records: number;

  @Field({ description: '`user`, `token`, `cli` (the command line, by operating-system user) or `job` (a scheduled extract).' })
  @Column({ name: 'principal_kind', type: 'varchar', length: 16 })
  principalKind: string;

  @Field(() => ID)
  @Column({ name: 'principal_id', type: 'varchar', length: 64 })
  principalId: string;

  @Field()
  @Column({ name: 'principal_name', type: 'varchar', length: 200 })
  principalName: string;

  @Field(() => RoleEnum, { nullable: true, description: 'Null for the command line and scheduled jobs.' })
  @Column({ name: 'role', type: 'varchar', length: 16, nullable: true })
  role: Role | null;

  @Field(() => ID, { nullable: true, description: 'The region whose subtree the access covered; null = the whole county.' })
  @Column({ name: 'scope_region_id', type: 'varchar', length: 64, nullable: true })
  scopeRegionId: string | null;

  @Field(() => AuditChannels.enum)
  @Column({ name: 'channel', type: 'varchar', length: 16 })
  channel: AuditChannel;

  @Field(() => String, { nullable: true, description: 'The X-Request-Id of the HTTP request.' })
  @Column({ name: 'request_id', type: 'varchar', length: 128, nullable: true })
  requestId: string | null;

  @Field(() => String, { nullable: true, description: 'JSON: fields disclosed, format, filters.' })
  @Column({ name: 'details', type: 'varchar', length: 2000, nullable: true })
  details: string | null;
}
