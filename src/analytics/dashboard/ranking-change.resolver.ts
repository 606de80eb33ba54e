import { FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { RankingEntry } from './dashboard.types';
import { RankingEntryWithChange, rankChange } from './ranking-change';
import { RankPlace } from './ranking-change.types';

/** A ranking entry's place the month before and its change of rank (the ranking panel's 环比). */
@Resolver(() => RankingEntry)
export class RankingChangeResolver {
  @FieldResolver(() => RankPlace, {
    nullable: true,
    description: 'Place in the month before: the range moved back one calendar month (March 1–31 → February 1–28), same asOf, ranked the same way.',
  })
  previous(@Root() e: RankingEntry & Partial<RankingEntryWithChange>): Promise<RankPlace | null> | null {
    return e.monthBefore ? e.monthBefore() : null;
  }

  @FieldResolver(() => Int, { nullable: true, description: 'previous.rank − rank (positive: rose); null unless both have a value.' })
  async rankChange(@Root() e: RankingEntry & Partial<RankingEntryWithChange>): Promise<number | null> {
    return e.monthBefore ? rankChange(e, await e.monthBefore()) : null;
  }
}
