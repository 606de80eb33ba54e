import { byIdLoader } from '../shared/dataloaders';
import { Scope } from '../../domain/access';
import { VisitService } from './visit.service';

/** Visits by id. */
export function createVisitLoaders(service: VisitService, scope: Scope) {
    return { byId: byIdLoader((ids) => service.findByIds(scope, ids)) };
}
