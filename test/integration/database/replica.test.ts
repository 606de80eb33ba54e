import { DataSource } from 'typeorm';
import { ScorecardService } from '../../../src/analytics/dashboard/scorecard.service';
import { MetricsService } from '../../../src/analytics/metrics.service';
import { Config, readConfig } from '../../../src/config';
import { createDataSource } from '../../../src/data-source';
import { analyticsQuery, hasReplicas } from '../../../src/database/replica-reads';
import { openReadConnection } from '../../../src/extracts/read-connection';
import { ImportService } from '../../../src/import/import.service';
import { Visit } from '../../../src/modules/visits/visit.entity';
import { UNSCOPED } from '../../../src/domain/access';
import { PrivateMariaDb, startPrivateMariaDb, waitForReplica } from '../../helpers/private-mariadb';

/*
 * Read replicas, MariaDB only by nature: a real primary (binlog, server-id 1) and a real
 * replica (server-id 2, CHANGE MASTER TO …; START SLAVE) on two private ports. To tell which
 * server answered, the replica's SQL thread is stopped, a write lands on the primary only, and
 * each read path is checked for it: analytics (metrics, extracts) must lack it, entity reads
 * (read-your-writes) must see it.
 */
describe('read replicas [mysql: private primary + replica]', () => {
  let primary: PrivateMariaDb;
  let replica: PrivateMariaDb;
  let ds: DataSource;
  let config: Readonly<Config>;
  let imports: ImportService;

  const countOn = async (server: PrivateMariaDb) => {
    const c = await server.connect('minqing_replica');
    try {
      const [rows] = (await c.query('SELECT COUNT(*) AS n FROM visits')) as unknown as [Array<{ n: number }>];
      return Number(rows[0].n);
    } finally {
      await c.end();
    }
  };
  const visit = (id: string, day: string) => ({ id, cadreId: 'c1', regionId: 'v1', householdId: 'h1', visitedAt: `${day}T02:00:00Z`, kind: 'HOME_VISIT' });
  const visitsMetric = async () => {
    const r = await new MetricsService(ds, config).compute({ measures: ['VISITS'], from: '2025-03-01', to: '2025-03-31', timeZone: 'Asia/Shanghai' } as never, UNSCOPED);
    return r.rows[0].values[0].value;
  };

  const scorecardVisits = async () => {
    const page = await new ScorecardService(ds, config, new MetricsService(ds, config), () => new Date('2025-12-31T12:00:00Z')).page({ year: 2025, first: 10 }, UNSCOPED);
    return page.nodes.find((c) => c.cadreId === 'c1')?.visits;
  };

  beforeAll(async () => {
    primary = await startPrivateMariaDb({ serverId: 1, logBin: true });
    replica = await startPrivateMariaDb({ serverId: 2, replicaOf: { port: primary.port } });
    const p = await primary.connect();
    await p.query('CREATE DATABASE minqing_replica CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci');
    await p.end();
    config = readConfig({
      LOG_LEVEL: 'silent',
      SEED_DEMO: 'false',
      DATABASE_URL: `${primary.url}/minqing_replica`,
      DATABASE_REPLICA_URLS: `${replica.url}/minqing_replica`,
    });
    await waitForReplica(primary, replica);
    ds = createDataSource(config);
    await ds.initialize();
    await ds.runMigrations();
    imports = new ImportService(ds, config);
    await imports.importRecords('regions', [
      { id: 'cty', level: 'COUNTY', name: '县' },
      { id: 'v1', parentId: 'cty', level: 'VILLAGE', name: '一村' },
    ]);
    await imports.importRecords('cadres', [{ id: 'c1', name: '干部', regionId: 'cty', rank: 'STAFF' }]);
    await imports.importRecords('households', [{ id: 'h1', regionId: 'v1', headName: '户主' }]);
    await imports.importRecords('visits', [visit('a1', '2025-03-02'), visit('a2', '2025-03-03')]);
    await waitForReplica(primary, replica);
  }, 120_000);

  afterAll(async () => {
    if (ds?.isInitialized) await ds.destroy();
    await replica?.destroy();
    await primary?.destroy();
  });

  it('is configured with the replica and has replicated the schema and data', async () => {
    expect(hasReplicas(ds)).toBe(true);
    expect(await countOn(replica)).toBe(2);
    expect(await visitsMetric()).toBe(2);
  });

  it('writes go to the primary; analytics reads come from the replica; entity reads see their own writes', async () => {
    const r = await replica.connect();
    await r.query('STOP SLAVE SQL_THREAD');
    await r.end();
    try {
      expect(await imports.importRecords('visits', [visit('b1', '2025-03-04')])).toMatchObject({ inserted: 1 });
      expect(await countOn(primary)).toBe(3); // the write landed on the primary
      expect(await countOn(replica)).toBe(2); // and not (yet) on the paused replica

      // Analytics: the metrics engine, scorecards, raw analytics statements and extracts read the replica.
      expect(await visitsMetric()).toBe(2);
      expect(await scorecardVisits()).toBe(2);
      expect(Number((await analyticsQuery<{ n: number }>(ds, 'SELECT COUNT(*) AS n FROM visits'))[0].n)).toBe(2);
      const conn = await openReadConnection(ds, { snapshot: true });
      try {
        expect((await conn.query<{ id: string }>('SELECT id FROM visits ORDER BY id')).map((v) => v.id)).toEqual(['a1', 'a2']);
      } finally {
        await conn.close();
      }

      // Entity reads (GraphQL lookups, loaders) stay on the primary: read-your-writes.
      expect(await ds.getRepository(Visit).count()).toBe(3);
      expect((await ds.getRepository(Visit).findOneBy({ id: 'b1' }))?.id).toBe('b1');
      expect(await ds.getRepository(Visit).createQueryBuilder('v').getCount()).toBe(3);
    } finally {
      const r2 = await replica.connect();
      await r2.query('START SLAVE SQL_THREAD');
      await r2.end();
    }
    await waitForReplica(primary, replica);
    expect(await visitsMetric()).toBe(3); // caught up
    expect(await scorecardVisits()).toBe(3);
  });
});
