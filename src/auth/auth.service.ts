import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource, IsNull } from 'typeorm';
import { ApiToken, Session, User } from './access.entity';
import { hashPassword, randomPassword, verifyPassword } from './password';
import type { Principal } from '../domain/access';
import { isRole, Role, ROLES } from '../domain/access';
import { hashSecret, newSecret } from './tokens';

export class AccessError extends Error {}

export interface NewPrincipal {
  role: string;
  regionId?: string | null;
}

/** Last-used times are written at most once a minute per token, so reads stay reads. */
const LAST_USED_RESOLUTION_MS = 60_000;
/** Verifying a password for an unknown user costs the same as for a known one. */
const DUMMY_HASH_PROMISE = hashPassword(randomBytes(8).toString('hex'));

/** Users, machine tokens and sessions: creation, checking and revocation. */
export class AuthService {
  constructor(
    private readonly ds: DataSource,
    private readonly sessionTtlMs: number = 12 * 3600_000,
  ) {}

  /** Creates a user; OFFICER needs a region, the others may not have one. */
  async createUser(input: NewPrincipal & { username: string; password: string }): Promise<User> {
    const { role, regionId } = await this.checkRoleAndRegion(input);
    if (!/^[A-Za-z0-9_.@-]{2,64}$/.test(input.username)) {
      throw new AccessError('username: 2–64 letters, digits or _ . @ -');
    }
    if (input.password.length < 10) throw new AccessError('password: at least 10 characters');
    if (await this.ds.getRepository(User).exists({ where: { username: input.username } })) {
      throw new AccessError(`username ${input.username} is taken`);
    }
    const user = this.ds.getRepository(User).create({
      id: randomUUID(),
      username: input.username,
      passwordHash: await hashPassword(input.password),
      role,
      regionId,
      createdAt: new Date(),
      disabledAt: null,
    });
    return this.ds.getRepository(User).save(user);
  }

  /** On first start: creates `admin` (with ADMIN_PASSWORD or a random password to print once). */
  async ensureAdmin(adminPassword: string | null): Promise<{ created: false } | { created: true; password: string }> {
    if (await this.ds.getRepository(User).exists({ where: { username: 'admin' } })) return { created: false };
    const password = adminPassword ?? randomPassword();
    await this.createUser({ username: 'admin', password, role: 'ADMIN' });
    return { created: true, password };
  }

  /** Creates a machine token; the secret is returned once and only its hash is kept. */
  async createToken(input: NewPrincipal & { name?: string | null }): Promise<{ token: string; record: ApiToken }> {
    const { role, regionId } = await this.checkRoleAndRegion(input);
    const token = newSecret('mq');
    const record = this.ds.getRepository(ApiToken).create({
      id: randomUUID(),
      name: input.name?.trim() || `${role.toLowerCase()} token`,
      tokenHash: hashSecret(token),
      role,
      regionId,
      createdAt: new Date(),
      lastUsedAt: null,
      revokedAt: null,
    });
    return { token, record: await this.ds.getRepository(ApiToken).save(record) };
  }

  listTokens(): Promise<ApiToken[]> {
    return this.ds.getRepository(ApiToken).find({ order: { createdAt: 'DESC', id: 'ASC' } });
  }

  listUsers(): Promise<User[]> {
    return this.ds.getRepository(User).find({ order: { username: 'ASC' } });
  }

  /** Revokes a token at once; returns false when no live token has that id. */
  async revokeToken(id: string): Promise<boolean> {
    const r = await this.ds.getRepository(ApiToken).update({ id, revokedAt: IsNull() }, { revokedAt: new Date() });
    return (r.affected ?? 0) > 0;
  }

  /** Disables a user and ends their sessions. */
  async disableUser(id: string): Promise<boolean> {
    const r = await this.ds.getRepository(User).update({ id, disabledAt: IsNull() }, { disabledAt: new Date() });
    await this.ds.getRepository(Session).delete({ userId: id });
    return (r.affected ?? 0) > 0;
  }

  /** The principal behind a Bearer token, or null when unknown or revoked. */
  async principalFromToken(token: string): Promise<Principal | null> {
    if (!token.startsWith('mq_') || token.length > 200) return null;
    const rec = await this.ds.getRepository(ApiToken).findOne({ where: { tokenHash: hashSecret(token) } });
    if (!rec || rec.revokedAt) return null;
    const now = Date.now();
    if (!rec.lastUsedAt || now - rec.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      await this.ds.getRepository(ApiToken).update({ id: rec.id }, { lastUsedAt: new Date(now) });
    }
    return { kind: 'token', id: rec.id, name: rec.name, role: rec.role, regionId: rec.regionId };
  }

  /** Checks a user name and password; on success opens a session. */
  async login(username: string, password: string): Promise<{ session: string; csrfToken: string; principal: Principal } | null> {
    const user = await this.ds.getRepository(User).findOne({ where: { username } });
    const ok = await verifyPassword(password, user?.passwordHash ?? (await DUMMY_HASH_PROMISE));
    if (!user || !ok || user.disabledAt) return null;
    const session = newSecret('mqs');
    const csrfToken = randomBytes(24).toString('base64url');
    const now = Date.now();
    await this.ds.getRepository(Session).insert({
      idHash: hashSecret(session),
      userId: user.id,
      csrfToken,
      createdAt: new Date(now),
      expiresAt: new Date(now + this.sessionTtlMs),
    });
    return { session, csrfToken, principal: userPrincipal(user) };
  }

  /** The principal and CSRF token of a live session, or null when unknown, expired or disabled. */
  async principalFromSession(session: string): Promise<{ principal: Principal; csrfToken: string } | null> {
    if (!session.startsWith('mqs_') || session.length > 200) return null;
    const s = await this.ds.getRepository(Session).findOne({ where: { idHash: hashSecret(session) } });
    if (!s) return null;
    if (s.expiresAt.getTime() <= Date.now()) {
      await this.ds.getRepository(Session).delete({ idHash: s.idHash });
      return null;
    }
    const user = await this.ds.getRepository(User).findOne({ where: { id: s.userId } });
    if (!user || user.disabledAt) return null;
    return { principal: userPrincipal(user), csrfToken: s.csrfToken };
  }

  async logout(session: string): Promise<void> {
    await this.ds.getRepository(Session).delete({ idHash: hashSecret(session) });
  }

  private async checkRoleAndRegion(input: NewPrincipal): Promise<{ role: Role; regionId: string | null }> {
    if (!isRole(input.role)) throw new AccessError(`role must be one of ${ROLES.join(', ')}`);
    const regionId = input.regionId ?? null;
    if (input.role === 'OFFICER' && !regionId) throw new AccessError('an OFFICER needs --region: the subtree it may read');
    if (input.role !== 'OFFICER' && regionId) throw new AccessError(`a region scope applies to OFFICER only, not ${input.role}`);
    if (regionId) {
      const [row] = await this.ds.query('SELECT id FROM regions WHERE id = ?', [regionId]);
      if (!row) throw new AccessError(`region ${regionId} does not exist`);
    }
    return { role: input.role, regionId };
  }
}

function userPrincipal(u: User): Principal {
  return { kind: 'user', id: u.id, name: u.username, role: u.role, regionId: u.regionId };
}
