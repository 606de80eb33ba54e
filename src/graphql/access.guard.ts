import { defaultFieldResolver, getNamedType, GraphQLFieldResolver, GraphQLResolveInfo, GraphQLSchema, isObjectType } from 'graphql';
import type { EntityTarget, ObjectLiteral } from 'typeorm';
import { DATASETS, Dataset, FieldDef } from '../domain/datasets';
import type { Context } from '../graphql/context';
import { UserError } from '../domain/errors';
import { selectInScope } from '../modules/shared/select-in-scope';
import { Cadre } from '../modules/cadres/cadre.entity';
import { Household } from '../modules/households/household.entity';
import { Issue } from '../modules/issues/issue.entity';
import { Region } from '../modules/regions/region.entity';
import { SurveyResponse } from '../modules/surveys/survey-response.entity';
import { Visit } from '../modules/visits/visit.entity';
import { maskValue } from '../auth/masking';
import { canAdminister, canRead, canWrite, seesPersonalData } from '../domain/access';

/** The GraphQL object type that exposes each dataset's records (datasets.ts drives the masking). */
export const DATASET_TYPES: Partial<Record<Dataset, string>> = {
  cadres: 'Cadre',
  households: 'Household',
  visits: 'Visit',
  issues: 'Issue',
  issue_events: 'IssueEvent',
  survey_responses: 'SurveyResponse',
};

/** `Type.field` → how to mask it, for every field datasets.ts marks personal. */
export const PERSONAL_FIELDS: ReadonlyMap<string, NonNullable<FieldDef['personal']>> = new Map(
  Object.entries(DATASET_TYPES).flatMap(([dataset, type]) =>
    DATASETS[dataset as Dataset].fields.filter((f) => f.personal).map((f) => [`${type}.${f.name}`, f.personal!] as const),
  ),
);

/** Root fields only an ADMIN may use (users and tokens, the audit trail, publishing a monthly report). */
export const ADMIN_FIELDS = new Set(['users', 'tokens', 'createToken', 'revokeToken', 'disableUser', 'auditLog', 'publishMonthlyReport']);
/** Root fields every signed-in principal may use, INGEST included. */
const OPEN_FIELDS = new Set(['me']);

/** Arguments (at any depth of an input) that name a record, and the record they name. */
const NAMING_ARGS: Record<string, EntityTarget<ObjectLiteral>> = {
  regionId: Region,
  regionIds: Region,
  parentId: Region,
  cadreId: Cadre,
  cadreIds: Cadre,
  householdId: Household,
  householdIds: Household,
  issueId: Issue,
  issueIds: Issue,
  visitId: Visit,
  surveyResponseId: SurveyResponse,
};
/** Root lookups by `id`, by field name. */
const ID_LOOKUPS: Record<string, EntityTarget<ObjectLiteral>> = {
  region: Region,
  cadre: Cadre,
  household: Household,
  issue: Issue,
  visit: Visit,
  surveyResponse: SurveyResponse,
};

const forbidden = (msg: string) => new UserError('FORBIDDEN', msg);

/**
 * The one access check every GraphQL field passes (guardSchema puts it in front of every
 * field's resolver): no principal → UNAUTHENTICATED; role checks on root fields; any id an
 * argument names outside the caller's subtree → FORBIDDEN before a resolver runs; personal
 * fields masked on the way out for roles that may not see them. Row filtering itself is the
 * Scope that `selectInScope` and the loaders apply.
 *
 * Synchronous unless an id must be checked or the resolver is: a field with nothing to check
 * costs no promise. (As a type-graphql global middleware it made every scalar of every row a
 * promise chain: a 77k-region tree spent 1.9 s there, against 0.1 s of SQL.)
 */
export function accessGuard(
  context: Context,
  info: GraphQLResolveInfo,
  args: Record<string, unknown> | undefined,
  next: () => unknown,
  root?: unknown,
): unknown {
  const principal = context.principal;
  if (!principal) throw new UserError('UNAUTHENTICATED', 'sign in or send Authorization: Bearer <token>');
  const parent = info.parentType.name;
  if (parent === 'Query' || parent === 'Mutation') checkRole(parent, info.fieldName, principal.role);
  else if (!canRead(principal.role)) checkWriteOnlyDepth(info, principal.role);
  const kind = PERSONAL_FIELDS.get(`${parent}.${info.fieldName}`);
  const mask = kind && !seesPersonalData(principal.role) ? kind : null;
  // A personal field that goes out unmasked is noted for the audit trail (graphql/audit.plugin.ts).
  const resolve = () => (mask ? masked(mask, next()) : kind ? disclosed(context, parent, info.fieldName, root, next()) : next());
  if (context.scope.regionId !== null && args && Object.keys(args).length > 0) return checkNamedIdsOnce(context, info, args).then(resolve);
  return resolve();
}

function disclosed(context: Context, type: string, field: string, root: unknown, value: unknown): unknown {
  const note = (v: unknown) => {
    if (v !== null && v !== undefined && v !== '') context.disclosures.note(type, field, root);
    return v;
  };
  return isPromiseLike(value) ? Promise.resolve(value).then(note) : note(value);
}

