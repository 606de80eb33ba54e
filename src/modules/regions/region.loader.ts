import DataLoader from 'dataloader';
import { byIdLoader, groupLoader, MAX_BATCH } from '../shared/dataloaders';
import { Scope } from '../../domain/access';
import { Region } from './region.entity';
import { RegionService } from './region.service';

/** Regions by id, children by parent id, ancestors (root first) by region id. */
export function createRegionLoaders(service: RegionService, scope: Scope) {
  const byId = byIdLoader((ids) => service.findByIds(scope, ids));
  const children = groupLoader((ids) => service.childrenOf(scope, ids), (r) => r.parentId, byId);
  const ancestors = new DataLoader<string, Region[]>(
    async (ids) => {
      const lists = new Map<string, Region[]>(ids.map((id) => [id, []]));
      for (const a of await service.ancestorsOf(scope, ids)) {
        byId.prime(a.region.id, a.region);
        lists.get(a.descendantId)?.push(a.region);
      }
      return ids.map((id) => lists.get(id)!);
    },
    { maxBatchSize: MAX_BATCH },
  );
  return { byId, children, ancestors };
}
