import { Arg, Args, Ctx, FieldResolver, Float, Int, Query, Resolver, Root } from 'type-graphql';
import { badInput } from '../../domain/errors';
import { Cadre } from '../../modules/cadres/cadre.entity';
import { CadreConnection } from '../../modules/cadres/cadre.types';
import { Household } from '../../modules/households/household.entity';
import { HouseholdConnection } from '../../modules/households/household.types';
import { IssueConnection } from '../../modules/issues/issue.types';
import { Pairing } from '../../modules/pairings/pairing.entity';
import { PairingConnection } from '../../modules/pairings/pairing.types';
import { Region } from '../../modules/regions/region.entity';
import { ConnectionArgs, pageRequest } from '../../modules/shared/connection';
import { primeAll } from '../../modules/shared/dataloaders';
import { SurveyResponseConnection } from '../../modules/surveys/survey-response.types';
import { VisitConnection } from '../../modules/visits/visit.types';
import type { AnalyticsContext } from '../analytics.context';
import { CadreScorecard } from '../dashboard/scorecard.types';
import { readCadreFilter, readHouseholdFilter, readIssueFilter, readPairingFilter, readSurveyFilter, readVisitFilter } from './record-filters';
import { CadresRelationArgs, DrillInput, HouseholdFilter, HouseholdsArgs, IssueFilter, PairingsArgs, SurveyResponseFilter, VisitFilter } from './records.inputs';
import { refuseParentField } from './records.service';
import { Drill } from './records.types';

/** Merges top-level list arguments into the filter object; the same field given twice is refused. */
function merged(filter: object | null | undefined, args: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(filter ?? {}) };
  for (const [k, v] of Object.entries(args)) {
    if (v === undefined || v === null) continue;
    if (out[k] !== undefined && out[k] !== null) throw badInput(`${k} is given both as an argument and in filter`, { argument: k });
    out[k] = v;
  }
  return out;
}

/**
 * The record lists (action.md "The records behind a number"): issues, visits, responses,
 * households and pairings under the filters the measures need, and `drill`, the list behind
 * any metrics cell's count. Thin: validation and SQL are in record-filters.ts and the service.
 */
@Resolver()
export class RecordListResolver {
  @Query(() => IssueConnection, { description: 'Issues with their state as of `filter.asOf`, newest first by `receivedAt` (ties by id).' })
  async issues(@Arg('filter', () => IssueFilter, { nullable: true }) filter: IssueFilter | null, @Args() args: ConnectionArgs, @Ctx() ctx: AnalyticsContext): Promise<IssueConnection> {
    const page = await ctx.services.records.issues(ctx.scope, readIssueFilter(filter), pageRequest(args, ctx.config.limits));
    primeAll(ctx.loaders.issues.byId, page.stored);
    return new IssueConnection(page);
  }

  @Query(() => VisitConnection, { description: 'Visits, newest first (ties by id).' })
  async visits(@Arg('filter', () => VisitFilter, { nullable: true }) filter: VisitFilter | null, @Args() args: ConnectionArgs, @Ctx() ctx: AnalyticsContext): Promise<VisitConnection> {
    const page = await ctx.services.records.visits(ctx.scope, readVisitFilter(filter), pageRequest(args, ctx.config.limits));
    primeAll(ctx.loaders.visits.byId, page.stored);
    return new VisitConnection(page);
  }

  @Query(() => SurveyResponseConnection, { description: 'Survey responses, newest first by `respondedAt` (ties by id).' })
  async surveyResponses(
    @Arg('filter', () => SurveyResponseFilter, { nullable: true }) filter: SurveyResponseFilter | null,
    @Args() args: ConnectionArgs,
    @Ctx() ctx: AnalyticsContext,
  ): Promise<SurveyResponseConnection> {
    return new SurveyResponseConnection(await ctx.services.records.surveyResponses(ctx.scope, readSurveyFilter(filter), pageRequest(args, ctx.config.limits)));
  }

  @Query(() => HouseholdConnection, { description: 'Households by id, optionally of a region subtree, carrying tags, visited or paired.' })
  async households(@Args() args: HouseholdsArgs, @Ctx() ctx: AnalyticsContext): Promise<HouseholdConnection> {
    const filter = readHouseholdFilter(merged(args.filter, { regionId: args.regionId, tags: args.tags }));
    const page = await ctx.services.records.households(ctx.scope, filter, pageRequest(args, ctx.config.limits));
    primeAll(ctx.loaders.households.byId, page.stored);
    return new HouseholdConnection(page);
  }

  @Query(() => PairingConnection, { description: 'Pairings by id, optionally of one cadre or household, active on a date, visited or not.' })
  async pairings(@Args() args: PairingsArgs, @Ctx() ctx: AnalyticsContext): Promise<PairingConnection> {
    const filter = readPairingFilter(merged(args.filter, { cadreId: args.cadreId, householdId: args.householdId, activeOn: args.activeOn }));
    return new PairingConnection(await ctx.services.records.pairings(ctx.scope, filter, pageRequest(args, ctx.config.limits)));
  }

