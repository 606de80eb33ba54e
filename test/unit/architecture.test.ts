import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/*
 * The dependency rules of style.md, read from the code's own imports (type-only imports and
 * re-exports included): no cycle between the top-level folders and files of src/, none between
 * files, and no service folder importing a transport.
 */

const SRC = resolve(__dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** The src files a file imports (relative specifiers resolved to .ts files or folder index.ts). */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  const out: string[] = [];
  for (const ref of info.importedFiles) {
    if (!ref.fileName.startsWith('.')) continue;
    const base = resolve(dirname(file), ref.fileName);
    const hit = [`${base}.ts`, join(base, 'index.ts')].find((p) => {
      try {
        return statSync(p).isFile();
      } catch {
        return false;
      }
    });
    if (hit && hit.startsWith(SRC)) out.push(hit);
  }
  return out;
}

/** The top-level folder or file of src/ a file belongs to. */
const roomOf = (file: string) => relative(SRC, file).split('/')[0];

/** Strongly connected components with more than one member (Tarjan), each sorted. */
function cycles(graph: Map<string, Set<string>>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) found.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return found;
}

describe('the structure of src/', () => {
  const files = sourceFiles(SRC);
  const edges = files.flatMap((f) => importsOf(f).map((t) => [f, t] as const));

  it('reads the imports it checks (a sanity check of the reader)', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(edges.some(([f, t]) => f.endsWith('app.ts') && t.endsWith('services.ts'))).toBe(true);
  });

  it('has no import cycle between files', () => {
    const graph = new Map<string, Set<string>>(files.map((f) => [f, new Set()]));
    for (const [f, t] of edges) graph.get(f)!.add(t);
    expect(cycles(graph).map((c) => c.map((f) => relative(SRC, f)))).toEqual([]);
  });

  it('has no import cycle between the top-level folders and files', () => {
    const graph = new Map<string, Set<string>>();
    for (const [f, t] of edges) {
      const [a, b] = [roomOf(f), roomOf(t)];
      if (!graph.has(a)) graph.set(a, new Set());
      if (a !== b) graph.get(a)!.add(b);
    }
    expect(cycles(graph)).toEqual([]);
  });

  it('keeps the services free of the transports (graphql/, http/, dashboard/, cli/)', () => {
    const services = new Set(['analytics', 'audit', 'auth', 'coordination', 'extracts', 'import', 'modules', 'recording', 'domain', 'database']);
    const transports = new Set(['graphql', 'http', 'dashboard', 'cli', 'app.ts', 'main.ts']);
    const bad = edges.filter(([f, t]) => services.has(roomOf(f)) && transports.has(roomOf(t))).map(([f, t]) => `${relative(SRC, f)} → ${relative(SRC, t)}`);
    expect(bad).toEqual([]);
  });
});
