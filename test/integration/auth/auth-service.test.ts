import { AccessError, AuthService } from '../../../src/auth/auth.service';
import { buildRegion, insertFixtures } from '../../factories';
import { describeStores } from '../../helpers/stores';

describeStores(AuthService.name, (store) => {
  let sut: AuthService;
  beforeAll(async () => {
    sut = new AuthService(store().ds, 50);
    await insertFixtures(store().ds, { regions: [buildRegion({ id: 'cty' })] });
  });

  it('creates the first admin once, with the given password', async () => {
    expect(await sut.ensureAdmin('first-admin-password')).toEqual({ created: true, password: 'first-admin-password' });
    expect(await sut.ensureAdmin(null)).toEqual({ created: false });
    expect(await sut.login('admin', 'first-admin-password')).not.toBeNull();
  });

  it('refuses a wrong password, an unknown user and a disabled user', async () => {
    const u = await sut.createUser({ username: 'li', password: 'li-password-1', role: 'ANALYST' });
    expect(await sut.login('li', 'wrong-password')).toBeNull();
    expect(await sut.login('nobody', 'li-password-1')).toBeNull();
    const ok = await sut.login('li', 'li-password-1');
    expect(ok?.principal).toMatchObject({ kind: 'user', role: 'ANALYST', regionId: null });
    await sut.disableUser(u.id);
    expect(await sut.login('li', 'li-password-1')).toBeNull();
    expect(await sut.principalFromSession(ok!.session)).toBeNull();
  });

  it('expires sessions after their time to live', async () => {
    const s = await sut.login('admin', 'first-admin-password');
    expect(await sut.principalFromSession(s!.session)).not.toBeNull();
    await new Promise((r) => setTimeout(r, 80));
    expect(await sut.principalFromSession(s!.session)).toBeNull();
  });

  it('stores tokens hashed, resolves them to their principal and stops them once revoked', async () => {
    const { token, record } = await sut.createToken({ role: 'OFFICER', regionId: 'cty', name: 'township app' });
    const [row] = await store().ds.query('SELECT token_hash FROM api_tokens WHERE id = ?', [record.id]);
    expect(row.token_hash).not.toContain(token.slice(3, 20));
    expect(await sut.principalFromToken(token)).toMatchObject({ kind: 'token', role: 'OFFICER', regionId: 'cty', name: 'township app' });
    expect(await sut.revokeToken(record.id)).toBe(true);
    expect(await sut.principalFromToken(token)).toBeNull();
    expect(await sut.revokeToken(record.id)).toBe(false);
  });

  it.each([
    [{ role: 'KING' }, 'role must be one of'],
    [{ role: 'OFFICER' }, 'needs --region'],
    [{ role: 'ANALYST', regionId: 'cty' }, 'OFFICER only'],
    [{ role: 'OFFICER', regionId: 'nowhere' }, 'region nowhere does not exist'],
  ])('refuses a token for %j', async (input, message) => {
    await expect(sut.createToken(input)).rejects.toThrow(AccessError);
    await expect(sut.createToken(input)).rejects.toThrow(message);
  });
});
