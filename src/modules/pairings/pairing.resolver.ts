import { Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { pageRequest } from '../shared/connection';
import type { ModulesContext } from '../modules.context';
import { Cadre } from '../cadres/cadre.entity';
import { Household } from '../households/household.entity';
import { Pairing } from './pairing.entity';
import { PairingsArgs } from './pairing.inputs';
import { PairingConnection } from './pairing.types';

/** Pairing queries and their cadre and household. */
@Resolver(() => Pairing)
export class PairingResolver {
  @Query(() => PairingConnection, { description: 'Pairings by id, optionally of one cadre or household, or active on a date.' })
  async pairings(@Args() args: PairingsArgs, @Ctx() ctx: ModulesContext): Promise<PairingConnection> {
    return new PairingConnection(await ctx.services.entities.pairings.list(ctx.scope, args, pageRequest(args, ctx.config.limits)));
  }

  @FieldResolver(() => Cadre, { nullable: true, description: 'Null when the cadre is outside the caller’s scope.' })
  cadre(@Root() p: Pairing, @Ctx() ctx: ModulesContext): Promise<Cadre | null> {
    return ctx.loaders.cadres.byId.load(p.cadreId);
  }

  @FieldResolver(() => Household)
  household(@Root() p: Pairing, @Ctx() ctx: ModulesContext): Promise<Household | null> {
    return ctx.loaders.households.byId.load(p.householdId);
  }
}
