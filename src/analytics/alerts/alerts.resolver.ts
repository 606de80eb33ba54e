import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { AlertType } from '../../domain/enums';
import { Cadre } from '../../modules/cadres/cadre.entity';
import { Department } from '../../modules/departments/department.entity';
import { Household } from '../../modules/households/household.entity';
import { Issue } from '../../modules/issues/issue.entity';
import { Pairing } from '../../modules/pairings/pairing.entity';
import { Region } from '../../modules/regions/region.entity';
import { DEFAULT_PAGE_SIZE } from '../../modules/shared/connection';
import type { AnalyticsContext } from '../analytics.context';
import { ALERT_SUBJECT } from './alerts.service';
import { Alert, AlertConnection, AlertSubject, AlertTypeEnum } from './alerts.types';

/** `alerts(…)`: the worklists (预警) in the caller's scope. Thin: rules and paging are in AlertsService. */
@Resolver(() => Alert)
export class AlertsResolver {
  @Query(() => AlertConnection, { description: 'Worklists (预警): the records that need action as of `asOf` (default now), oldest first, with counts by type.' })
  async alerts(
    @Ctx() ctx: AnalyticsContext,
    @Arg('regionId', () => ID, { nullable: true, description: 'Only alerts whose region is in this subtree (inside your scope).' }) regionId?: string | null,
    @Arg('types', () => [AlertTypeEnum], { nullable: true, description: 'The types to list and count (default: all).' }) types?: AlertType[] | null,
    @Arg('asOf', () => Date, { nullable: true, description: 'Evaluate the rules as of this instant (default now); later events and responses do not exist for it.' }) asOf?: Date | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_PAGE_SIZE, description: 'Page size, 1 to the configured maximum (500).' }) first?: number | null,
    @Arg('after', () => String, { nullable: true, description: 'The `endCursor` of the previous page.' }) after?: string | null,
  ): Promise<AlertConnection> {
    const args = { regionId, types, asOf, first, after };
    const page = await ctx.answers.get(['alerts', args], () => ctx.services.alerts.page(args, ctx.scope));
    const { edges } = page;
    return {
      edges: edges as AlertConnection['edges'],
      pageInfo: {
        hasNextPage: page.hasNextPage,
        hasPreviousPage: page.hasPreviousPage,
        startCursor: edges.length ? edges[0].cursor : null,
        endCursor: edges.length ? edges[edges.length - 1].cursor : null,
      },
      totalCount: page.totalCount,
      countsByType: page.countsByType,
      asOf: page.asOf,
    };
  }

  @FieldResolver(() => AlertSubject, { nullable: true, description: 'The record the alert is about (masked as everywhere); null if it is gone.' })
  subject(@Root() a: Alert, @Ctx() ctx: AnalyticsContext): Promise<Issue | Pairing | Cadre | Household | null> {
    const l = ctx.loaders;
    switch (ALERT_SUBJECT[a.type]) {
      case 'ISSUE':
        return l.issues.byId.load(a.subjectId);
      case 'PAIRING':
        return l.pairings.byId.load(a.subjectId);
      case 'CADRE':
        return l.cadres.byId.load(a.subjectId);
      case 'HOUSEHOLD':
        return l.households.byId.load(a.subjectId);
    }
  }

  @FieldResolver(() => Region)
  region(@Root() a: Alert, @Ctx() ctx: AnalyticsContext): Promise<Region | null> {
    return ctx.loaders.regions.byId.load(a.regionId);
  }

  @FieldResolver(() => Department, { nullable: true, description: 'Issue alerts: the issue’s department as of asOf.' })
  department(@Root() a: Alert, @Ctx() ctx: AnalyticsContext): Promise<Department | null> | null {
    return a.departmentId === null ? null : ctx.loaders.departments.byId.load(a.departmentId);
  }

  @FieldResolver(() => Cadre, { nullable: true, description: 'The cadre of a cadre or pairing alert; for an issue, the cadre of the visit that raised it.' })
  cadre(@Root() a: Alert, @Ctx() ctx: AnalyticsContext): Promise<Cadre | null> | null {
    return a.cadreId === null ? null : ctx.loaders.cadres.byId.load(a.cadreId);
  }
}
