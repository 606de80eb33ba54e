import { GraphQLObjectType, isObjectType } from 'graphql';
import { DATASET_TYPES, PERSONAL_FIELDS } from '../../../src/graphql/access.guard';
import { maskValue } from '../../../src/auth/masking';
import type { Role } from '../../../src/domain/access';
import { DATASETS, Dataset } from '../../../src/domain/datasets';
import { buildMinqingSchema } from '../../../src/graphql/schema';
import { describeStores } from '../../helpers/stores';
import { graphqlClient } from '../../helpers/graphql-client';
import { insertCounty } from '../../factories/graphql-county';

/** Every JSON name datasets.ts marks personal, whatever the dataset. */
const PERSONAL_NAMES = new Set(Object.values(DATASETS).flatMap((d) => d.fields.filter((f) => f.personal).map((f) => f.name)));

describe('personal fields in the GraphQL schema', () => {
  it('masks every field of every type that carries a personal name, and lists no field the schema lacks', async () => {
    const schema = await buildMinqingSchema();
    const exposed: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.keys(type.getFields())) if (PERSONAL_NAMES.has(field)) exposed.push(`${type.name}.${field}`);
    }
    // Any type that exposes a headName/phone/comment/summary/note must be driven by datasets.ts.
    expect(exposed.filter((f) => !PERSONAL_FIELDS.has(f))).toEqual([]);
    for (const key of PERSONAL_FIELDS.keys()) {
      const [type, field] = key.split('.');
      expect((schema.getType(type) as GraphQLObjectType | undefined)?.getFields()[field]).toBeDefined();
    }
    expect([...PERSONAL_FIELDS.keys()].sort()).toEqual([
      'Cadre.phone',
      'Household.headName',
      'Household.phone',
      'Issue.summary',
      'IssueEvent.note',
      'SurveyResponse.comment',
      'Visit.note',
    ]);
  });
});

/** A query per record type reading its id and every personal field, and where the rows sit in the answer. */
const READS: Array<{ type: string; dataset: Dataset; query: (fields: string) => string; rows: (d: any) => Array<Record<string, unknown>> }> = [
  { type: 'Household', dataset: 'households', query: (f) => `{ households { edges { node { id ${f} } } } }`, rows: (d) => d.households.edges.map((e: any) => e.node) },
  { type: 'Cadre', dataset: 'cadres', query: (f) => `{ cadres { edges { node { id ${f} } } } }`, rows: (d) => d.cadres.edges.map((e: any) => e.node) },
  { type: 'Visit', dataset: 'visits', query: (f) => `{ visits { edges { node { id ${f} } } } }`, rows: (d) => d.visits.edges.map((e: any) => e.node) },
  { type: 'Issue', dataset: 'issues', query: (f) => `{ issues { edges { node { id ${f} } } } }`, rows: (d) => d.issues.edges.map((e: any) => e.node) },
  {
    type: 'IssueEvent',
    dataset: 'issue_events',
    query: (f) => `{ issues { edges { node { events { id ${f} } } } } }`,
    rows: (d) => d.issues.edges.flatMap((e: any) => e.node.events),
  },
  {
    type: 'SurveyResponse',
    dataset: 'survey_responses',
    query: (f) => `{ surveyResponses { edges { node { id ${f} } } } }`,
    rows: (d) => d.surveyResponses.edges.map((e: any) => e.node),
  },
];

describeStores('Personal data over GraphQL, by role', (store) => {
  const clients = {
    ADMIN: graphqlClient(store, { role: 'ADMIN' }),
    ANALYST: graphqlClient(store, { role: 'ANALYST' }),
    EXTRACT: graphqlClient(store, { role: 'EXTRACT' }),
  } satisfies Partial<Record<Role, ReturnType<typeof graphqlClient>>>;
  beforeAll(() => insertCounty(store().ds));

  it('covers every record type that has personal fields', () => {
    expect(READS.map((r) => r.type).sort()).toEqual(
      Object.entries(DATASET_TYPES)
        .filter(([d]) => DATASETS[d as Dataset].fields.some((f) => f.personal))
        .map(([, t]) => t)
        .sort(),
    );
  });

  it.each(READS.map((r) => [r.type, r] as const))('%s: ADMIN reads stored values, ANALYST and EXTRACT masked ones, row by row', async (_t, read) => {
    const personal = DATASETS[read.dataset].fields.filter((f) => f.personal);
    const table = DATASETS[read.dataset].table;
    const stored = new Map<string, Record<string, unknown>>(
      (await store().ds.query(`SELECT id, ${personal.map((f) => f.column).join(', ')} FROM ${table}`)).map((r: Record<string, unknown>) => [r.id as string, r]),
    );
    const query = read.query(personal.map((f) => f.name).join(' '));
    let nonNull = 0;
    for (const [role, client] of Object.entries(clients)) {
      const rows = read.rows(await client.data(query));
      expect(rows.length).toBe(stored.size);
      for (const row of rows) {
        const db = stored.get(row.id as string)!;
        for (const f of personal) {
          const want = role === 'ADMIN' ? (db[f.column] ?? null) : (maskValue(f.personal!, db[f.column] ?? null) ?? null);
          expect([row.id, f.name, row[f.name]]).toEqual([row.id, f.name, want]);
          if (role !== 'ADMIN' && db[f.column] != null && f.personal !== 'withhold') expect(row[f.name]).not.toBe(db[f.column]);
          if (db[f.column] != null) nonNull++;
        }
      }
    }
    // The fixtures hold a value for every personal field, so the comparison was not vacuous.
    expect(nonNull).toBeGreaterThan(0);
  });
});
