import { randomUUID } from 'node:crypto';
import type { AnalyticsContext } from '../analytics/analytics.context';
import type { AuditContext } from '../audit/audit.resolver';
import { Principal, Scope, scopeOf, UNSCOPED } from '../domain/access';
import type { Logger } from '../logger';
import { createLoaders } from '../modules/loaders';
import { createRecordLoaders } from '../analytics/records/records.loader';
import type { ModulesContext } from '../modules/modules.context';
import type { RecordingContext } from '../recording/recording.resolver';
import type { Services } from '../services';
import { PersonalDisclosures } from './disclosures';

/**
 * What every resolver receives: the caller, its scope, this request's loaders and answer-cache
 * view, and the services built once at start-up. Each folder with resolvers types the part it
 * uses (ModulesContext, AnalyticsContext, RecordingContext); this is the whole of it.
 */
export interface Context extends ModulesContext, AnalyticsContext, RecordingContext, AuditContext {
  services: Services;
  log: Logger;
  /** Access checks already made in this request, by the ids they named (graphql/access.guard.ts). */
  checkedIds: Map<string, Promise<void>>;
  /** Records this response carries with unmasked personal fields, for the audit trail. */
  disclosures: PersonalDisclosures;
}

/** A request's context; its loaders are made for its scope (default: everything). */
export function createContext(
  services: Services,
  log: Logger,
  requestId: string = randomUUID(),
  scope: Scope = UNSCOPED,
  principal: Principal | null = null,
): Context {
  return {
    requestId,
    config: services.config,
    services,
    log,
    principal,
    scope,
    loaders: createLoaders(services.entities, scope),
    recordLoaders: createRecordLoaders(services.records, services.scorecards, scope),
    answers: services.answers.forRequest(principal?.role ?? null, scope),
    checkedIds: new Map(),
    disclosures: new PersonalDisclosures(),
  };
}

/** The context of an authenticated request: scope derived from the principal, in this one place. */
export function contextFor(services: Services, log: Logger, principal: Principal, requestId: string = randomUUID()): Context {
  return createContext(services, log, requestId, scopeOf(principal), principal);
}
