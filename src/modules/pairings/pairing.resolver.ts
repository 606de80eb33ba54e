import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { ModulesContext } from '../modules.context';
import { Cadre } from '../cadres/cadre.entity';
import { Household } from '../households/household.entity';
import { Pairing } from './pairing.entity';

/** A pairing's cadre and household (the `pairings` list: analytics/records). */
@Resolver(() => Pairing)
export class PairingResolver {
  @FieldResolver(() => Cadre, { nullable: true, description: 'Null when the cadre is outside the caller’s scope.' })
  cadre(@Root() p: Pairing, @Ctx() ctx: ModulesContext): Promise<Cadre | null> {
    return ctx.loaders.cadres.byId.load(p.cadreId);
  }

  @FieldResolver(() => Household)
  household(@Root() p: Pairing, @Ctx() ctx: ModulesContext): Promise<Household | null> {
    return ctx.loaders.households.byId.load(p.householdId);
  }
}
