import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { AnalyticsContext } from '../analytics.context';
import { Cadre } from '../../modules/cadres/cadre.entity';
import { ScorecardOrder, ScorecardService } from './scorecard.service';
import { CadreScorecard, CadreScorecardConnection, ScorecardOrderEnum } from './scorecard.types';

/** `cadreScorecards(year, …)`: a keyset page of annual cadre scorecards within the scope. */
@Resolver(() => CadreScorecard)
export class CadreScorecardResolver {
  @Query(() => CadreScorecardConnection, { description: 'Cadre scorecards (量化考核) for a calendar year, ranked by composite with veto.' })
  async cadreScorecards(
    @Ctx() ctx: AnalyticsContext,
    @Arg('year', () => Int) year: number,
    @Arg('regionId', () => ID, { nullable: true }) regionId?: string | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
    @Arg('orderBy', () => ScorecardOrderEnum, { nullable: true, defaultValue: 'COMPOSITE' }) orderBy?: ScorecardOrder | null,
    @Arg('asOf', () => Date, { nullable: true, description: 'Facts and pace as of this instant (default now).' }) asOf?: Date | null,
  ): Promise<CadreScorecardConnection> {
    const args = { year, regionId, first, after, orderBy, asOf };
    const page = await ctx.answers.get(['cadreScorecards', args], () => ctx.services.scorecards.page(args, ctx.scope));
    return new CadreScorecardConnection({
      edges: page.nodes.map((node, i) => ({ cursor: page.cursors[i], node })),
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.hasPreviousPage,
      count: async () => page.totalCount,
    });
  }

  @FieldResolver(() => Cadre)
  cadre(@Root() s: CadreScorecard, @Ctx() ctx: AnalyticsContext): Promise<Cadre | null> {
    return ctx.loaders.cadres.byId.load(s.cadreId);
  }
}
