import { hostname, userInfo } from 'node:os';
import type { AuditActor } from '../domain/audit';

/** The command line's actor in the audit trail: the operating-system user on this host. */
export function cliActor(): AuditActor {
  let user = `uid ${process.getuid?.() ?? '?'}`;
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (some containers): the numeric uid names the user.
  }
  return { kind: 'cli', id: user, name: `${user}@${hostname()}`, role: null, scopeRegionId: null, channel: 'CLI', requestId: null };
}