  @Query(() => Drill, { description: 'The records behind a number: the list whose totalCount is a metrics cell’s count (its numerator, denominator, or the count itself).' })
  drill(@Arg('input', () => DrillInput) input: DrillInput, @Ctx() ctx: AnalyticsContext): Drill {
    const part = input.part ?? 'NUMERATOR';
    return Drill.of(ctx.services.records.drill({ ...input, part }), input.measure, part);
  }
}

/** The connection of a drill's list (null for the other lists) and its total. */
@Resolver(() => Drill)
export class DrillResolver {
  @FieldResolver(() => Float, { description: 'The number the list adds up to: the count asked for (records, or stay days).' })
  total(@Root() d: Drill, @Ctx() ctx: AnalyticsContext): Promise<number> {
    return ctx.services.records.total(d.target, ctx.scope);
  }

  @FieldResolver(() => IssueConnection, { nullable: true })
  async issues(@Root() d: Drill, @Args() args: ConnectionArgs, @Ctx() ctx: AnalyticsContext): Promise<IssueConnection | null> {
    if (d.target.list !== 'issues') return null;
    const page = await ctx.services.records.issues(ctx.scope, d.target.filter, pageRequest(args, ctx.config.limits));
    primeAll(ctx.loaders.issues.byId, page.stored);
    return new IssueConnection(page);
  }

  @FieldResolver(() => VisitConnection, { nullable: true })
  async visits(@Root() d: Drill, @Args() args: ConnectionArgs, @Ctx() ctx: AnalyticsContext): Promise<VisitConnection | null> {
    if (d.target.list !== 'visits') return null;
    return new VisitConnection(await ctx.services.records.visits(ctx.scope, d.target.filter, pageRequest(args, ctx.config.limits)));
  }

  @FieldResolver(() => SurveyResponseConnection, { nullable: true })
  async surveyResponses(@Root() d: Drill, @Args() args: ConnectionArgs, @Ctx() ctx: AnalyticsContext): Promise<SurveyResponseConnection | null> {
    if (d.target.list !== 'surveyResponses') return null;
    return new SurveyResponseConnection(await ctx.services.records.surveyResponses(ctx.scope, d.target.filter, pageRequest(args, ctx.config.limits)));
  }

  @FieldResolver(() => HouseholdConnection, { nullable: true })
  async households(@Root() d: Drill, @Args() args: ConnectionArgs, @Ctx() ctx: AnalyticsContext): Promise<HouseholdConnection | null> {
    if (d.target.list !== 'households') return null;
    return new HouseholdConnection(await ctx.services.records.households(ctx.scope, d.target.filter, pageRequest(args, ctx.config.limits)));
  }

  @FieldResolver(() => PairingConnection, { nullable: true })
  async pairings(@Root() d: Drill, @Args() args: ConnectionArgs, @Ctx() ctx: AnalyticsContext): Promise<PairingConnection | null> {
    if (d.target.list !== 'pairings') return null;
    return new PairingConnection(await ctx.services.records.pairings(ctx.scope, d.target.filter, pageRequest(args, ctx.config.limits)));
  }
}

/** Region → its subtree's households, issues, visits and cadres, as paged connections (one statement per level). */
@Resolver(() => Region)
export class RegionRecordsResolver {
  @FieldResolver(() => HouseholdConnection, { description: 'Households of this region and below, by id.' })
  async households(@Root() r: Region, @Arg('filter', () => HouseholdFilter, { nullable: true }) filter: HouseholdFilter | null, @Args() args: ConnectionArgs, @Ctx() ctx: AnalyticsContext): Promise<HouseholdConnection> {
    return new HouseholdConnection(await ctx.recordLoaders.page('regionHouseholds', r.id, readHouseholdFilter(filter), pageRequest(args, ctx.config.limits)));
  }

  @FieldResolver(() => IssueConnection, { description: 'Issues raised in this region and below, newest first.' })
  async issues(@Root() r: Region, @Arg('filter', () => IssueFilter, { nullable: true }) filter: IssueFilter | null, @Args() args: ConnectionArgs, @Ctx() ctx: AnalyticsContext): Promise<IssueConnection> {
    return new IssueConnection(await ctx.recordLoaders.page('regionIssues', r.id, readIssueFilter(filter), pageRequest(args, ctx.config.limits)));
  }

  @FieldResolver(() => VisitConnection, { description: 'Visits in this region and below, newest first.' })
  async visits(@Root() r: Region, @Arg('filter', () => VisitFilter, { nullable: true }) filter: VisitFilter | null, @Args() args: ConnectionArgs, @Ctx() ctx: AnalyticsContext): Promise<VisitConnection> {
    return new VisitConnection(await ctx.recordLoaders.page('regionVisits', r.id, readVisitFilter(filter), pageRequest(args, ctx.config.limits)));
  }

