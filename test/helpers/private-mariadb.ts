import { ChildProcess, execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createConnection, Connection } from 'mysql2/promise';

/*
 * A private MariaDB server in a temp directory on its own port, for tests that must stop,
 * kill or replicate a database. It never touches the shared server on 3306: its own datadir,
 * socket, pid file and port, and `--no-defaults` so /etc/mysql/my.cnf is not read.
 */

const run = promisify(execFile);

export interface PrivateMariaDbOptions {
  /** TCP port; a free one is picked when omitted. */
  port?: number;
  /** `server_id` (replication needs distinct ids). Default 1. */
  serverId?: number;
  /** Write a binary log (needed on a replication primary). */
  logBin?: boolean;
  /** Make this server a binlog replica of that one (CHANGE MASTER TO …; START SLAVE). */
  replicaOf?: { port: number; host?: string };
  /** Extra mariadbd arguments (e.g. a bigger buffer pool for a benchmark). */
  extraArgs?: string[];
}

export interface PrivateMariaDb {
  /** `mysql://root@127.0.0.1:<port>` without a database, like TEST_MYSQL_URL. */
  url: string;
  port: number;
  /** The temp directory holding datadir, socket, pid file and error log. */
  dir: string;
  /** Clean shutdown (SIGTERM), resolves when the process has exited. */
  stop(): Promise<void>;
  /** Starts the server again on the same port and datadir; resolves when it answers. */
  start(): Promise<void>;
  /** Hard crash (SIGKILL), resolves when the process has exited. */
  kill(): Promise<void>;
  /** Whether the server process is running. */
  running(): boolean;
  /** Opens a root connection to this server (optionally to a database). */
  connect(database?: string): Promise<Connection>;
  /** Stops (kills) the server and removes its directory. */
  destroy(): Promise<void>;
}

let templateDir: string | undefined;
const live = new Set<ChildProcess>();
const dirs = new Set<string>();

// If the test process dies, take our servers with it: an orphan mariadbd would hold a port
// and a temp datadir forever.
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Picks a TCP port that is free right now on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

// mariadb-install-db takes seconds and ~100 MB: install once per machine into a stable path
// (atomically: install elsewhere, then rename) and copy the system tables for each server.
async function template(): Promise<string> {
  if (templateDir && existsSync(join(templateDir, 'mysql'))) return templateDir;
  const stable = join(tmpdir(), 'minqing-mariadb-template-v1');
  if (existsSync(join(stable, 'mysql'))) return (templateDir = stable);
  const dir = mkdtempSync(join(tmpdir(), 'minqing-mariadb-install-'));
  const installTmp = mkdtempSync(join(tmpdir(), 'minqing-mariadb-install-tmp-'));
  try {
    await run('mariadb-install-db', [
      '--no-defaults',
      `--datadir=${dir}`,
      `--tmpdir=${installTmp}`,
      '--user=root',
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      '--skip-name-resolve',
    ]);
    try {
      renameSync(dir, stable);
    } catch {
      rmSync(dir, { recursive: true, force: true }); // another process won the race: use its copy
    }
  } finally {
    rmSync(installTmp, { recursive: true, force: true });
  }
  if (!existsSync(join(stable, 'mysql'))) throw new Error(`mariadb-install-db left no system tables in ${stable}`);
  return (templateDir = stable);
}

