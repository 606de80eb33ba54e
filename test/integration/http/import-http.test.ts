import request from 'supertest';
import { createApp, MinqingApp } from '../../../src/app';
import { DATASET_NAMES } from '../../../src/domain/datasets';
import { createLogger } from '../../../src/logger';
import { describeStores } from '../../helpers/stores';

const NDJSON = 'application/x-ndjson';

describeStores(
  'POST /api/import/:dataset',
  (store) => {
    let sut: MinqingApp;
    let auth: string;
    const post = (dataset: string, body: string | Buffer, type = NDJSON) =>
      request(sut.app).post(`/api/import/${dataset}`).set('Authorization', auth).set('Content-Type', type).send(body);
    const count = async (table: string) => Number((await store().ds.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);

    beforeAll(async () => {
      sut = await createApp({ config: store().config, dataSource: store().ds, log: createLogger('silent') });
      auth = `Bearer ${(await sut.auth.createToken({ role: 'INGEST', name: 'import test' })).token}`;
    });
    afterAll(async () => {
      await sut.stop();
    });

    it('answers 200 with the upsert counts', async () => {
      const body = '{"id":"cty","level":"COUNTY","name":"测试县"}\n\n{"id":"t1","parentId":"cty","level":"TOWNSHIP","name":"城关镇"}\n';
      const res = await post('regions', body);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ dataset: 'regions', received: 2, inserted: 2, updated: 0, unchanged: 0 });
      const again = await post('regions', body, 'application/x-ndjson; charset=utf-8');
      expect(again.body).toEqual({ dataset: 'regions', received: 2, inserted: 0, updated: 0, unchanged: 2 });
    });

    it('answers 422 with line-numbered errors and writes nothing', async () => {
      const body = '{"id":"d1","name":"民政局"}\n{"id":"d2"}\n\nnot json\n';
      const res = await post('departments', body);
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({
        error: 'BAD_USER_INPUT',
        message: '2 errors in departments; nothing was written',
        dataset: 'departments',
        errorCount: 2,
        errors: [
          { line: 2, field: 'name', message: 'name is required' },
          { line: 4, field: null, message: expect.stringMatching(/^malformed JSON: /) },
        ],
      });
      expect(await count('departments')).toBe(0);
    });

    it('answers 404 listing the datasets for an unknown one', async () => {
      const res = await post('villages', '{}\n');
      expect(res.status).toBe(404);
      expect(res.body).toEqual({
        error: 'NOT_FOUND',
        message: `unknown dataset "villages"; datasets are ${DATASET_NAMES.join(', ')}`,
        datasets: [...DATASET_NAMES],
      });
    });

    it('answers 413 for a body over MAX_BODY_BYTES, before importing any of it', async () => {
      const line = JSON.stringify({ id: 'd9', name: '民政局' });
      const res = await post('departments', `${line}\n`.repeat(Math.ceil(4096 / line.length)));
      expect(res.status).toBe(413);
      expect(res.body).toEqual({ error: 'PAYLOAD_TOO_LARGE', message: 'the body is larger than 4096 bytes (MAX_BODY_BYTES); split the batch' });
      expect(await count('departments')).toBe(0);
    });

    it.each(['application/json', 'text/plain', 'application/x-ndjson; charset=latin1'])('answers 415 for Content-Type %s', async (type) => {
      const res = await post('departments', '{"id":"d1","name":"民政局"}\n', type);
      expect(res.status).toBe(415);
      expect(res.body.error).toBe('UNSUPPORTED_MEDIA_TYPE');
      expect(res.body.message).toMatch(/^send NDJSON \(one JSON object per line, UTF-8\) with Content-Type: application\/x-ndjson; got "/);
    });

    it('answers 405 for other methods on an import path', async () => {
      const res = await request(sut.app).get('/api/import/regions').set('Authorization', auth);
      expect([res.status, res.headers.allow]).toEqual([405, 'POST']);
    });

    it('answers 500 with a masked message when the database fails', async () => {
      const broken = await createApp({ config: store().config, dataSource: store().ds, log: createLogger('silent') });
      await store().ds.query('ALTER TABLE departments RENAME TO departments_away');
      try {
        const res = await request(broken.app).post('/api/import/departments').set('Authorization', auth).set('Content-Type', NDJSON).send('{"id":"d1","name":"民政局"}\n');
        expect(res.status).toBe(500);
        expect(res.body).toEqual({ error: 'INTERNAL_SERVER_ERROR', message: 'Internal server error', requestId: expect.any(String) });
      } finally {
        await store().ds.query('ALTER TABLE departments_away RENAME TO departments');
        await broken.stop();
      }
    });
  },
  { MAX_BODY_BYTES: '4096' },
);
