import { GraphQLError, GraphQLFormattedError } from 'graphql';

/** The stable error codes of api.md; every GraphQL error carries one in `extensions.code`. */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'QUERY_TOO_COMPLEX'
  | 'RATE_LIMITED'
  | 'INTERNAL_SERVER_ERROR';

const PASS_THROUGH = new Set<string>([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'QUERY_TOO_COMPLEX',
  'RATE_LIMITED',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
]);

/** An error whose message is safe to show the caller. */
export class UserError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extra: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extra } });
  }
}

export const badInput = (message: string, extra?: Record<string, unknown>) => new UserError('BAD_USER_INPUT', message, extra);
export const notFound = (what: string, id: string) => new UserError('NOT_FOUND', `${what} ${id} does not exist`);

/**
 * Apollo's formatError: known codes pass through; anything else (a driver error, a bug) is
 * masked as INTERNAL_SERVER_ERROR and logged with the request id, so no SQL or stack leaks.
 */
export function formatError(log: (msg: string, err: unknown) => void) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = String(formatted.extensions?.code ?? '');
    // type-graphql's argument validation errors are user errors.
    const original = (error as { originalError?: { name?: string; extensions?: { code?: string } } })?.originalError;
    if (original?.name === 'ArgumentValidationError' || original?.extensions?.code === 'BAD_USER_INPUT') {
      return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code: 'BAD_USER_INPUT', ...pick(formatted.extensions, ['validationErrors']) } };
    }
    if (PASS_THROUGH.has(code)) {
      const { stacktrace: _s, ...ext } = formatted.extensions ?? {};
      return { ...formatted, extensions: ext };
    }
    log('unexpected error in GraphQL request', error);
    return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}

function pick(o: Record<string, unknown> | undefined, keys: string[]) {
  return Object.fromEntries(keys.filter((k) => o && k in o).map((k) => [k, o![k]]));
}
