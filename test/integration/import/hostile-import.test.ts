import fc from 'fast-check';
import { buildCadre, buildRegion, insertFixtures } from '../../factories';
import { describeStores } from '../../helpers/stores';
import { graphqlClient } from '../../helpers/graphql-client';

/**
 * Property: whatever NDJSON arrives — random, truncated, wrong-typed, huge, unicode-heavy —
 * the import answers 200 with counts that match the table, or 422 with line-numbered errors
 * and the table exactly as before. Never a 500, never a partial write.
 */
const RUNS = Number(process.env.HOSTILE_RUNS ?? 100);

const validVisit = fc.record({
  id: fc.constantFrom('hv1', 'hv2', 'hv3', 'hv4', 'hv5', '  hv6', 'HV1', '访问-七'),
  cadreId: fc.constantFrom('hi-cadre', 'hi-cadre', 'hi-missing'),
  regionId: fc.constant('hi-village'),
  visitedAt: fc.constantFrom('2025-03-15T09:30:00+08:00', '2025-03-15T01:30:00Z', '2024-02-29T23:59:59.999-05:00'),
  kind: fc.constantFrom('HOME_VISIT', 'VILLAGE_STAY', 'FORUM'),
  note: fc.option(fc.string({ unit: 'grapheme', maxLength: 40 }), { nil: null }),
});

const validSurvey = fc.record({
  id: fc.constantFrom('hs1', 'hs2', 'hs3', 'hs4'),
  regionId: fc.constant('hi-village'),
  respondedAt: fc.constant('2025-03-20T10:00:00+08:00'),
  channel: fc.constantFrom('SMS', 'PHONE_CALLBACK', 'ONLINE'),
  score: fc.integer({ min: 1, max: 5 }),
  comment: fc.option(fc.string({ unit: 'grapheme-composite', maxLength: 30 }), { nil: null }),
});

/** A record with one field replaced by anything at all (wrong type, null, nested, huge number). */
const wrongTyped = (base: fc.Arbitrary<Record<string, unknown>>) =>
  fc.tuple(base, fc.constantFrom('id', 'cadreId', 'visitedAt', 'kind', 'score', 'note', 'channel', 'extra'), fc.anything({ maxDepth: 2, withBigInt: false })).map(([r, k, v]) =>
    JSON.stringify({ ...r, [k]: v }),
  );

const hugeText = fc.constantFrom(
  'x'.repeat(70_000),
  '😀'.repeat(20_001),
  '中'.repeat(19_999),
  'a'.repeat(200),
);

/** One line of a hostile batch. */
const line = (base: fc.Arbitrary<Record<string, unknown>>) =>
  fc.oneof(
    { arbitrary: base.map((r) => JSON.stringify(r)), weight: 6 },
    { arbitrary: wrongTyped(base), weight: 2 },
    { arbitrary: fc.tuple(base, fc.nat()).map(([r, n]) => { const s = JSON.stringify(r); return s.slice(0, n % s.length); }), weight: 1 },
    { arbitrary: fc.tuple(base, hugeText).map(([r, t]) => JSON.stringify({ ...r, note: t, comment: t })), weight: 1 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 50 }).filter((s) => !s.includes('\n')), weight: 1 },
    { arbitrary: fc.json({ maxDepth: 2 }).map((s) => s.replace(/\n/g, ' ')), weight: 1 },
    { arbitrary: fc.constantFrom('', '   ', '\r', '\uFEFF{}', 'null', '[]', '{"id":"hv1"', '{"__proto__":{"x":1}}', '{"id":"hv1","id":"hv2"}'), weight: 1 },
  );

