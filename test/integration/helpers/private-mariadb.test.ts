import { PrivateMariaDb, startPrivateMariaDb, waitForReplica } from '../../helpers/private-mariadb';

// MariaDB only by nature: these tests start, stop, kill and replicate real mariadbd processes
// on their own ports; the shared server on 3306 is never touched.
describe('startPrivateMariaDb', () => {
  let db: PrivateMariaDb;
  beforeAll(async () => {
    db = await startPrivateMariaDb();
  });
  afterAll(async () => {
    await db?.destroy();
  });

  it('answers on its own port, stops, restarts with its data, survives a kill', async () => {
    expect(db.port).not.toBe(3306);
    const c = await db.connect();
    await c.query('CREATE DATABASE t1');
    await c.query('CREATE TABLE t1.x (id INT PRIMARY KEY) ENGINE=InnoDB');
    await c.query('INSERT INTO t1.x VALUES (1), (2)');
    await c.end();

    await db.stop();
    expect(db.running()).toBe(false);
    await expect(db.connect()).rejects.toThrow();

    await db.start();
    const c2 = await db.connect('t1');
    const [rows] = (await c2.query('SELECT COUNT(*) AS n FROM x')) as unknown as [Array<{ n: number }>];
    expect(Number(rows[0].n)).toBe(2);
    await c2.query('INSERT INTO x VALUES (3)');
    await c2.end();

    await db.kill();
    await expect(db.connect()).rejects.toThrow();
    await db.start();
    const c3 = await db.connect('t1');
    const [rows3] = (await c3.query('SELECT COUNT(*) AS n FROM x')) as unknown as [Array<{ n: number }>];
    expect(Number(rows3[0].n)).toBe(3); // committed before the crash: InnoDB recovered it
    await c3.end();
  });

  it('replicates a primary with a binlog to a replica on another port', async () => {
    const primary = await startPrivateMariaDb({ serverId: 11, logBin: true });
    const replica = await startPrivateMariaDb({ serverId: 12, replicaOf: { port: primary.port } });
    try {
      const p = await primary.connect();
      await p.query('CREATE DATABASE r1');
      await p.query('CREATE TABLE r1.y (id INT PRIMARY KEY) ENGINE=InnoDB');
      await p.query('INSERT INTO r1.y VALUES (7), (8), (9)');
      await p.end();
      await waitForReplica(primary, replica);
      const r = await replica.connect('r1');
      const [rows] = (await r.query('SELECT SUM(id) AS s FROM y')) as unknown as [Array<{ s: number }>];
      expect(Number(rows[0].s)).toBe(24);
      await r.end();
    } finally {
      await replica.destroy();
      await primary.destroy();
    }
  });
});
