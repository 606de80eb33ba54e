import type { Role } from './roles';

/** Who is calling: a signed-in user or a machine token. `regionId` scopes an OFFICER. */
export interface Principal {
  kind: 'user' | 'token';
  id: string;
  name: string;
  role: Role;
  regionId: string | null;
}
