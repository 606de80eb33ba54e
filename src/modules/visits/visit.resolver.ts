import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { VisitKinds } from '../../domain/enums';
import type { ModulesContext } from '../modules.context';
import { Cadre } from '../cadres/cadre.entity';
import { Household } from '../households/household.entity';
import { Issue } from '../issues/issue.entity';
import { Region } from '../regions/region.entity';
import { Visit } from './visit.entity';

/** Visit kind label and relations (the `visits` list: analytics/records). */
@Resolver(() => Visit)
export class VisitResolver {
  @FieldResolver(() => String, { description: 'Chinese label of `kind`.' })
  kindLabel(@Root() v: Visit): string {
    return VisitKinds.labels[v.kind][0];
  }

  @FieldResolver(() => Cadre, { nullable: true, description: 'Null when the cadre is outside the caller’s scope.' })
  cadre(@Root() v: Visit, @Ctx() ctx: ModulesContext): Promise<Cadre | null> {
    return ctx.loaders.cadres.byId.load(v.cadreId);
  }

  @FieldResolver(() => Region)
  region(@Root() v: Visit, @Ctx() ctx: ModulesContext): Promise<Region | null> {
    return ctx.loaders.regions.byId.load(v.regionId);
  }

  @FieldResolver(() => Household, { nullable: true })
  household(@Root() v: Visit, @Ctx() ctx: ModulesContext): Promise<Household | null> | null {
    return v.householdId === null ? null : ctx.loaders.households.byId.load(v.householdId);
  }

  @FieldResolver(() => [Issue], { description: 'Issues raised on this visit, in the order received.' })
  issues(@Root() v: Visit, @Ctx() ctx: ModulesContext): Promise<Issue[]> {
    return ctx.loaders.issues.byVisitId.load(v.id);
  }
}
