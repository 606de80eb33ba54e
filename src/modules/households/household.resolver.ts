import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { HouseholdTags } from '../../domain/enums';
import type { ModulesContext } from '../modules.context';
import { Pairing } from '../pairings/pairing.entity';
import { Region } from '../regions/region.entity';
import { Household } from './household.entity';

/** `household(id)`, tag labels, region and pairings (the `households` list: analytics/records). */
@Resolver(() => Household)
export class HouseholdResolver {
  @Query(() => Household, { nullable: true, description: 'A household by id; null if unknown.' })
  household(@Arg('id', () => ID) id: string, @Ctx() ctx: ModulesContext): Promise<Household | null> {
    return ctx.loaders.households.byId.load(id);
  }

  @FieldResolver(() => [String], { description: 'Chinese labels of `tags`, in the same order.' })
  tagLabels(@Root() h: Household): string[] {
    return h.tags.map((t) => HouseholdTags.labels[t][0]);
  }

  @FieldResolver(() => Region)
  region(@Root() h: Household, @Ctx() ctx: ModulesContext): Promise<Region | null> {
    return ctx.loaders.regions.byId.load(h.regionId);
  }

  @FieldResolver(() => [Pairing], { description: 'Cadres paired with this household, by start date.' })
  pairings(@Root() h: Household, @Ctx() ctx: ModulesContext): Promise<Pairing[]> {
    return ctx.loaders.pairings.byHouseholdId.load(h.id);
  }
}
