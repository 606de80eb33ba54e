import DataLoader from 'dataloader';
import type { Scope } from '../../domain/access';
import type { PageRequest } from '../../modules/shared/connection';
import { MAX_BATCH } from '../../modules/shared/dataloaders';
import type { CadreRecordFilter, RecordFilterOf } from './record-filters';
import type { ScorecardData, ScorecardService } from '../dashboard/scorecard.service';
import type { RecordPage, RecordsService, RelationList, RelationName } from './records.service';

type FilterOf<R extends RelationName> = (RecordFilterOf & { cadres: CadreRecordFilter })[RelationList<R>];

/**
 * Per-request loaders of the relations both ways (Region.issues, Household.visits, …): for each
 * relation and set of arguments one loader, so every parent of a level shares one statement for
 * its first pages (ROW_NUMBER per parent, records.service.ts) and one for its totalCounts.
 */
export function createRecordLoaders(records: RecordsService, scorecards: ScorecardService, scope: Scope) {
  const loaders = new Map<string, { pages: DataLoader<string, RecordPage<unknown>>; counts: DataLoader<string, number> }>();
  const lastVisits = new Map<number | null, DataLoader<string, Date | null>>();
  const cards = new Map<string, DataLoader<string, ScorecardData | null>>();
  return {
    /** The latest visit by a pairing's cadre to its household (up to asOf), batched per level. */
    lastVisit(pairingId: string, asOf: Date | null): Promise<Date | null> {
      const key = asOf ? asOf.getTime() : null;
      let l = lastVisits.get(key);
      if (!l) lastVisits.set(key, (l = new DataLoader(async (ids) => { const m = await records.lastVisits(scope, ids, asOf); return ids.map((id) => m.get(id) ?? null); }, { maxBatchSize: MAX_BATCH })));
      return l.load(pairingId);
    },
    /** A cadre's scorecard of a year: every visible cadre's computed once per request and (year, asOf). */
    scorecard(cadreId: string, year: number, asOf: Date | null): Promise<ScorecardData | null> {
      const key = JSON.stringify([year, asOf ? asOf.getTime() : null]);
      let l = cards.get(key);
      if (!l) {
        cards.set(key, (l = new DataLoader(async (ids) => {
          const all = new Map((await scorecards.all(year, scope, null, asOf)).map((c) => [c.cadreId, c]));
          return ids.map((id) => all.get(id) ?? null);
        }, { maxBatchSize: MAX_BATCH })));
      }
      return l.load(cadreId);
    },
    /** The first page of `relation` under `parentId`, with a totalCount batched with the other parents'. */
    page<T, R extends RelationName = RelationName>(relation: R, parentId: string, filter: FilterOf<R>, page: PageRequest): Promise<RecordPage<T>> {
      const key = JSON.stringify([relation, filter, page.first ?? null, page.after ?? null]);
      let l = loaders.get(key);
      if (!l) {
        l = {
          pages: new DataLoader(async (ids) => {
            const pages = await records.firstPages(relation, ids, scope, filter as never, page);
            return ids.map((id) => pages.get(id)! as RecordPage<unknown>);
          }, { maxBatchSize: MAX_BATCH }),
          counts: new DataLoader(async (ids) => {
            const n = await records.counts(relation, ids, scope, filter as never);
            return ids.map((id) => n.get(id) ?? 0);
          }, { maxBatchSize: MAX_BATCH }),
        };
        loaders.set(key, l);
      }
      const { pages, counts } = l;
      return pages.load(parentId).then((p) => ({ ...(p as RecordPage<T>), count: () => counts.load(parentId) }));
    },
  };
}

export type RecordLoaders = ReturnType<typeof createRecordLoaders>;