  @FieldResolver(() => CadreConnection, { description: 'Cadres whose home region is this region or below, by id.' })
  async cadres(@Root() r: Region, @Args() args: CadresRelationArgs, @Ctx() ctx: AnalyticsContext): Promise<CadreConnection> {
    return new CadreConnection(await ctx.recordLoaders.page('regionCadres', r.id, readCadreFilter({ rank: args.rank }), pageRequest(args, ctx.config.limits)));
  }
}

/** Household → its visits, issues and survey responses (the household card), paged. */
@Resolver(() => Household)
export class HouseholdRecordsResolver {
  @FieldResolver(() => VisitConnection, { description: 'Visits naming this household, newest first.' })
  async visits(@Root() h: Household, @Arg('filter', () => VisitFilter, { nullable: true }) filter: VisitFilter | null, @Args() args: ConnectionArgs, @Ctx() ctx: AnalyticsContext): Promise<VisitConnection> {
    const f = readVisitFilter(filter);
    refuseParentField(f, 'householdId');
    return new VisitConnection(await ctx.recordLoaders.page('householdVisits', h.id, f, pageRequest(args, ctx.config.limits)));
  }

  @FieldResolver(() => IssueConnection, { description: 'Issues (appeals) of this household, newest first, with their state as of filter.asOf.' })
  async issues(@Root() h: Household, @Arg('filter', () => IssueFilter, { nullable: true }) filter: IssueFilter | null, @Args() args: ConnectionArgs, @Ctx() ctx: AnalyticsContext): Promise<IssueConnection> {
    const f = readIssueFilter(filter);
    refuseParentField(f, 'householdId');
    return new IssueConnection(await ctx.recordLoaders.page('householdIssues', h.id, f, pageRequest(args, ctx.config.limits)));
  }

  @FieldResolver(() => SurveyResponseConnection, { description: 'Survey responses naming this household, newest first.' })
  async surveys(@Root() h: Household, @Arg('filter', () => SurveyResponseFilter, { nullable: true }) filter: SurveyResponseFilter | null, @Args() args: ConnectionArgs, @Ctx() ctx: AnalyticsContext): Promise<SurveyResponseConnection> {
    const f = readSurveyFilter(filter);
    refuseParentField(f, 'householdId');
    return new SurveyResponseConnection(await ctx.recordLoaders.page('householdSurveys', h.id, f, pageRequest(args, ctx.config.limits)));
  }
}

/** Cadre → its visits and the responses naming it (the cadre ledger), paged, and its scorecard of a year. */
@Resolver(() => Cadre)
export class CadreRecordsResolver {
  @FieldResolver(() => VisitConnection, { description: 'Visits by this cadre, newest first.' })
  async visits(@Root() c: Cadre, @Arg('filter', () => VisitFilter, { nullable: true }) filter: VisitFilter | null, @Args() args: ConnectionArgs, @Ctx() ctx: AnalyticsContext): Promise<VisitConnection> {
    const f = readVisitFilter(filter);
    refuseParentField(f, 'cadreId');
    return new VisitConnection(await ctx.recordLoaders.page('cadreVisits', c.id, f, pageRequest(args, ctx.config.limits)));
  }

  @FieldResolver(() => SurveyResponseConnection, { description: 'Survey responses naming this cadre, newest first.' })
  async surveys(@Root() c: Cadre, @Arg('filter', () => SurveyResponseFilter, { nullable: true }) filter: SurveyResponseFilter | null, @Args() args: ConnectionArgs, @Ctx() ctx: AnalyticsContext): Promise<SurveyResponseConnection> {
    const f = readSurveyFilter(filter);
    refuseParentField(f, 'cadreId');
    return new SurveyResponseConnection(await ctx.recordLoaders.page('cadreSurveys', c.id, f, pageRequest(args, ctx.config.limits)));
  }

  @FieldResolver(() => CadreScorecard, { nullable: true, description: 'This cadre’s scorecard (量化考核) of a year, as cadreScorecards gives it; null outside your scope.' })
  scorecard(@Root() c: Cadre, @Arg('year', () => Int) year: number, @Arg('asOf', () => Date, { nullable: true }) asOf: Date | null, @Ctx() ctx: AnalyticsContext): Promise<CadreScorecard | null> {
    return ctx.recordLoaders.scorecard(c.id, year, asOf ?? null) as Promise<CadreScorecard | null>;
  }
}

/** Pairing → when its cadre last visited its household (结对联系). */
@Resolver(() => Pairing)
export class PairingRecordsResolver {
  @FieldResolver(() => Date, { nullable: true, description: 'The latest visit by this pairing’s cadre to its household, up to asOf (default now); null if none.' })
  lastVisitAt(@Root() p: Pairing, @Arg('asOf', () => Date, { nullable: true }) asOf: Date | null, @Ctx() ctx: AnalyticsContext): Promise<Date | null> {
    return ctx.recordLoaders.lastVisit(p.id, asOf ?? null);
  }
}

export const RECORD_RESOLVERS = [RecordListResolver, DrillResolver, RegionRecordsResolver, HouseholdRecordsResolver, CadreRecordsResolver, PairingRecordsResolver] as const;
