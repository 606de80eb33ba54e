import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, validate } from 'graphql';
import { buildMinqingSchema } from '../../src/graphql/schema';

/** Every ```graphql example of the README is a valid operation of the schema (they document the drill-through filters). */
describe('README GraphQL examples', () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]);

  it('has examples to check', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(6);
  });

  it('validates every example against the schema', async () => {
    const schema = await buildMinqingSchema();
    for (const text of blocks) expect([text, validate(schema, parse(text)).map((e) => e.message)]).toEqual([text, []]);
  });
});
