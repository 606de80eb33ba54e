import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { ApiToken, User } from '../../auth/access.entity';
import { AccessError, AuthService } from '../../auth/auth.service';
import type { ModulesContext } from '../modules.context';
import { badInput, notFound, UserError } from '../../domain/errors';
import { CreatedToken, CreateTokenInput, Me } from './access.types';

const serviceOf = (ctx: ModulesContext): AuthService => ctx.services.auth;

async function asUserError<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof AccessError) throw badInput(err.message);
    throw err;
  }
}

/**
 * `me` for everyone; users and tokens for ADMIN only — the role rule lives in the access
 * guard (ADMIN_FIELDS), not here.
 */
@Resolver()
export class AccessResolver {
  @Query(() => Me, { description: 'The signed-in user or the token making this request.' })
  me(@Ctx() ctx: ModulesContext): Me {
    const p = ctx.principal;
    if (!p) throw new UserError('UNAUTHENTICATED', 'not signed in');
    return { kind: p.kind, id: p.id, name: p.name, role: p.role, regionId: p.regionId };
  }

  @Query(() => [User], { description: 'Every user, by user name (ADMIN only).' })
  users(@Ctx() ctx: ModulesContext): Promise<User[]> {
    return serviceOf(ctx).listUsers();
  }

  @Query(() => [ApiToken], { description: 'Every machine token, newest first, revoked ones included (ADMIN only).' })
  tokens(@Ctx() ctx: ModulesContext): Promise<ApiToken[]> {
    return serviceOf(ctx).listTokens();
  }

  @Mutation(() => CreatedToken, { description: 'Makes a machine token; its secret is in this answer only (ADMIN only).' })
  createToken(@Arg('input', () => CreateTokenInput) input: CreateTokenInput, @Ctx() ctx: ModulesContext): Promise<CreatedToken> {
    return asUserError(() => serviceOf(ctx).createToken(input));
  }

  @Mutation(() => ApiToken, { description: 'Revokes a token at once; revoking it again changes nothing (ADMIN only).' })
  async revokeToken(@Arg('id', () => ID) id: string, @Ctx() ctx: ModulesContext): Promise<ApiToken> {
    const service = serviceOf(ctx);
    await service.revokeToken(id);
    const token = (await service.listTokens()).find((t) => t.id === id);
    if (!token) throw notFound('token', id);
    return token;
  }

  @Mutation(() => User, { description: 'Disables a user and ends their sessions (ADMIN only).' })
  async disableUser(@Arg('id', () => ID) id: string, @Ctx() ctx: ModulesContext): Promise<User> {
    if (ctx.principal?.kind === 'user' && ctx.principal.id === id) throw badInput('you cannot disable yourself');
    const service = serviceOf(ctx);
    await service.disableUser(id);
    const user = (await service.listUsers()).find((u) => u.id === id);
    if (!user) throw notFound('user', id);
    return user;
  }
}
