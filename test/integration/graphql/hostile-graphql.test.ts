import fc from 'fast-check';
import {
  getNamedType,
  GraphQLEnumType,
  GraphQLField,
  GraphQLInputObjectType,
  GraphQLInputType,
  GraphQLNamedType,
  GraphQLObjectType,
  GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
} from 'graphql';
import { buildMinqingSchema } from '../../../src/graphql/schema';
import { buildCadre, buildHousehold, buildIssue, buildRegion, buildSurveyResponse, buildVisit, insertFixtures } from '../../factories';
import { describeStores } from '../../helpers/stores';
import { graphqlClient } from '../../helpers/graphql-client';

/**
 * Property: any variables sent to any root field — random, wrong-typed, huge, unicode-heavy,
 * injection strings — get data or an error with a clear code; never INTERNAL_SERVER_ERROR,
 * never an HTTP 5xx. Operations and variables are generated from the schema itself, so a new
 * query or mutation is covered the day it is added.
 */
const RUNS = Number(process.env.HOSTILE_RUNS ?? 100);
const CLEAR_CODES = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'QUERY_TOO_COMPLEX',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'BAD_REQUEST',
]);
/** Root fields that would end the test's own session or change who it is. */
const SKIP = new Set(['revokeToken', 'disableUser']);

const KNOWN_IDS = ['hg-county', 'hg-village', 'hg-cadre', 'hg-h1', 'hg-i1', 'hg-v1', 'hg-s1'];
const NASTY = [
  "' OR 1=1 --",
  '"; DROP TABLE visits; --',
  '%',
  '_',
  '\\',
  '\u0000',
  '\uD800',
  '😀'.repeat(50),
  '𠮷野家',
  'ǅ̸̡͓'.repeat(20),
  ' ',
  '',
  'x'.repeat(100_000),
  '1e309',
  'NaN',
  '-0',
  '9999-99-99',
  '2025-02-30',
  '2025-03-15T09:30:00',
  '2025-03-15T09:30:00+08:00',
  'null',
  'undefined',
  '__proto__',
];

