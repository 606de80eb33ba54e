import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import { COMMANDS } from '../../../src/cli/index';
import { freePort } from '../../helpers/private-mariadb';
import { TEST_MYSQL_URL } from '../../helpers/mysql-url';

/*
 * Every command line the READMEs show, run verbatim on a fresh clone (issue 17): the lines of
 * every ```sh block of every tracked Markdown file, read from the committed files (what a
 * newcomer gets), in document order, README.md first. A README edit that breaks a command, or
 * a command that stops working, fails here.
 *
 * What is not quite verbatim, and why:
 *  - `npm ci` is not run: the clone gets the checkout's node_modules (a symlink) and runs the
 *    build that `npm ci` runs (`prepare`), to keep CI minutes down and the network out of the
 *    test (better-sqlite3 compiles from source). README_TEST_NPM_CI=1 runs the real `npm ci`.
 *  - The MariaDB URL of the README (`mysql://root@127.0.0.1:3306/minqing`, the machine's manual
 *    database) is pointed at a database of this test's own on TEST_MYSQL_URL, dropped after.
 *  - PORT is set to a free port in the environment (no README line sets it), so `npm start`
 *    does not collide with anything on 4000.
 *  - Long-running lines (`npm start`, `minqing -- serve`) count as working when they print
 *    "Minqing is serving on", answer /healthz and /readyz with 200, and shut down cleanly on SIGTERM.
 *  - `npm test` is not run: this test is part of it.
 * Inline code that shows a command (`npm run minqing -- …`, `npm run <script>`) is checked to
 * name a command and a script that exist; synopses with placeholders cannot run verbatim.
 */

const ROOT = resolve(__dirname, '../../..');
const README_MYSQL_URL = 'mysql://root@127.0.0.1:3306/minqing';
const NOT_RUN: Record<string, string> = { 'npm test': 'this test runs inside npm test' };
const COMMAND_TIMEOUT_MS = 240_000;

const git = (...args: string[]) => execFileSync('git', ['-C', ROOT, ...args], { encoding: 'utf8' });

/** The Markdown files git tracks, README.md first, as committed at HEAD. */
function committedDocs(): Array<{ file: string; text: string }> {
  const files = git('ls-files', '*.md').split('\n').filter(Boolean);
  files.sort((a, b) => (a === 'README.md' ? -1 : b === 'README.md' ? 1 : a.localeCompare(b)));
  return files.map((file) => ({ file, text: git('show', `HEAD:${file}`) }));
}

/** Command lines of the ```sh blocks: comments stripped, continuation lines joined. */
export function shellCommands(markdown: string): string[] {
  const out: string[] = [];
  let inSh = false;
  let pending = '';
  for (const raw of markdown.split('\n')) {
    const fence = /^```(\S*)/.exec(raw);
    if (fence) {
      inSh = !inSh && fence[1] === 'sh';
      continue;
    }
    if (!inSh) continue;
    const line = stripComment(raw).trimEnd();
    if (line.endsWith('\\')) {
      pending += line.slice(0, -1) + ' ';
      continue;
    }
    const full = (pending + line).trim();
    pending = '';
    if (full) out.push(full);
  }
  return out;
}

/** A line without its trailing `# comment` (a `#` outside quotes that starts a word). */
function stripComment(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]))) return line.slice(0, i);
  }
  return line;
}

/** `a && b` → [a, b] (outside quotes). */
function segments(line: string): string[] {
  const parts: string[] = [];
  let quote: string | null = null;
  let cur = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '&' && line[i + 1] === '&') {
      parts.push(cur.trim());
      cur = '';
      i++;
      continue;
    }
    cur += c;
  }
  parts.push(cur.trim());
  return parts.filter(Boolean);
}

const isServe = (cmd: string) => /(^|\s)npm start$/.test(cmd) || /minqing -- serve\b/.test(cmd);

const DOCS = committedDocs();
const LINES = DOCS.flatMap(({ file, text }) => shellCommands(text).map((line) => ({ file, line })));
const MYSQL_ON = process.env.MINQING_TEST_MYSQL !== 'off';

