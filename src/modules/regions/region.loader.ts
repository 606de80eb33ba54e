import DataLoader from 'dataloader';
import { DataSource } from 'typeorm';
import { byIdLoader, groupLoader, MAX_BATCH } from '../../graphql/loaders';
import { Scope } from '../../graphql/scope';
import { Region } from './region.entity';
import { RegionService } from './region.service';

/** Regions by id, children by parent id, ancestors (root first) by region id. */
export function createRegionLoaders(ds: DataSource, scope: Scope) {
  const service = new RegionService(ds, scope);
  const byId = byIdLoader((ids) => service.findByIds(ids));
  const children = groupLoader((ids) => service.childrenOf(ids), (r) => r.parentId, byId);
  const ancestors = new DataLoader<string, Region[]>(
    async (ids) => {
      const lists = new Map<string, Region[]>(ids.map((id) => [id, []]));
      for (const a of await service.ancestorsOf(ids)) {
        byId.prime(a.region.id, a.region);
        lists.get(a.descendantId)?.push(a.region);
      }
      return ids.map((id) => lists.get(id)!);
    },
    { maxBatchSize: MAX_BATCH },
  );
  return { byId, children, ancestors };
}
