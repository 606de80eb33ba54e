import { Arg, Args, Ctx, ID, Query, Resolver } from 'type-graphql';
import { ConnectionArgs, pageRequest } from '../../graphql/connection';
import type { Context } from '../../graphql/context';
import { primeAll } from '../../graphql/loaders';
import { Department } from './department.entity';
import { DepartmentService } from './department.service';
import { DepartmentConnection } from './department.types';

/** Department queries. */
@Resolver(() => Department)
export class DepartmentResolver {
  @Query(() => Department, { nullable: true, description: 'A department by id; null if unknown.' })
  department(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Department | null> {
    return ctx.loaders.departments.byId.load(id);
  }

  @Query(() => DepartmentConnection, { description: 'Departments by id.' })
  async departments(@Args() args: ConnectionArgs, @Ctx() ctx: Context): Promise<DepartmentConnection> {
    const page = await new DepartmentService(ctx.dataSource, ctx.scope).list(pageRequest(args, ctx.config.limits));
    primeAll(ctx.loaders.departments.byId, page.edges.map((e) => e.node));
    return new DepartmentConnection(page);
  }
}
