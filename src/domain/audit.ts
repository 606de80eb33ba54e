import type { Principal, Role, Scope } from './access';
import type { AuditChannel, AuditKind } from './enums';

/*
 * The audit trail of personal data (个人信息保护法) as plain values: who accessed, how, what and
 * how much. The transports say who (a principal, the command line, a scheduled job); the
 * services that disclose data record it (src/audit/audit-trail.ts).
 */

/** Who accessed data, and through which door. */
export interface AuditActor {
  kind: 'user' | 'token' | 'cli' | 'job';
  id: string;
  name: string;
  /** Null for the command line and scheduled jobs (the operator's own access). */
  role: Role | null;
  /** The region whose subtree the access covered; null = the whole county. */
  scopeRegionId: string | null;
  channel: AuditChannel;
  /** The HTTP request id (X-Request-Id), to find the access in the log. */
  requestId: string | null;
}

/** One access to record: an append to the trail. */
export interface AuditEvent {
  kind: AuditKind;
  /** A GraphQL operation (`query HouseholdList`), an extract's dataset, an export's name. */
  operation: string;
  /** How many records left the service (distinct records for GraphQL, rows for extracts and exports). */
  records: number;
  actor: AuditActor;
  /** What else helps an auditor (fields disclosed, format, filters); kept as JSON, cut at 2,000 characters. */
  details?: Record<string, unknown>;
}

/** The actor of an HTTP request made by a principal, in the scope it reads in. */
export function httpActor(principal: Principal, scope: Scope, requestId: string | null): AuditActor {
  return {
    kind: principal.kind,
    id: principal.id,
    name: principal.name,
    role: principal.role,
    scopeRegionId: scope.regionId,
    channel: 'HTTP',
    requestId,
  };
}

/** A scheduled extract job (EXTRACT_JOBS), run by the server for the operator. */
export function jobActor(jobName: string): AuditActor {
  return { kind: 'job', id: jobName, name: `extract job ${jobName}`, role: null, scopeRegionId: null, channel: 'JOB', requestId: null };
}