/** Starts a private MariaDB server (installs a datadir in a temp dir); resolves when it answers. */
export async function startPrivateMariaDb(options: PrivateMariaDbOptions = {}): Promise<PrivateMariaDb> {
  const port = options.port ?? (await freePort());
  const serverId = options.serverId ?? 1;
  const dir = mkdtempSync(join(tmpdir(), `minqing-mariadb-${port}-`));
  dirs.add(dir);
  const datadir = join(dir, 'data');
  cpSync(await template(), datadir, { recursive: true });
  // Its own tmpdir: mariadbd deletes every `#sql*` file in its tmpdir at start-up, which in
  // /tmp would pull the shared server's in-flight temp tables from under it (EE_DELETE errors).
  const tmp = join(dir, 'tmp');
  mkdirSync(tmp);
  const socket = join(dir, 'mysqld.sock');
  const errorLog = join(dir, 'error.log');
  const args = [
    '--no-defaults',
    '--user=root',
    `--datadir=${datadir}`,
    `--tmpdir=${tmp}`,
    `--socket=${socket}`,
    `--port=${port}`,
    '--bind-address=127.0.0.1',
    `--pid-file=${join(dir, 'mysqld.pid')}`,
    `--log-error=${errorLog}`,
    `--server-id=${serverId}`,
    '--skip-name-resolve',
    '--innodb-buffer-pool-size=64M',
    '--innodb-log-file-size=16M',
    '--max-connections=200',
    '--character-set-server=utf8mb4',
    '--collation-server=utf8mb4_unicode_ci',
    ...(options.logBin ? [`--log-bin=${join(dir, 'data', 'binlog')}`, '--binlog-format=ROW'] : []),
    ...(options.replicaOf ? ['--relay-log=relay-bin', '--skip-slave-start'] : []),
    ...(options.extraArgs ?? []),
  ];
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const connect = (database?: string) =>
    createConnection({ host: '127.0.0.1', port, user: 'root', database, connectTimeout: 2000 });

  const start = async () => {
    if (child) return;
    const proc = spawn('mariadbd', args, { stdio: 'ignore' });
    child = proc;
    live.add(proc);
    exited = new Promise<void>((resolve) =>
      proc.once('exit', () => {
        live.delete(proc);
        if (child === proc) child = undefined;
        resolve();
      }),
    );
    await waitUntilAnswering(socket, port, () => child === proc, errorLog);
  };

  const halt = async (signal: NodeJS.Signals) => {
    if (!child) return;
    child.kill(signal);
    await exited;
  };

  const server: PrivateMariaDb = {
    url: `mysql://root@127.0.0.1:${port}`,
    port,
    dir,
    start,
    stop: () => halt('SIGTERM'),
    kill: () => halt('SIGKILL'),
    running: () => child !== undefined,
    connect,
    destroy: async () => {
      await halt('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      dirs.delete(dir);
    },
  };

  await start();
  if (options.replicaOf) await replicate(server, options.replicaOf);
  return server;
}

// The template's root@localhost has no password but only over the socket; tests connect over
// TCP, so the first start adds root@127.0.0.1 (via the socket) before anyone connects.
async function waitUntilAnswering(socket: string, port: number, alive: () => boolean, errorLog: string) {
  const deadline = Date.now() + 60_000;
  let last: unknown;
  while (Date.now() < deadline) {
    if (!alive()) break;
    try {
      const c = await createConnection({ socketPath: socket, user: 'root', connectTimeout: 1000 });
      // Local set-up only: keep it out of the binlog so a replica never replays it.
      await c.query('SET SESSION sql_log_bin = 0');
      await c.query("CREATE USER IF NOT EXISTS 'root'@'127.0.0.1'");
      await c.query("GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION");
      await c.end();
      const t = await createConnection({ host: '127.0.0.1', port, user: 'root', connectTimeout: 1000 });
      await t.query('SELECT 1');
      await t.end();
      return;
    } catch (err) {
      last = err;
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  const log = existsSync(errorLog) ? readFileSync(errorLog, 'utf8').split('\n').slice(-15).join('\n') : '';
  throw new Error(`private MariaDB on port ${port} did not answer: ${String(last)}\n${log}`);
}

// Binlog replication from the primary's current position: tests create their databases after
// this, so everything they write flows to the replica.
async function replicate(replica: PrivateMariaDb, primary: { port: number; host?: string }) {
  const p = await createConnection({ host: primary.host ?? '127.0.0.1', port: primary.port, user: 'root' });
  const [rows] = (await p.query('SHOW MASTER STATUS')) as unknown as [Array<{ File: string; Position: number }>];
  await p.end();
  if (!rows[0]) throw new Error(`server on port ${primary.port} has no binary log (start it with logBin: true)`);
  const r = await replica.connect();
  try {
    await r.query(
      `CHANGE MASTER TO MASTER_HOST=?, MASTER_PORT=?, MASTER_USER='root', MASTER_PASSWORD='',
       MASTER_LOG_FILE=?, MASTER_LOG_POS=?, MASTER_USE_GTID=no, MASTER_CONNECT_RETRY=1`,
      [primary.host ?? '127.0.0.1', primary.port, rows[0].File, rows[0].Position],
    );
    await r.query('START SLAVE');
  } finally {
    await r.end();
  }
}

/** Waits until the replica has applied everything the primary has written so far. */
export async function waitForReplica(primary: PrivateMariaDb, replica: PrivateMariaDb, timeoutMs = 20_000): Promise<void> {
  const p = await primary.connect();
  const [rows] = (await p.query('SELECT @@gtid_binlog_pos AS pos')) as unknown as [Array<{ pos: string }>];
  await p.end();
  const r = await replica.connect();
  try {
    const [res] = (await r.query('SELECT MASTER_GTID_WAIT(?, ?) AS rc', [rows[0].pos, timeoutMs / 1000])) as unknown as [
      Array<{ rc: number }>,
    ];
    if (Number(res[0].rc) !== 0) throw new Error(`replica did not catch up to ${rows[0].pos} in ${timeoutMs} ms`);
  } finally {
    await r.end();
  }
}