describeStores('POST /api/import, hostile input (fast-check)', (store) => {
  const gql = graphqlClient(store);

  beforeAll(async () => {
    await insertFixtures(store().ds, {
      regions: [buildRegion({ id: 'hi-county' }), buildRegion({ id: 'hi-village', parentId: 'hi-county', level: 'VILLAGE' })],
      cadres: [buildCadre({ id: 'hi-cadre', regionId: 'hi-village' })],
    });
  });

  const state = async (table: string) => {
    const [r] = await store().ds.query(`SELECT COUNT(*) AS n, MAX(updated_at) AS u FROM ${table}`);
    const rows = await store().ds.query(`SELECT * FROM ${table} ORDER BY id`);
    return { n: Number(r.n), u: r.u === null ? null : Number(r.u), rows: JSON.stringify(rows) };
  };

  let outcomes: Record<number, number> = {};
  beforeEach(() => void (outcomes = {}));
  /** Both answers must have happened, or the generators test only one side. */
  const expectBothOutcomes = () => {
    expect(outcomes[200]).toBeGreaterThan(0);
    expect(outcomes[422]).toBeGreaterThan(0);
    expect(Object.keys(outcomes).sort()).toEqual(['200', '422']);
  };

  const property = (dataset: string, table: string, base: fc.Arbitrary<Record<string, unknown>>, batch = fc.array(line(base), { minLength: 1, maxLength: 12 })) =>
    fc.asyncProperty(batch, fc.constantFrom('\n', '\r\n'), async (lines, eol) => {
      const before = await state(table);
      const res = await gql.http().post(`/api/import/${dataset}`).set('Content-Type', 'application/x-ndjson').send(Buffer.from(lines.join(eol), 'utf8'));
      const after = await state(table);
      outcomes[res.status] = (outcomes[res.status] ?? 0) + 1;
      if (res.status === 200) {
        const { received, inserted, updated, unchanged } = res.body;
        expect(inserted + updated + unchanged).toBe(received);
        expect(after.n - before.n).toBe(inserted);
        if (inserted + updated === 0) expect(after).toEqual(before);
        else expect(after.u).toBeGreaterThan(before.u ?? -1);
      } else {
        expect(res.status).toBe(422);
        expect(res.body.error).toBe('BAD_USER_INPUT');
        expect(res.body.errors.length).toBeGreaterThan(0);
        for (const e of res.body.errors) {
          expect(Number.isInteger(e.line)).toBe(true);
          expect(typeof e.message).toBe('string');
        }
        expect(after).toEqual(before); // nothing partial: every row exactly as it was
      }
    });

  it('visits: 200 with counts that match the table, or 422 and the table untouched', async () => {
    await fc.assert(property('visits', 'visits', validVisit), { numRuns: RUNS, seed: 20251125 });
    expectBothOutcomes();
  });

  it('survey_responses: the same', async () => {
    await fc.assert(property('survey_responses', 'survey_responses', validSurvey), { numRuns: RUNS, seed: 11 });
    expectBothOutcomes();
  });

  it('regions: cycles and levels from random parent links are refused, never half-written', async () => {
    const region = fc.record({
      id: fc.constantFrom('hr1', 'hr2', 'hr3', 'hr4'),
      parentId: fc.constantFrom('hi-county', 'hi-village', 'hr1', 'hr2', 'hr3', 'hr4', null),
      level: fc.constantFrom('TOWNSHIP', 'VILLAGE', 'GROUP', 'COUNTY'),
      name: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }),
    });
    // Short batches of mostly well-formed regions, so the tree rules (not the parser) decide.
    const batch = fc.array(fc.oneof({ arbitrary: region.map((r) => JSON.stringify(r)), weight: 8 }, { arbitrary: line(region), weight: 1 }), { minLength: 1, maxLength: 4 });
    await fc.assert(property('regions', 'regions', region, batch), { numRuns: RUNS, seed: 7 });
    expectBothOutcomes();
    // The closure stays consistent with the parent links whatever was accepted.
    const [bad] = await store().ds.query(
      'SELECT COUNT(*) AS n FROM regions r WHERE r.parent_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM region_closure c WHERE c.ancestor_id = r.parent_id AND c.descendant_id = r.id AND c.distance = 1)',
    );
    expect(Number(bad.n)).toBe(0);
  });

  it('a body that is not UTF-8 text or not NDJSON at all gets a 4xx, not a 500', async () => {
    const bodies: Buffer[] = [Buffer.from([0xff, 0xfe, 0x00, 0x7b]), Buffer.from([0xc3, 0x28, 0x0a]), Buffer.alloc(0), Buffer.from('\n\n\n')];
    for (const body of bodies) {
      const res = await gql.http().post('/api/import/visits').set('Content-Type', 'application/x-ndjson').send(body);
      expect([200, 400, 422]).toContain(res.status);
    }
  });
});
