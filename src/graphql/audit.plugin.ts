import type { ApolloServerPlugin } from '@apollo/server';
import { Kind } from 'graphql';
import { httpActor } from '../domain/audit';
import type { Logger } from '../logger';
import type { Context } from './context';

/**
 * Records in the audit trail every response that carries unmasked personal fields, once per
 * response, with the number of distinct records (the access guard counts them). The entry is
 * written before the answer leaves; if it cannot be written, the answer is withheld (a 500
 * with nothing of the data): personal data does not go out unrecorded.
 */
export function auditPlugin(log: Logger): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue: ctx, response, operation, operationName }) {
          const d = ctx.disclosures;
          if (!d || d.count === 0 || !ctx.principal) return;
          const roots = operation?.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : [])) ?? [];
          const label = `${operation?.operation ?? 'query'} ${operationName ?? 'anonymous'} { ${[...new Set(roots)].join(' ')} }`;
          try {
            await ctx.services.audit.record({
              kind: 'PERSONAL_DATA_READ',
              operation: label,
              records: d.count,
              actor: httpActor(ctx.principal, ctx.scope, ctx.requestId),
              details: d.summary(),
            });
          } catch (err) {
            log.error('audit trail write failed: the answer with personal data is withheld', err);
            if (response.body.kind === 'single') {
              response.body.singleResult = {
                errors: [
                  {
                    message: 'The access could not be recorded in the audit trail, so nothing was returned; retry shortly',
                    extensions: { code: 'INTERNAL_SERVER_ERROR', retryable: true },
                  },
                ],
              };
              response.http.status = 500;
            }
          }
        },
      };
    },
  };
}
