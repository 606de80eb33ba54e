import { Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { badInput, UserError } from '../../domain/errors';
import { Region } from '../../modules/regions/region.entity';
import type { AnalyticsContext } from '../analytics.context';
import { MonthlyReportData, reportTitle } from './monthly-report.service';
import { MonthlyReport, MonthlyReportArgs, MonthlyReportKeyArgs, MonthlyReportPublication, MonthlyReportRow, MonthlyReportsArgs } from './monthly-report.types';
import type { PublicationData } from './published-reports';

const reports = (ctx: AnalyticsContext) => ctx.services.reports;
const region = (ctx: AnalyticsContext, id: string | null) => (id === null ? null : ctx.loaders.regions.byId.load(id));
const asReport = (data: MonthlyReportData, publication: PublicationData | null): MonthlyReport => ({ ...data, publication }) as MonthlyReport;

/** `monthlyReport`, `monthlyReports`, `publishMonthlyReport` (action.md "Monthly ranked report"). */
@Resolver(() => MonthlyReport)
export class MonthlyReportResolver {
  @Query(() => MonthlyReport, {
    description: '月度通报 for a local month: live as of `asOf` (default now), or a published `version` exactly as it was published.',
  })
  async monthlyReport(@Args() args: MonthlyReportArgs, @Ctx() ctx: AnalyticsContext): Promise<MonthlyReport> {
    const { version, asOf, ...key } = args;
    if (version !== null && version !== undefined) {
      if (asOf) throw badInput('asOf cannot be given with version: a published report is as of its publication', { argument: 'asOf' });
      const p = await reports(ctx).published({ ...key, version }, ctx.scope);
      return asReport(p.report, p.publication);
    }
    const data = await ctx.answers.get(['monthlyReport', key, asOf ?? null], () => reports(ctx).render({ ...key, asOf }, ctx.scope));
    return asReport(data, null);
  }

  @Query(() => [MonthlyReportPublication], { description: 'Published monthly reports visible to you, newest first, with who published them and when.' })
  monthlyReports(@Args() args: MonthlyReportsArgs, @Ctx() ctx: AnalyticsContext): Promise<PublicationData[]> {
    const max = ctx.config.limits.maxPageSize;
    if (!Number.isInteger(args.first) || args.first < 1 || args.first > max) throw badInput(`"first" must be from 1 to ${max}, got ${args.first}`, { argument: 'first', max });
    return reports(ctx).list(args, ctx.scope, args.first);
  }

  @Mutation(() => MonthlyReportPublication, {
    description: 'Publishes the monthly report as of now (ADMIN only): a new version; earlier versions stay readable. It reads the same forever after.',
  })
  async publishMonthlyReport(@Args() args: MonthlyReportKeyArgs, @Ctx() ctx: AnalyticsContext): Promise<PublicationData> {
    if (!ctx.principal) throw new UserError('UNAUTHENTICATED', 'sign in or send Authorization: Bearer <token>');
    return (await reports(ctx).publish(args, ctx.principal)).publication;
  }

  @FieldResolver(() => String, { description: 'The notice’s title, e.g. 关于2026年3月群众诉求办理情况的通报.' })
  title(@Root() r: MonthlyReport): string {
    return reportTitle(r.month);
  }

  @FieldResolver(() => Region, { nullable: true, description: 'The region the report covers; null for your whole scope.' })
  region(@Root() r: MonthlyReport, @Ctx() ctx: AnalyticsContext): Promise<Region | null> | null {
    return region(ctx, r.regionId);
  }

  @FieldResolver(() => MonthlyReportPublication, { nullable: true, description: 'The publication, when this is a published version; null for a live report.' })
  published(@Root() r: MonthlyReport): PublicationData | null {
    return r.publication;
  }
}

/** A report row's region. */
@Resolver(() => MonthlyReportRow)
export class MonthlyReportRowResolver {
  @FieldResolver(() => Region)
  region(@Root() r: MonthlyReportRow, @Ctx() ctx: AnalyticsContext): Promise<Region | null> | null {
    return region(ctx, r.regionId);
  }
}

/** A publication's region and report. */
@Resolver(() => MonthlyReportPublication)
export class MonthlyReportPublicationResolver {
  @FieldResolver(() => Region, { nullable: true, description: 'Null for a report of the whole county.' })
  region(@Root() p: MonthlyReportPublication, @Ctx() ctx: AnalyticsContext): Promise<Region | null> | null {
    return region(ctx, p.regionId);
  }

  @FieldResolver(() => MonthlyReport, { description: 'The report exactly as it was published.' })
  async report(@Root() p: MonthlyReportPublication, @Ctx() ctx: AnalyticsContext): Promise<MonthlyReport> {
    return asReport(await reports(ctx).reportOf(p, ctx.scope), p);
  }
}

/** Every resolver class of the monthly report (registered together in graphql/resolvers.ts). */
export const REPORT_RESOLVERS = [MonthlyReportResolver, MonthlyReportRowResolver, MonthlyReportPublicationResolver] as const;
