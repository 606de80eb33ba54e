import { parseArgs } from 'node:util';
import { readConfig } from '../config';
import { createDataSource } from '../data-source';
import { printMinqingSchema } from '../graphql/schema';
import { extractCommand } from './extract.command';
import { importCommand } from './import.command';
import { seedCommand } from './seed.command';
import { serve } from './serve.command';
import { tokenCommand } from './token.command';
import { userCommand } from './user.command';

const USAGE = `Usage: minqing <command> [options]

Commands:
  serve                                   migrate, seed an empty database, serve GraphQL and pages
  migrate                                 run pending migrations
  import <file-or-folder>...              import NDJSON files named <dataset>.ndjson
  seed [--scale N] [--out DIR]            write the demo county (to DIR, or into the database)
  schema [--out FILE]                     print the GraphQL SDL (or write it to FILE)
  extract <dataset> [--format csv|ndjson] [--updated-since T] [--out FILE]
                                          write an extract (NDJSON or CSV) to stdout or FILE
  user create --name N --role R [--region ID] [--password P]
                                          create a user (a password is generated and printed if none is given)
  token create --role R [--region ID] [--name NAME]
                                          create a machine token, printed on the last line

Configuration comes from the environment (see README).`;

type Command = (args: string[]) => Promise<number>;

/** Commands by name; each is thin over the services the app uses. */
export const COMMANDS: Record<string, Command> = {
  serve: async () => {
    await serve(readConfig(process.env));
    return new Promise<number>(() => undefined); // runs until a signal stops it
  },
  migrate: async () => {
    const ds = createDataSource(readConfig(process.env));
    await ds.initialize();
    const ran = await ds.runMigrations({ transaction: 'each' });
    console.log(ran.length ? `Applied: ${ran.map((m) => m.name).join(', ')}` : 'Database is up to date.');
    await ds.destroy();
    return 0;
  },
  import: (args) => importCommand(args),
  seed: (args) => seedCommand(args, readConfig(process.env)),
  extract: (args) => extractCommand(args, readConfig(process.env)),
  user: (args) => userCommand(args, readConfig(process.env)),
  token: (args) => tokenCommand(args, readConfig(process.env)),
  schema: async (args) => {
    const { values } = parseArgs({ args, options: { out: { type: 'string' } } });
    const sdl = await printMinqingSchema();
    if (values.out) {
      (await import('node:fs')).writeFileSync(values.out, sdl);
      console.log(`Wrote ${values.out}`);
    } else process.stdout.write(sdl);
    return 0;
  },
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(USAGE);
    return name ? 0 : 1;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    console.error(`Unknown command "${name}".\n\n${USAGE}`);
    return 2;
  }
  return cmd(rest);
}
