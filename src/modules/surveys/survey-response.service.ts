import { DataSource } from 'typeorm';
import { selectInScope } from '../shared/select-in-scope';
import { Scope } from '../../domain/access';
import { SurveyResponse } from './survey-response.entity';

/** Reads survey responses by issue within the request's scope (lists: analytics/records). */
export class SurveyResponseService {
  constructor(private readonly ds: DataSource) {}

  private select(scope: Scope) {
    return selectInScope(this.ds, scope, SurveyResponse, 's');
  }

  /** The responses linked to these issues, ordered by `respondedAt` then id. */
  ofIssues(scope: Scope, issueIds: readonly string[]): Promise<SurveyResponse[]> {
    return this.select(scope)
      .where('s.issueId IN (:...issueIds)', { issueIds })
      .orderBy('s.respondedAt', 'ASC')
      .addOrderBy('s.id', 'ASC')
      .getMany();
  }
}
