/*
 * Errors a caller may see, as plain values: a stable code (api.md) and a message that is safe
 * to show. Services throw them; each transport maps them to its wire form in one place
 * (graphql/errors.ts formatError, http/rest-errors.ts).
 */

/** The stable error codes of api.md. */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'QUERY_TOO_COMPLEX'
  | 'RATE_LIMITED'
  | 'INTERNAL_SERVER_ERROR';

/** An error whose message is safe to show the caller; `details` travel with it (GraphQL extensions, REST body fields). */
export class UserError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'UserError';
  }
}

export const badInput = (message: string, details?: Record<string, unknown>) => new UserError('BAD_USER_INPUT', message, details);
export const notFound = (what: string, id: string) => new UserError('NOT_FOUND', `${what} ${id} does not exist`);
export const forbidden = (message: string, details?: Record<string, unknown>) => new UserError('FORBIDDEN', message, details);
