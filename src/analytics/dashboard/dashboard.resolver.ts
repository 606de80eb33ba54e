import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { RegionLevel } from '../../domain/enums';
import type { AnalyticsContext } from '../analytics.context';
import { RegionLevelEnum } from '../../modules/shared/graphql-enums';
import { Department } from '../../modules/departments/department.entity';
import { Region } from '../../modules/regions/region.entity';
import { GranularityEnum, MeasureEnum } from '../analytics.enums';
import type { Granularity, Measure } from '../analytics.enums';
import {
  AgeingBucket,
  CategoryRow,
  Dashboard,
  DashboardFilter,
  DashboardFilterEcho,
  DepartmentCount,
  FalseClosureRow,
  FestivalRow,
  KpiTile,
  RankingEntry,
  TrendPoint,
} from './dashboard.types';
import { rankingMonthBefore, withMonthBefore } from './ranking-change';

const service = (ctx: AnalyticsContext) => ctx.services.dashboard;
const region = (ctx: AnalyticsContext, id: string | null) => (id === null ? null : ctx.loaders.regions.byId.load(id));

/** `dashboard(filter)` and its panels; each panel is one field resolver calling the service. */
@Resolver(() => Dashboard)
export class DashboardResolver {
  @Query(() => Dashboard, { description: 'The satisfaction dashboard over a range; select the panels you need.' })
  async dashboard(@Arg('filter', () => DashboardFilter) filter: DashboardFilter, @Ctx() ctx: AnalyticsContext): Promise<Dashboard> {
    // The resolved filter (its default asOf included) is reused with the panels computed on it.
    return new Dashboard(await ctx.answers.get(['dashboard', filter], () => service(ctx).resolveFilter(filter, ctx.scope)));
  }

  @FieldResolver(() => DashboardFilterEcho, { description: 'The filter as applied, with the previous period.' })
  filter(@Root() d: Dashboard): DashboardFilterEcho {
    return d.data;
  }

  @FieldResolver(() => [KpiTile], { description: 'KPI tiles with the previous period and the change.' })
  overview(@Root() d: Dashboard, @Ctx() ctx: AnalyticsContext): Promise<KpiTile[]> {
    return ctx.answers.get(['overview', d.data], () => service(ctx).overview(d.data, ctx.scope));
  }

  @FieldResolver(() => [TrendPoint], { description: 'One point per bucket; default measures: the overview’s.' })
  trend(
    @Root() d: Dashboard,
    @Ctx() ctx: AnalyticsContext,
    @Arg('granularity', () => GranularityEnum, { defaultValue: 'MONTH' }) granularity: Granularity,
    @Arg('measures', () => [MeasureEnum], { nullable: true }) measures?: Measure[] | null,
  ): Promise<TrendPoint[]> {
    return ctx.answers.get(['trend', d.data, granularity, measures ?? null], () => service(ctx).trend(d.data, ctx.scope, granularity, measures ?? null));
  }

  @FieldResolver(() => [RankingEntry], { description: 'Regions of a level ranked by a measure (best first by its `better`), with tie bands and the place the month before.' })
  async ranking(
    @Root() d: Dashboard,
    @Ctx() ctx: AnalyticsContext,
    @Arg('level', () => RegionLevelEnum) level: RegionLevel,
    @Arg('measure', () => MeasureEnum, { defaultValue: 'SATISFIED_RATE' }) measure: Measure,
  ): Promise<RankingEntry[]> {
    const entries = await ctx.answers.get(['ranking', d.data, level, measure], () => service(ctx).ranking(d.data, ctx.scope, level, measure));
    // `previous` and `rankChange` (ranking-change.resolver.ts) compute the month before only when selected.
    return withMonthBefore(entries, () => ctx.answers.get(['rankingMonthBefore', d.data, level, measure], () => rankingMonthBefore(service(ctx), d.data, ctx.scope, level, measure)));
  }

