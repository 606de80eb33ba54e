import { ChildProcess, spawn } from 'node:child_process';
import { createConnection } from 'node:net';
import { freePort } from './private-mariadb';

/*
 * A private redis-server on its own port, for tests that stop or kill Redis mid-run. It never
 * touches the machine's Redis on 6379: no config file, no persistence, its own port.
 */

export interface PrivateRedis {
  /** `redis://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** Starts it (again, on the same port); resolves when it answers PING. */
  start(): Promise<void>;
  /** Hard crash (SIGKILL); resolves when the process has exited. */
  kill(): Promise<void>;
  running(): boolean;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const server: PrivateRedis = {
    url: `redis://127.0.0.1:${port}`,
    port,
    running: () => child !== undefined,
    async start() {
      if (child) return;
      const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
      child = proc;
      live.add(proc);
      let failure: Error | null = null;
      proc.once('error', (err) => {
        failure = new Error(`cannot run redis-server (${err.message}); install it: apt-get install redis-server`);
        live.delete(proc);
        if (child === proc) child = undefined;
      });
      exited = new Promise<void>((resolve) =>
        proc.once('exit', () => {
          live.delete(proc);
          if (child === proc) child = undefined;
          resolve();
        }),
      );
      const until = Date.now() + 10_000;
      while (!(await pong(port))) {
        if (failure) throw failure;
        if (child !== proc) throw new Error(`redis-server on port ${port} exited at start-up`);
        if (Date.now() > until) throw new Error(`redis-server on port ${port} did not answer within 10 s`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async kill() {
      if (!child) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
  await server.start();
  return server;
}

/** Whether a Redis answers PING on the port (RESP over a raw socket: no client library state to clean up). */
export function pong(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (d) => done(d.toString().startsWith('+PONG')));
  });
}
