import { byIdLoader } from '../shared/dataloaders';
import { Scope } from '../../domain/access';
import { CadreService } from './cadre.service';

/** Cadres by id. */
export function createCadreLoaders(service: CadreService, scope: Scope) {
    return { byId: byIdLoader((ids) => service.findByIds(scope, ids)) };
}
