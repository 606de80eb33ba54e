import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { InstantColumn } from '../database/columns';
import { RoleEnum } from './roles';
import { Role } from '../domain/access';

@ObjectType({ description: 'A person who signs in to the dashboard or the playground.' })
@Entity('users')
export class User {
  @Field(() => ID)
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 64 })
  id: string;

  @Field()
  @Index('uq_users_username', { unique: true })
  @Column({ name: 'username', type: 'varchar', length: 64 })
  username: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 200 })
  passwordHash: string;

  @Field(() => RoleEnum)
  @Column({ name: 'role', type: 'varchar', length: 16 })
  role: Role;

  @Field(() => ID, { nullable: true })
  @Column({ name: 'region_id', type: 'varchar', length: 64, nullable: true })
  regionId: string | null;

  @Field()
  @InstantColumn('created_at')
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  @InstantColumn('disabled_at', { nullable: true })
  disabledAt: Date | null;
}

@ObjectType({ description: 'A machine token (Bearer). The secret is shown once, at creation.' })
@Entity('api_tokens')
export class ApiToken {
  @Field(() => ID)
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 64 })
  id: string;

  @Field()
  @Column({ name: 'name', type: 'varchar', length: 100 })
  name: string;

  @Index('uq_api_tokens_hash', { unique: true })
  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash: string;

  @Field(() => RoleEnum)
  @Column({ name: 'role', type: 'varchar', length: 16 })
  role: Role;

  @Field(() => ID, { nullable: true })
  @Column({ name: 'region_id', type: 'varchar', length: 64, nullable: true })
  regionId: string | null;

  @Field()
  @InstantColumn('created_at')
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  @InstantColumn('last_used_at', { nullable: true })
  lastUsedAt: Date | null;

  @Field(() => Date, { nullable: true })
  @InstantColumn('revoked_at', { nullable: true })
  revokedAt: Date | null;
}

/** A signed-in browser session; the cookie holds the secret, the table its SHA-256. */
@Entity('sessions')
export class Session {
  @PrimaryColumn({ name: 'id_hash', type: 'varchar', length: 64 })
  idHash: string;

  @Index('idx_sessions_user')
  @Column({ name: 'user_id', type: 'varchar', length: 64 })
  userId: string;

  @Column({ name: 'csrf_token', type: 'varchar', length: 64 })
  csrfToken: string;

  @InstantColumn('created_at')
  createdAt: Date;

  @InstantColumn('expires_at')
  expiresAt: Date;
}
