import { Args, Ctx, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../modules/modules.context';
import { pageRequest } from '../modules/shared/connection';
import type { AuditTrail } from './audit-trail';
import { AuditEntryConnection, AuditLogArgs } from './audit.types';

/** What the audit resolver uses of its request (the GraphQL context holds it all). */
export interface AuditContext extends RequestContext {
  services: { audit: AuditTrail };
}

/** `auditLog` for ADMIN (the role rule lives in the access guard, ADMIN_FIELDS). Nothing here writes. */
@Resolver()
export class AuditResolver {
  @Query(() => AuditEntryConnection, {
    description: 'The audit trail of personal data (个人信息保护法), newest first: every answer that carried unmasked personal fields, every extract, every export (ADMIN only).',
  })
  async auditLog(@Args() args: AuditLogArgs, @Ctx() ctx: AuditContext): Promise<AuditEntryConnection> {
    const page = await ctx.services.audit.list({ principalId: args.principalId, from: args.from, to: args.to }, pageRequest(args, ctx.config.limits));
    return new AuditEntryConnection(page);
  }
}
