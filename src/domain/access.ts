/*
 * Who is calling and what part of the county they may read: plain types every layer shares
 * (the transports map them to their wire forms; the services only read them).
 */

/** The roles of api.md "Access", and what each may do. */
export const ROLES = ['ADMIN', 'ANALYST', 'OFFICER', 'EXTRACT', 'INGEST'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(x: unknown): x is Role {
  return typeof x === 'string' && (ROLES as readonly string[]).includes(x);
}

/** May read entities and aggregates (GraphQL queries). INGEST writes only. */
export const canRead = (r: Role) => r !== 'INGEST';
/** May import and call recording mutations. */
export const canWrite = (r: Role) => r === 'ADMIN' || r === 'INGEST';
/** May pull extracts. */
export const canExtract = (r: Role) => r === 'ADMIN' || r === 'EXTRACT';
/** Sees personal data unmasked: ADMIN everywhere, OFFICER inside its own subtree (the only place it can read). */
export const seesPersonalData = (r: Role) => r === 'ADMIN' || r === 'OFFICER';
/** Manages users and tokens, and reads the audit trail. */
export const canAdminister = (r: Role) => r === 'ADMIN';
/**
 * May pull this extract: ADMIN and EXTRACT every dataset, except the audit trail, which only
 * ADMIN reads (api.md "Several processes, and who saw what"): it says who looked at whose data,
 * which a BI machine role has no business reading.
 */
export const canExtractDataset = (r: Role, dataset: string) => canExtract(r) && (dataset !== 'audit_log' || canAdminister(r));

/** Who is calling: a signed-in user or a machine token. `regionId` scopes an OFFICER. */
export interface Principal {
  kind: 'user' | 'token';
  id: string;
  name: string;
  role: Role;
  regionId: string | null;
}

/**
 * What part of the county a request may read: the subtree of `regionId`, or everything when
 * it is null. Every entity query starts from `selectInScope` (modules/shared) and every
 * aggregate joins the scope's subtree, so this is the one value the restriction comes from.
 */
export interface Scope {
  readonly regionId: string | null;
}

/** The default scope: everything. */
export const UNSCOPED: Scope = Object.freeze({ regionId: null });

/** The scope a principal reads in: an OFFICER its region's subtree, every other role the whole county. */
export function scopeOf(principal: Principal): Scope {
  return principal.role === 'OFFICER' && principal.regionId ? Object.freeze({ regionId: principal.regionId }) : UNSCOPED;
}
