import { registerEnumType } from 'type-graphql';

/** The roles of api.md "Access", and what each may do. */
export const ROLES = ['ADMIN', 'ANALYST', 'OFFICER', 'EXTRACT', 'INGEST'] as const;
export type Role = (typeof ROLES)[number];

/** The roles as a GraphQL enum. */
export const RoleEnum = Object.fromEntries(ROLES.map((r) => [r, r])) as { [K in Role]: K };
registerEnumType(RoleEnum, { name: 'Role', description: 'What a user or token may do (api.md "Access").' });

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
/** Manages users and tokens. */
export const canAdminister = (r: Role) => r === 'ADMIN';
