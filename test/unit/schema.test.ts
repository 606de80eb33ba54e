import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { printMinqingSchema } from '../../src/graphql/schema';

const SDL_FILE = join(__dirname, '..', '..', 'schema', 'schema.graphql');
const HOW = 'Regenerate it with: npm run schema -- --out schema/schema.graphql';

describe('schema/schema.graphql', () => {
  it('is the SDL the code builds (commit it regenerated whenever the schema changes)', async () => {
    const built = await printMinqingSchema();
    if (!existsSync(SDL_FILE)) throw new Error(`schema/schema.graphql is missing. ${HOW}`);
    const committed = readFileSync(SDL_FILE, 'utf8');
    if (committed !== built) {
      const a = committed.split('\n');
      const b = built.split('\n');
      const line = a.findIndex((l, i) => l !== b[i]);
      throw new Error(
        `schema/schema.graphql is stale: first difference at line ${line + 1}\n` +
          `  committed: ${JSON.stringify(a[line] ?? '<end of file>')}\n` +
          `  built:     ${JSON.stringify(b[line] ?? '<end of file>')}\n${HOW}`,
      );
    }
    expect(committed).toBe(built);
  });
});
