import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { AnalyticsContext } from './analytics.context';
import { Cadre } from '../modules/cadres/cadre.entity';
import { Department } from '../modules/departments/department.entity';
import { Region } from '../modules/regions/region.entity';
import { CATALOGUE, factsOf } from './catalogue';
import { MetricDefinition, MetricsQuery, MetricsResult, MetricsRow } from './metrics.types';

/** metrics and metricDefinitions (api.md "Analytics"). */
@Resolver(() => MetricsRow)
export class MetricsResolver {
  @Query(() => MetricsResult, { description: 'Computes measures grouped by dimensions over a date range (metrics.md).' })
  metrics(@Arg('query', () => MetricsQuery) query: MetricsQuery, @Ctx() ctx: AnalyticsContext): Promise<MetricsResult> {
    const q = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== null && v !== undefined));
    return ctx.answers.get(['metrics', q], () => ctx.services.metrics.compute(q as never, ctx.scope));
  }

  @Query(() => [MetricDefinition], { description: 'The metric catalogue: every measure with its version, names, unit and formula.' })
  metricDefinitions(): MetricDefinition[] {
    return [...CATALOGUE.values()].map((m) => ({
      measure: m.id,
      version: m.version,
      name: m.zh,
      nameEn: m.en,
      unit: m.unit,
      formula: m.formula,
      facts: factsOf(m),
      dimensions: m.dimensions,
      better: m.better,
    }));
  }

  @FieldResolver(() => Region, { nullable: true, description: 'Null when not grouped by REGION, or for facts recorded above the level.' })
  region(@Root() row: MetricsRow, @Ctx() ctx: AnalyticsContext): Promise<Region | null> | null {
    return row.regionId === null ? null : ctx.loaders.regions.byId.load(row.regionId);
  }

  @FieldResolver(() => Cadre, { nullable: true })
  cadre(@Root() row: MetricsRow, @Ctx() ctx: AnalyticsContext): Promise<Cadre | null> | null {
    return row.cadreId === null ? null : ctx.loaders.cadres.byId.load(row.cadreId);
  }

  @FieldResolver(() => Department, { nullable: true, description: 'The issues’ department as of asOf; null also for issues never assigned.' })
  department(@Root() row: MetricsRow, @Ctx() ctx: AnalyticsContext): Promise<Department | null> | null {
    return row.departmentId === null ? null : ctx.loaders.departments.byId.load(row.departmentId);
  }
}