  @FieldResolver(() => [CategoryRow], { description: 'Per issue category: received, closure, resolution, satisfied, false closure.' })
  categories(@Root() d: Dashboard, @Ctx() ctx: AnalyticsContext): Promise<CategoryRow[]> {
    return ctx.answers.get(['categories', d.data], () => service(ctx).categories(d.data, ctx.scope));
  }

  @FieldResolver(() => [AgeingBucket], { description: 'Open issues at the end instant by age: 0–3, 3–7, 7–15, 15–30, 30+ days.' })
  backlogAgeing(@Root() d: Dashboard, @Ctx() ctx: AnalyticsContext): Promise<AgeingBucket[]> {
    return ctx.answers.get(['backlogAgeing', d.data], () => service(ctx).backlogAgeing(d.data, ctx.scope));
  }

  @FieldResolver(() => [FestivalRow], { description: 'Per region: visits, festival visits, share; flagged at ≥ 0.8.' })
  festivalVisiting(@Root() d: Dashboard, @Ctx() ctx: AnalyticsContext, @Arg('level', () => RegionLevelEnum) level: RegionLevel): Promise<FestivalRow[]> {
    return ctx.answers.get(['festivalVisiting', d.data, level], () => service(ctx).festivalVisiting(d.data, ctx.scope, level));
  }

  @FieldResolver(() => [FalseClosureRow], { description: 'Per region: resident-denied closures, closure vs resolution rate.' })
  falseClosures(@Root() d: Dashboard, @Ctx() ctx: AnalyticsContext, @Arg('level', () => RegionLevelEnum) level: RegionLevel): Promise<FalseClosureRow[]> {
    return ctx.answers.get(['falseClosures', d.data, level], () => service(ctx).falseClosures(d.data, ctx.scope, level));
  }
}

/** The filter echo’s region. */
@Resolver(() => DashboardFilterEcho)
export class DashboardFilterEchoResolver {
  @FieldResolver(() => Region, { nullable: true, description: 'The filter region; null when the whole scope is shown.' })
  region(@Root() f: DashboardFilterEcho, @Ctx() ctx: AnalyticsContext): Promise<Region | null> | null {
    return region(ctx, f.regionId);
  }
}

/** A ranking entry’s region (always inside the scope). */
@Resolver(() => RankingEntry)
export class RankingEntryResolver {
  @FieldResolver(() => Region)
  region(@Root() e: RankingEntry, @Ctx() ctx: AnalyticsContext): Promise<Region | null> | null {
    return region(ctx, e.regionId);
  }
}

/** A festival row’s region. */
@Resolver(() => FestivalRow)
export class FestivalRowResolver {
  @FieldResolver(() => Region, { nullable: true, description: 'Null for visits recorded above the level.' })
  region(@Root() r: FestivalRow, @Ctx() ctx: AnalyticsContext): Promise<Region | null> | null {
    return region(ctx, r.regionId);
  }
}

/** A false-closure row’s region. */
@Resolver(() => FalseClosureRow)
export class FalseClosureRowResolver {
  @FieldResolver(() => Region, { nullable: true, description: 'Null for issues recorded above the level.' })
  region(@Root() r: FalseClosureRow, @Ctx() ctx: AnalyticsContext): Promise<Region | null> | null {
    return region(ctx, r.regionId);
  }
}

/** An ageing band’s department. */
@Resolver(() => DepartmentCount)
export class DepartmentCountResolver {
  @FieldResolver(() => Department, { nullable: true })
  department(@Root() d: DepartmentCount, @Ctx() ctx: AnalyticsContext): Promise<Department | null> | null {
    return d.departmentId === null ? null : ctx.loaders.departments.byId.load(d.departmentId);
  }
}

/** Every resolver class of the dashboard (registered together in graphql/resolvers.ts). */
export const DASHBOARD_RESOLVERS = [
  DashboardResolver,
  DashboardFilterEchoResolver,
  RankingEntryResolver,
  FestivalRowResolver,
  FalseClosureRowResolver,
  DepartmentCountResolver,
] as const;
