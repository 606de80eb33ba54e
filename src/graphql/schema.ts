import { GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { buildSchema } from 'type-graphql';
import { guardSchema } from './access.guard';
import { RESOLVERS } from './resolvers';

let cached: Promise<GraphQLSchema> | undefined;

/** Builds the executable schema once per process (type-graphql metadata is global). */
export function buildMinqingSchema(): Promise<GraphQLSchema> {
  cached ??= buildSchema({
    resolvers: RESOLVERS,
    validate: { forbidUnknownValues: false },
    scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
    // Access control in one place, in front of every field: roles, named ids outside the scope,
    // personal-data masking (src/graphql/access.guard.ts).
  }).then(guardSchema);
  return cached;
}

/** The SDL committed at schema/schema.graphql; sorted so diffs show real changes only. */
export async function printMinqingSchema(): Promise<string> {
  return printSchema(lexicographicSortSchema(await buildMinqingSchema())) + '\n';
}
