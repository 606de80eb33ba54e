import type { ApolloServerPlugin } from '@apollo/server';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { getNamedType, GraphQLError, isListType, isNonNullType, GraphQLOutputType, ValidationContext } from 'graphql';
import { ComplexityEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import type { Limits } from '../config';

/** Marks a validation error as a limit, so formatError gives it the QUERY_TOO_COMPLEX code. */
export const LIMIT_EXTENSION = 'minqingLimit';

const reject = (limit: string) => (ctx: ValidationContext | null, err: GraphQLError) =>
  ctx?.reportError(new GraphQLError(err.message.replace(/^Syntax Error: /, ''), { extensions: { [LIMIT_EXTENSION]: limit } }));

/** Depth and alias limits, as validation rules (they run before any resolver). */
export function limitRules(limits: Limits) {
  return [
    maxDepthRule({ n: limits.maxQueryDepth, propagateOnRejection: false, onReject: [reject('depth')] }),
    maxAliasesRule({ n: limits.maxAliases, propagateOnRejection: false, onReject: [reject('aliases')] }),
  ];
}

/**
 * Lists with no `first` argument (children, events, pairings…) are assumed to fan out this much
 * per parent: a township has ~12 villages, an issue ~5 events, a household 1–2 pairings.
 */
const ASSUMED_LIST_SIZE = 5;

function unwrap(t: GraphQLOutputType): GraphQLOutputType {
  return isNonNullType(t) ? t.ofType : t;
}

/**
 * A field costs 1 plus its children; a connection multiplies its children by `first`
 * (with the variables applied), any other list by an assumed fan-out.
 */
const connectionEstimator =
  (maxPageSize: number): ComplexityEstimator =>
  ({ field, args, childComplexity }) => {
  // A `first` outside 1..max is the resolver's BAD_USER_INPUT, not a cost question: cost it at the cap.
  const first = typeof args.first === 'number' ? Math.min(Math.max(args.first, 1), maxPageSize) : undefined;
  if (getNamedType(field.type).name.endsWith('Connection')) return 1 + childComplexity * (first ?? 50);
  if (isListType(unwrap(field.type))) return 1 + childComplexity * ASSUMED_LIST_SIZE;
  return undefined;
};

/** Rejects an operation whose estimated cost, computed with its variables, exceeds the limit. */
export function costLimitPlugin(limits: Limits): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema, operationName }) {
          let cost: number;
          try {
            cost = getComplexity({
              schema,
              query: document,
              operationName: operationName ?? undefined,
              variables: request.variables ?? {},
              estimators: [connectionEstimator(limits.maxPageSize), simpleEstimator({ defaultComplexity: 1 })],
            });
          } catch {
            return; // variables that do not coerce: execution answers BAD_USER_INPUT for them
          }
          if (cost > limits.maxQueryCost) {
            throw new GraphQLError(`Query cost ${cost} exceeds the limit of ${limits.maxQueryCost}; ask for fewer rows or fields`, {
              extensions: { code: 'QUERY_TOO_COMPLEX', cost, limit: limits.maxQueryCost, http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}
