import { parseArgs } from 'node:util';
import type { Config } from '../config';
import { withAuthService } from './user.command';

/** `minqing token create --role ROLE [--region ID] [--name NAME]`: the token is the last line of output. */
export async function tokenCommand(args: string[], config: Readonly<Config>): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'create') {
    console.error('Usage: minqing token create --role ROLE [--region ID] [--name NAME]');
    return 2;
  }
  const { values } = parseArgs({ args: rest, options: { role: { type: 'string' }, region: { type: 'string' }, name: { type: 'string' } } });
  if (!values.role) {
    console.error('minqing token create: --role is required');
    return 2;
  }
  return withAuthService(config, async (auth) => {
    const { token, record } = await auth.createToken({ role: values.role!.toUpperCase(), regionId: values.region ?? null, name: values.name ?? null });
    console.log(`Created token "${record.name}" (${record.role}${record.regionId ? `, region ${record.regionId}` : ''}), id ${record.id}.`);
    console.log('Send it as "Authorization: Bearer <token>"; it is shown only this once:');
    console.log(token);
    return 0;
  });
}