function masked(kind: NonNullable<FieldDef['personal']>, value: unknown): unknown {
  return isPromiseLike(value) ? Promise.resolve(value).then((v) => maskValue(kind, v)) : maskValue(kind, value);
}

const isPromiseLike = (v: unknown): v is PromiseLike<unknown> => typeof (v as PromiseLike<unknown> | null)?.then === 'function';

/** Puts accessGuard in front of the resolver of every field of every object type (introspection aside). */
export function guardSchema(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const resolve: GraphQLFieldResolver<unknown, Context> = field.resolve ?? defaultFieldResolver;
      field.resolve = (root, args, context: Context, info) => accessGuard(context, info, args, () => resolve(root, args, context, info), root);
    }
  }
  return schema;
}

function checkRole(parent: 'Query' | 'Mutation', field: string, role: Parameters<typeof canRead>[0]): void {
  if (OPEN_FIELDS.has(field)) return;
  if (ADMIN_FIELDS.has(field)) {
    if (!canAdminister(role)) throw forbidden(`${field} is for ADMIN only, not ${role}`);
    return;
  }
  if (parent === 'Query' && !canRead(role)) throw forbidden(`role ${role} may not read; it imports and records only`);
  if (parent === 'Mutation' && !canWrite(role)) throw forbidden(`role ${role} may not record data`);
}

/**
 * A role that may write but not read (INGEST) gets back what it wrote — the payload's record and
 * that record's own fields — but may not follow a relation from it into data it cannot read.
 */
function checkWriteOnlyDepth(info: GraphQLResolveInfo, role: Parameters<typeof canRead>[0]): void {
  let depth = 0;
  for (let p: GraphQLResolveInfo['path'] | undefined = info.path; p; p = p.prev) if (typeof p.key === 'string') depth++;
  // Mutation.recordVisit (1) → payload.visit (2) → visit.<field> (3): scalars only at 3, nothing deeper.
  if (depth > 3 || (depth === 3 && isObjectType(getNamedType(info.returnType)))) {
    throw forbidden(`role ${role} may not read ${info.parentType.name}.${info.fieldName}; it imports and records only`);
  }
}

/** Collects (entity, id) pairs an operation names in its arguments, inputs included. */
function namedIds(args: Record<string, unknown>, rootLookup: EntityTarget<ObjectLiteral> | undefined, out: Array<[EntityTarget<ObjectLiteral>, string]>) {
  for (const [key, value] of Object.entries(args)) {
    if (value === null || value === undefined) continue;
    const entity = key === 'id' ? rootLookup : NAMING_ARGS[key];
    if (entity) {
      for (const id of Array.isArray(value) ? value : [value]) if (typeof id === 'string') out.push([entity, id]);
    } else if (typeof value === 'object') {
      for (const v of Array.isArray(value) ? value : [value]) if (v && typeof v === 'object') namedIds(v as Record<string, unknown>, undefined, out);
    }
  }
  return out;
}

function checkNamedIdsOnce(ctx: Context, info: GraphQLResolveInfo, args: Record<string, unknown>): Promise<void> {
  const isRoot = info.parentType.name === 'Query' || info.parentType.name === 'Mutation';
  const pairs = namedIds(args, isRoot ? ID_LOOKUPS[info.fieldName] : undefined, []);
  if (pairs.length === 0) return Promise.resolve();
  const key = JSON.stringify(pairs.map(([e, id]) => [String((e as { name?: string }).name), id]));
  // A nested field repeated per parent row costs one check per request.
  const seen = ctx.checkedIds;
  let check = seen.get(key);
  if (!check) seen.set(key, (check = checkNamedIds(ctx, pairs)));
  return check;
}

async function checkNamedIds(ctx: Context, pairs: Array<[EntityTarget<ObjectLiteral>, string]>): Promise<void> {
  const byEntity = new Map<EntityTarget<ObjectLiteral>, Set<string>>();
  for (const [entity, id] of pairs) {
    const ids = byEntity.get(entity) ?? new Set<string>();
    byEntity.set(entity, ids.add(id));
  }
  // One statement per entity named (two when some id is not in scope), however many ids.
  for (const [entity, idSet] of byEntity) {
    const ids = [...idSet];
    const inScope = await selectInScope(ctx.services.dataSource, ctx.scope, entity, 'x').select('x.id', 'id').andWhere('x.id IN (:...namedIds)', { namedIds: ids }).getRawMany<{ id: string }>();
    const seen = new Set(inScope.map((r) => r.id));
    const outside = ids.filter((id) => !seen.has(id));
    if (outside.length === 0) continue;
    // Unknown ids are the resolver's business (null or an empty list); existing ones are someone else's.
    const [foreign] = await ctx.services.dataSource
      .createQueryBuilder(entity, 'x')
      .select('x.id', 'id')
      .where('x.id IN (:...namedIds)', { namedIds: outside })
      .orderBy('x.id')
      .limit(1)
      .getRawMany<{ id: string }>();
    if (foreign) throw forbidden(`${String((entity as { name?: string }).name)} ${foreign.id} is outside your region`);
  }
}
