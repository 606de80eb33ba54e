import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline/promises';
import { DataSource } from 'typeorm';
import { AccessError, AuthService } from '../auth/auth.service';
import { randomPassword } from '../auth/password';
import type { Config } from '../config';
import { createDataSource } from '../data-source';

/** On first start: creates `admin`, printing its password once unless ADMIN_PASSWORD set it. */
export async function ensureFirstAdmin(config: Readonly<Config>, ds: DataSource, say: (line: string) => void): Promise<void> {
  const r = await new AuthService(ds).ensureAdmin(config.adminPassword);
  if (!r.created) return;
  if (config.adminPassword) say('Created the user "admin" with the password from ADMIN_PASSWORD.');
  else say(`Created the user "admin". Its password, shown only this once: ${r.password}`);
}

/** Opens the configured database (migrated), runs `fn`, closes it; an AccessError is a usage error (exit 2). */
export async function withAuthService(config: Readonly<Config>, fn: (auth: AuthService) => Promise<number>): Promise<number> {
  const ds = createDataSource(config);
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
    return await fn(new AuthService(ds));
  } catch (err) {
    if (err instanceof AccessError) {
      console.error(`minqing: ${err.message}`);
      return 2;
    }
    throw err;
  } finally {
    await ds.destroy();
  }
}

async function promptPassword(): Promise<string | null> {
  if (!process.stdin.isTTY) return null;
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const pw = await rl.question('Password (empty: generate one): ');
    return pw.trim() || null;
  } finally {
    rl.close();
  }
}

/** `minqing user create --name N --role R [--region ID] [--password P]`. */
export async function userCommand(args: string[], config: Readonly<Config>): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'create') {
    console.error('Usage: minqing user create --name NAME --role ROLE [--region ID] [--password P]');
    return 2;
  }
  const { values } = parseArgs({
    args: rest,
    options: { name: { type: 'string' }, role: { type: 'string' }, region: { type: 'string' }, password: { type: 'string' } },
  });
  if (!values.name || !values.role) {
    console.error('minqing user create: --name and --role are required');
    return 2;
  }
  const given = values.password ?? (await promptPassword());
  const password = given ?? randomPassword();
  return withAuthService(config, async (auth) => {
    const user = await auth.createUser({ username: values.name!, password, role: values.role!.toUpperCase(), regionId: values.region ?? null });
    console.log(`Created user ${user.username} (${user.role}${user.regionId ? `, region ${user.regionId}` : ''}), id ${user.id}.`);
    if (!given) console.log(`Password (shown only this once): ${password}`);
    return 0;
  });
}
