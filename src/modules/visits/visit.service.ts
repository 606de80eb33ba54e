import { DataSource } from 'typeorm';
import { selectInScope } from '../shared/select-in-scope';
import { Scope } from '../../domain/access';
import { Visit } from './visit.entity';

/** Reads visits by id within the request's scope (lists: analytics/records). */
export class VisitService {
  constructor(private readonly ds: DataSource) {}

  private select(scope: Scope) {
    return selectInScope(this.ds, scope, Visit, 'v');
  }

  /** The visits with these ids (unknown or out-of-scope ids are absent). */
  findByIds(scope: Scope, ids: readonly string[]): Promise<Visit[]> {
    return this.select(scope).where('v.id IN (:...ids)', { ids }).getMany();
  }
}
