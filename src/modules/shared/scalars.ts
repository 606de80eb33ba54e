import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { DateTime } from 'luxon';

function parseLocalDate(value: unknown): string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value) || !DateTime.fromISO(value).isValid) {
    throw new GraphQLError(`Date must be a calendar date as YYYY-MM-DD, got ${JSON.stringify(value)}`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return value;
}

/** A local calendar date (YYYY-MM-DD), kept as a string so no time zone can shift it. */
export const LocalDateScalar = new GraphQLScalarType({
  name: 'Date',
  description: 'A calendar date, YYYY-MM-DD, in the reporting time zone unless stated otherwise.',
  serialize: (v) => parseLocalDate(v),
  parseValue: (v) => parseLocalDate(v),
  parseLiteral: (ast) => parseLocalDate(ast.kind === Kind.STRING ? ast.value : null),
});
