import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { CadreRanks } from '../../domain/enums';
import { pageRequest } from '../shared/connection';
import type { ModulesContext } from '../modules.context';
import { primeAll } from '../shared/dataloaders';
import { Pairing } from '../pairings/pairing.entity';
import { Region } from '../regions/region.entity';
import { Cadre } from './cadre.entity';
import { CadresArgs } from './cadre.inputs';
import { CadreConnection } from './cadre.types';

/** Cadre queries, rank label, region and pairings. */
@Resolver(() => Cadre)
export class CadreResolver {
  @Query(() => Cadre, { nullable: true, description: 'A cadre by id; null if unknown.' })
  cadre(@Arg('id', () => ID) id: string, @Ctx() ctx: ModulesContext): Promise<Cadre | null> {
    return ctx.loaders.cadres.byId.load(id);
  }

  @Query(() => CadreConnection, { description: 'Cadres by id, optionally of a region subtree or one rank.' })
  async cadres(@Args() args: CadresArgs, @Ctx() ctx: ModulesContext): Promise<CadreConnection> {
    const page = await ctx.services.entities.cadres.list(ctx.scope, args, pageRequest(args, ctx.config.limits));
    primeAll(ctx.loaders.cadres.byId, page.edges.map((e) => e.node));
    return new CadreConnection(page);
  }

  @FieldResolver(() => String, { description: 'Chinese label of `rank`.' })
  rankLabel(@Root() c: Cadre): string {
    return CadreRanks.labels[c.rank][0];
  }

  @FieldResolver(() => Region)
  region(@Root() c: Cadre, @Ctx() ctx: ModulesContext): Promise<Region | null> {
    return ctx.loaders.regions.byId.load(c.regionId);
  }

  @FieldResolver(() => [Pairing], { description: 'Pairings of this cadre, by start date.' })
  pairings(@Root() c: Cadre, @Ctx() ctx: ModulesContext): Promise<Pairing[]> {
    return ctx.loaders.pairings.byCadreId.load(c.id);
  }
}
