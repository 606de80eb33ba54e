import { Arg, Args, Ctx, ID, Query, Resolver } from 'type-graphql';
import { ConnectionArgs, pageRequest } from '../shared/connection';
import type { ModulesContext } from '../modules.context';
import { primeAll } from '../shared/dataloaders';
import { Department } from './department.entity';
import { DepartmentConnection } from './department.types';

/** Department queries. */
@Resolver(() => Department)
export class DepartmentResolver {
  @Query(() => Department, { nullable: true, description: 'A department by id; null if unknown.' })
  department(@Arg('id', () => ID) id: string, @Ctx() ctx: ModulesContext): Promise<Department | null> {
    return ctx.loaders.departments.byId.load(id);
  }

  @Query(() => DepartmentConnection, { description: 'Departments by id.' })
  async departments(@Args() args: ConnectionArgs, @Ctx() ctx: ModulesContext): Promise<DepartmentConnection> {
    const page = await ctx.services.entities.departments.list(ctx.scope, pageRequest(args, ctx.config.limits));
    primeAll(ctx.loaders.departments.byId, page.edges.map((e) => e.node));
    return new DepartmentConnection(page);
  }
}
