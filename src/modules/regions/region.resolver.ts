import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { RegionLevels } from '../../domain/enums';
import { pageRequest } from '../shared/connection';
import type { ModulesContext } from '../modules.context';
import { primeAll } from '../shared/dataloaders';
import { Region } from './region.entity';
import { RegionsArgs } from './region.inputs';
import { RegionConnection } from './region.types';

/** Region queries and the tree relations (parent, children, ancestors). */
@Resolver(() => Region)
export class RegionResolver {
  @Query(() => Region, { nullable: true, description: 'A region by id; null if unknown.' })
  region(@Arg('id', () => ID) id: string, @Ctx() ctx: ModulesContext): Promise<Region | null> {
    return ctx.loaders.regions.byId.load(id);
  }

  @Query(() => RegionConnection, { description: 'Regions by id, optionally of one level or under one parent.' })
  async regions(@Args() args: RegionsArgs, @Ctx() ctx: ModulesContext): Promise<RegionConnection> {
    const page = await ctx.services.entities.regions.list(ctx.scope, args, pageRequest(args, ctx.config.limits));
    primeAll(ctx.loaders.regions.byId, page.edges.map((e) => e.node));
    return new RegionConnection(page);
  }

  @FieldResolver(() => String, { description: 'Chinese label of `level`.' })
  levelLabel(@Root() r: Region): string {
    return RegionLevels.labels[r.level][0];
  }

  @FieldResolver(() => Region, { nullable: true, description: 'The region above; null for the root.' })
  parent(@Root() r: Region, @Ctx() ctx: ModulesContext): Promise<Region | null> | null {
    return r.parentId === null ? null : ctx.loaders.regions.byId.load(r.parentId);
  }

  @FieldResolver(() => [Region], { description: 'The regions directly below, by id.' })
  children(@Root() r: Region, @Ctx() ctx: ModulesContext): Promise<Region[]> {
    return ctx.loaders.regions.children.load(r.id);
  }

  @FieldResolver(() => [Region], { description: 'The regions above, root first (the region itself not included).' })
  ancestors(@Root() r: Region, @Ctx() ctx: ModulesContext): Promise<Region[]> {
    return ctx.loaders.regions.ancestors.load(r.id);
  }
}