describe('the READMEs’ command lines, on a fresh clone', () => {
  let clone: string;
  let database: string;
  const running = new Set<ChildProcess>();

  /** The environment a newcomer's shell would have: nothing of ours, nothing npm set for `npm test`. */
  const env = (port: number): NodeJS.ProcessEnv => {
    const e: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) {
      if (/^(npm_|INIT_CWD$|DATABASE_URL$|REDIS_URL$|PORT$|SEED_DEMO$|ADMIN_PASSWORD$|LOG_LEVEL$|MINQING_|TEST_MYSQL_URL$|JEST_|NODE_ENV$)/.test(k)) continue;
      e[k] = v;
    }
    return { ...e, PORT: String(port) };
  };
  const localize = (cmd: string) => cmd.split(README_MYSQL_URL).join(`${TEST_MYSQL_URL}/${database}`);

  beforeAll(async () => {
    clone = mkdtempSync(join(tmpdir(), 'minqing-readme-'));
    const sha = git('rev-parse', 'HEAD').trim();
    execFileSync('git', ['clone', '--quiet', '--no-checkout', ROOT, clone]);
    execFileSync('git', ['-C', clone, 'checkout', '--quiet', '--detach', sha]);
    if (process.env.README_TEST_NPM_CI === '1') {
      execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: clone, stdio: 'ignore', env: env(0) });
    } else {
      symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'), 'dir');
      execFileSync('npm', ['run', 'prepare'], { cwd: clone, stdio: 'ignore', env: env(0) });
    }
    database = `mq_readme_${process.pid}_${randomBytes(3).toString('hex')}`;
    if (MYSQL_ON) {
      const admin = await createConnection({ uri: TEST_MYSQL_URL });
      await admin.query(`CREATE DATABASE ${database} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
      await admin.end();
    }
  }, 300_000);

  afterAll(async () => {
    for (const p of running) if (p.pid) process.kill(-p.pid, 'SIGKILL');
    if (MYSQL_ON && database) {
      const admin = await createConnection({ uri: TEST_MYSQL_URL });
      await admin.query(`DROP DATABASE IF EXISTS ${database}`);
      await admin.end();
    }
    if (clone) rmSync(clone, { recursive: true, force: true });
  });

  it('finds the command lines to run (README.md, seeds/README.md, src/extracts/README.md)', () => {
    const files = new Set(LINES.map((l) => l.file));
    for (const f of ['README.md', 'seeds/README.md', 'src/extracts/README.md']) expect(files).toContain(f);
    expect(LINES.length).toBeGreaterThanOrEqual(12);
    expect(LINES.map((l) => l.line)).toContain('npm run minqing -- token create --role ADMIN --name "my first token"');
  });

  it('shows only commands and scripts that exist where it names them in running text', () => {
    const scripts = Object.keys(require(join(ROOT, 'package.json')).scripts as Record<string, string>);
    const problems: string[] = [];
    for (const { file, text } of DOCS) {
      for (const [, code] of text.matchAll(/`(npm run[^`]*)`/g)) {
        const m = /^npm run(?: -s| --silent)? ([A-Za-z][\w:-]*)(?: -- (\S+))?/.exec(code);
        if (!m) continue; // `npm run` itself, named in a sentence
        if (!scripts.includes(m[1])) problems.push(`${file}: \`${code}\` names no script of package.json`);
        else if (m[1] === 'minqing' && m[2] && !/^[<[]/.test(m[2]) && !(m[2] in COMMANDS)) problems.push(`${file}: \`${code}\` names no minqing command`);
      }
      if (/`npx minqing/.test(text) && !/`npx minqing …` goes through npx/.test(text)) problems.push(`${file}: shows \`npx minqing\`, which fails on some npm 11 set-ups`);
    }
    expect(problems).toEqual([]);
  });

  const cases = LINES.map(({ file, line }, i) => [`${file}: ${line}`, i] as const);
  it.each(cases)('%s', async (_name, i) => {
    const { line } = LINES[i];
    for (const seg of segments(line)) {
      if (seg === 'npm ci') continue; // done once for the clone (see above)
      if (NOT_RUN[seg]) continue;
      if (seg.includes(README_MYSQL_URL) && !MYSQL_ON) {
        console.warn(`SKIPPED (no MariaDB): ${seg}`);
        continue;
      }
      const cmd = localize(seg);
      const port = await freePort();
      if (isServe(cmd)) await serveAndStop(cmd, env(port), port);
      else await runToEnd(cmd, env(port));
    }
  }, COMMAND_TIMEOUT_MS * 2);

  it('leaves the clone’s tracked files as committed (e.g. `schema --out` wrote the same SDL)', () => {
    expect(execFileSync('git', ['-C', clone, 'status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' })).toBe('');
  });

  /** Runs a line to its end in the clone with bash; it must exit 0. */
  function runToEnd(cmd: string, e: NodeJS.ProcessEnv): Promise<void> {
    return new Promise((done, fail) => {
      const p = spawn('bash', ['-c', cmd], { cwd: clone, env: e, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      running.add(p);
      let out = '';
      p.stdout!.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-4000)));
      p.stderr!.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-4000)));
      const timer = setTimeout(() => p.pid && process.kill(-p.pid, 'SIGKILL'), COMMAND_TIMEOUT_MS);
      p.on('exit', (code, signal) => {
        clearTimeout(timer);
        running.delete(p);
        if (code === 0) done();
        else fail(new Error(`\`${cmd}\` exited with ${code ?? signal}:\n${out}`));
      });
    });
  }

  /** Starts a serving line, waits until it serves and is ready, then SIGTERMs it and waits for its clean shutdown. */
  function serveAndStop(cmd: string, e: NodeJS.ProcessEnv, port: number): Promise<void> {
    return new Promise((done, fail) => {
      const p = spawn('bash', ['-c', cmd], { cwd: clone, env: e, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      running.add(p);
      let out = '';
      let err = '';
      let stopping = false;
      let failed: Error | null = null;
      const group = () => p.pid && process.kill(-p.pid, 'SIGTERM');
      const timer = setTimeout(() => {
        failed = new Error(`\`${cmd}\` did not serve within ${COMMAND_TIMEOUT_MS / 1000} s:\n${out.slice(-3000)}\n${err.slice(-3000)}`);
        if (p.pid) process.kill(-p.pid, 'SIGKILL');
      }, COMMAND_TIMEOUT_MS);
      p.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      p.stdout!.on('data', async (d: Buffer) => {
        out += d.toString();
        const m = /Minqing is serving on (http:\/\/\S+)/.exec(out);
        if (!m || stopping) return;
        stopping = true;
        try {
          expect(m[1]).toBe(`http://localhost:${port}`);
          const health = await fetch(`http://127.0.0.1:${port}/healthz`);
          if (health.status !== 200) throw new Error(`/healthz answered ${health.status}`);
          // Ready once the database answers and start-up's rollups are built (503 until then).
          const until = Date.now() + 120_000;
          for (let ready = 0; ready !== 200; ) {
            ready = (await fetch(`http://127.0.0.1:${port}/readyz`)).status;
            if (ready !== 200 && Date.now() > until) throw new Error(`/readyz still answered ${ready} after 120 s`);
            if (ready !== 200) await new Promise((r) => setTimeout(r, 250));
          }
        } catch (x) {
          failed = x as Error;
        }
        group();
      });
      // 'close': every process holding the pipes (npm and the server it started) has exited.
      p.on('close', () => {
        clearTimeout(timer);
        running.delete(p);
        // The server itself logs its clean shutdown (npm, killed with it, says nothing useful).
        const deadline = Date.now() + 30_000;
        const settle = () => {
          if (!/"msg":"shut down"/.test(err) && !failed && Date.now() < deadline) return setTimeout(settle, 100);
          if (failed) return fail(failed);
          if (!/"msg":"shut down"/.test(err)) return fail(new Error(`\`${cmd}\` did not shut down cleanly:\n${err.slice(-3000)}`));
          if (/"level":50/.test(err)) return fail(new Error(`\`${cmd}\` logged errors:\n${err.slice(-3000)}`));
          done();
        };
        settle();
      });
    });
  }
});
