import { registerEnumType } from 'type-graphql';
import { Role, ROLES } from '../domain/access';

/** The roles (domain/access.ts) as a GraphQL enum. */
export const RoleEnum = Object.fromEntries(ROLES.map((r) => [r, r])) as { [K in Role]: K };
registerEnumType(RoleEnum, { name: 'Role', description: 'What a user or token may do (api.md "Access").' });