const text = fc.oneof(
  { arbitrary: fc.constantFrom(...KNOWN_IDS), weight: 3 },
  { arbitrary: fc.constantFrom(...NASTY), weight: 3 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 80 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }), weight: 2 },
);
const anyJson = fc.anything({ maxDepth: 2, withBigInt: false, withDate: false, withMap: false, withSet: false, withTypedArray: false, withSparseArray: false, withNullPrototype: false, withBoxedValues: false });
const localDate = fc.oneof(
  { arbitrary: fc.date({ min: new Date('2023-01-01'), max: new Date('2027-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)), weight: 4 },
  { arbitrary: fc.constantFrom('2025-02-29', '2024-02-29', '0000-01-01', '9999-12-31', '2025-13-01', '25-1-1'), weight: 1 },
);
const instant = fc.oneof(
  { arbitrary: fc.date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()), weight: 3 },
  { arbitrary: fc.constantFrom('2025-03-15T09:30:00+08:00', '2025-03-15T09:30:00', '2025-03-15', 'yesterday', '+275760-09-13T00:00:00.000Z'), weight: 1 },
);
const int = fc.oneof(
  fc.integer({ min: -5, max: 600 }),
  fc.constantFrom(0, -1, 1, 500, 501, 2 ** 31 - 1, -(2 ** 31)),
  fc.integer(),
);

function scalarArb(name: string): fc.Arbitrary<unknown> {
  switch (name) {
    case 'Int':
      return int;
    case 'Float':
      return fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), int);
    case 'Boolean':
      return fc.boolean();
    case 'Date':
      return localDate;
    case 'DateTime':
      return instant;
    default:
      return text; // ID, String and anything new
  }
}

/** Values of an input type: mostly well-typed (to reach resolvers and SQL), sometimes anything at all. */
function valueArb(type: GraphQLInputType, depth = 0): fc.Arbitrary<unknown> {
  const wellTyped = ((): fc.Arbitrary<unknown> => {
    if (isNonNullType(type)) return valueArb(type.ofType, depth);
    if (isListType(type)) return fc.array(valueArb(type.ofType, depth + 1), { maxLength: depth > 1 ? 1 : 4 });
    if (isEnumType(type)) return fc.constantFrom(...type.getValues().map((v) => v.value));
    if (isScalarType(type)) return scalarArb(type.name);
    if (isInputObjectType(type)) return inputObjectArb(type, depth + 1);
    return anyJson;
  })();
  const nullable = !isNonNullType(type);
  return fc.oneof(
    { arbitrary: wellTyped, weight: 12 },
    { arbitrary: nullable ? fc.constant(null) : wellTyped, weight: 2 },
    { arbitrary: anyJson, weight: 1 },
  );
}

function inputObjectArb(type: GraphQLInputObjectType, depth: number): fc.Arbitrary<unknown> {
  const fields = Object.values(type.getFields());
  if (depth > 3) return fc.constant({});
  const model = Object.fromEntries(fields.map((f) => [f.name, valueArb(f.type, depth)]));
  const required = fields.filter((f) => isNonNullType(f.type) && f.defaultValue === undefined).map((f) => f.name);
  return fc.record(model, { requiredKeys: required });
}

/** Leaf fields of a type, one level into objects: enough to resolve relations and masking. */
function selection(type: GraphQLNamedType, depth: number): string {
  if (isLeafType(type)) return '';
  if (!isObjectType(type)) return '{ __typename }';
  const parts: string[] = ['__typename'];
  for (const f of Object.values((type as GraphQLObjectType).getFields())) {
    if (f.args.some((a) => isNonNullType(a.type))) continue;
    const named = getNamedType(f.type);
    if (isLeafType(named)) parts.push(f.name);
    else if (depth < 2) parts.push(`${f.name} ${selection(named, depth + 1)}`);
  }
  return `{ ${parts.join(' ')} }`;
}

interface Op {
  name: string;
  document: string;
  variables: fc.Arbitrary<Record<string, unknown>>;
}

function operations(schema: GraphQLSchema): Op[] {
  const ops: Op[] = [];
  const add = (kind: 'query' | 'mutation', root: GraphQLObjectType | null | undefined) => {
    for (const f of Object.values(root?.getFields() ?? {}) as Array<GraphQLField<unknown, unknown>>) {
      if (SKIP.has(f.name)) continue;
      const decl = f.args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
      const args = f.args.map((a) => `${a.name}: $${a.name}`).join(', ');
      const document = `${kind} Hostile${decl ? `(${decl})` : ''} { ${f.name}${args ? `(${args})` : ''} ${selection(getNamedType(f.type), 0)} }`;
      const model = Object.fromEntries(f.args.map((a) => [a.name, valueArb(a.type)]));
      ops.push({ name: f.name, document, variables: fc.record(model, { requiredKeys: [] }) as fc.Arbitrary<Record<string, unknown>> });
    }
  };
  add('query', schema.getQueryType());
  add('mutation', schema.getMutationType());
  return ops;
}

describeStores(
  'GraphQL, hostile variables (fast-check)',
  (store) => {
    const gql = graphqlClient(store);
    let ops: Op[];

    beforeAll(async () => {
      ops = operations(await buildMinqingSchema());
      await insertFixtures(store().ds, {
        regions: [buildRegion({ id: 'hg-county' }), buildRegion({ id: 'hg-village', parentId: 'hg-county', level: 'VILLAGE', name: '西村' })],
        cadres: [buildCadre({ id: 'hg-cadre', regionId: 'hg-village' })],
        households: [buildHousehold({ id: 'hg-h1', regionId: 'hg-village' })],
        visits: [buildVisit({ id: 'hg-v1', cadreId: 'hg-cadre', regionId: 'hg-village', householdId: 'hg-h1' })],
        issues: [buildIssue({ id: 'hg-i1', regionId: 'hg-village', householdId: 'hg-h1' })],
        survey_responses: [buildSurveyResponse({ id: 'hg-s1', regionId: 'hg-village', issueId: 'hg-i1', score: 4 })],
      });
    });

    const seen = { data: 0, errors: new Map<string, number>() };
    const check = async (op: Op, variables: Record<string, unknown>) => {
      const res = await gql.http().post('/graphql').send({ query: op.document, variables });
      const where = `${op.name} ${JSON.stringify(variables).slice(0, 300)}`;
      expect({ where, status: res.status < 500 }).toEqual({ where, status: true });
      expect(res.type).toBe('application/json');
      const codes = (res.body.errors ?? []).map((e: { extensions?: { code?: string } }) => String(e.extensions?.code));
      for (const code of codes) {
        seen.errors.set(code, (seen.errors.get(code) ?? 0) + 1);
        expect({ where, code, clear: CLEAR_CODES.has(code) }).toEqual({ where, code, clear: true });
      }
      if (!codes.length) {
        seen.data++;
        expect(res.status).toBe(200);
      }
    };

    it('every root field: data or a clear error code, never INTERNAL_SERVER_ERROR or a 5xx', async () => {
      expect(ops.length).toBeGreaterThan(15);
      const opArb = fc.constantFrom(...ops).chain((op) => op.variables.map((v) => ({ op, v })));
      await fc.assert(
        fc.asyncProperty(opArb, async ({ op, v }) => check(op, v)),
        { numRuns: RUNS * 3, seed: 424242 },
      );
      // Both sides were reached: answers with data and refusals.
      expect(seen.data).toBeGreaterThan(0);
      expect(seen.errors.get('BAD_USER_INPUT') ?? 0).toBeGreaterThan(0);
    });

    afterAll(() => {
      // What the generators reached, for the record (visible with --verbose).
      process.stdout.write(`hostile-graphql [${store().kind}]: ${seen.data} answers with data, errors ${JSON.stringify(Object.fromEntries(seen.errors))}\n`);
    });

    it('metrics: random measures, dimensions, levels, ranges, zones and filters', async () => {
      const metrics = ops.find((o) => o.name === 'metrics')!;
      expect(metrics).toBeDefined();
      const schema = await buildMinqingSchema();
      const enumValues = (name: string) => (schema.getType(name) as GraphQLEnumType).getValues().map((v) => String(v.value));
      // Mostly well-formed queries, so the engine and its SQL run; each field sometimes hostile.
      const or = <T>(good: fc.Arbitrary<T>) => fc.oneof({ arbitrary: good, weight: 9 }, { arbitrary: fc.oneof(text, anyJson) as fc.Arbitrary<unknown>, weight: 1 });
      const query = fc.record(
        {
          measures: or(fc.uniqueArray(fc.constantFrom(...enumValues('Measure')), { minLength: 1, maxLength: 4 })),
          dimensions: or(fc.uniqueArray(fc.constantFrom(...enumValues('Dimension')), { maxLength: 2 })),
          regionLevel: or(fc.constantFrom(...enumValues('RegionLevel'))),
          granularity: or(fc.constantFrom(...enumValues('Granularity'))),
          from: or(fc.constantFrom('2025-01-01', '2025-03-01', '2024-12-31', '2025-03-15')),
          to: or(fc.constantFrom('2025-03-31', '2025-12-31', '2025-03-15', '2024-01-01')),
          timeZone: or(fc.constantFrom('Asia/Shanghai', 'America/New_York', 'UTC', 'Mars/Olympus', '+08:00', '')),
          asOf: or(instant),
          regionId: or(fc.constantFrom('hg-county', 'hg-village', 'nowhere', "' OR 1=1 --")),
          categories: or(fc.uniqueArray(fc.constantFrom(...enumValues('IssueCategory')), { maxLength: 3 })),
          cadreIds: or(fc.array(fc.constantFrom('hg-cadre', '%', 'x'), { maxLength: 3 })),
        },
        { requiredKeys: ['measures', 'from', 'to'] },
      );
      const before = seen.data;
      await fc.assert(fc.asyncProperty(query, async (q) => check(metrics, { query: q })), { numRuns: RUNS * 2, seed: 99 });
      expect(seen.data).toBeGreaterThan(before); // some random queries were valid and computed
    });

    it('entity connections: every paging and filter value', async () => {
      const lists = ops.filter((o) => ['visits', 'issues', 'households', 'cadres', 'regions', 'surveyResponses', 'pairings'].includes(o.name));
      expect(lists.length).toBe(7);
      const arb = fc.constantFrom(...lists).chain((op) => op.variables.map((v) => ({ op, v })));
      await fc.assert(fc.asyncProperty(arb, async ({ op, v }) => check(op, v)), { numRuns: RUNS * 2, seed: 7 });
    });
  },
  { RATE_LIMIT_PER_MINUTE: '1000000' },
);
