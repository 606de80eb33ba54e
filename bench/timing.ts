/** p50/p95/max of timed runs, in ms. */
export interface Timing {
  p50: number;
  p95: number;
  max: number;
  runs: number;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
const r2 = (x: number) => Math.round(x * 100) / 100;
const now = () => Number(process.hrtime.bigint()) / 1e6;

/** One run slower than this is timed 3 times, not `runs`: the bench must finish at ×100. */
const SLOW_MS = 2000;
/** Warm-up of a fast query: up to this long and this many runs. */
const WARM_MS = 1000;
const WARM_RUNS = 50;
/** Timed runs of a fast query: as many as fit in 1 s, up to this many. */
const FAST_RUNS = 500;

/**
 * Times `fn` the way a long-running server meets it. Warm-up first: one run, and while runs
 * are fast, more of them (up to 1 s or 50 runs), so a millisecond query is timed with its
 * JavaScript compiled, as in a process that has served it before, and not against a raw
 * statement that needs no warming. Then `runs` timed runs (3 for a run over 2 s), or for a
 * fast query as many as fit in 1 s (up to 500).
 * Used for the service and for the raw replay alike.
 */
export async function timeRuns(runs: number, fn: () => Promise<unknown>): Promise<Timing> {
  const start = now();
  await fn();
  if (now() - start > SLOW_MS) runs = Math.min(runs, 3);
  else for (let i = 1; i < WARM_RUNS && now() - start < WARM_MS; i++) await fn();
  const times: number[] = [];
  const timing = now();
  // A fast query gets more timed runs, up to 1 s of them (at most 500): a p50 of 20 runs of a
  // millisecond moves by a tenth with whatever else the machine does.
  for (let i = 0; i < runs || (i < FAST_RUNS && now() - timing < WARM_MS); i++) {
    const t0 = now();
    await fn();
    times.push(now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50: r2(pct(times, 0.5)), p95: r2(pct(times, 0.95)), max: r2(times[times.length - 1]), runs: times.length };
}
