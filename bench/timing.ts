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
/**
 * Warm-up of a fast query: up to this long and this many runs. V8 optimizes a function only
 * after it has run many times: with a cap of 50 runs, a millisecond query was timed half
 * compiled (the county trend read 1.30× its SQL; after 1,000 more runs in the same process,
 * 1.12×).
 */
const WARM_UP_MS = 2000;
const WARM_RUNS = 2000;
/** Timed runs of a fast query: as many as fit in 1 s, up to this many. */
const TIMED_MS = 1000;
const FAST_RUNS = 500;

/** Timings of a service call and of the raw replay of its SQL, taken in the same runs. */
export interface PairedTiming {
  fn: Timing;
  /** Null when there was no replay or it failed (`rawError`). */
  raw: Timing | null;
  rawError?: unknown;
}

/**
 * Times `fn` the way a long-running server meets it. Warm-up first: one run, and while runs
 * are fast, more of them (up to 2 s or 2,000 runs), so a millisecond query is timed with its
 * JavaScript compiled, as in a process that has served it before, and not against a raw
 * statement that needs no warming. Then `runs` timed runs (3 for a run over 2 s), or for a
 * fast query as many as fit in 1 s (up to 500).
 *
 * `raw` (the replay of the SQL `fn` issued, or null) is timed in turns with it: each round runs
 * both, the first of them alternating, so whatever else the machine does at that moment weighs
 * on both alike. Timed one after the other, a millisecond query's ratio moved by a fifth between
 * runs of the bench on a shared machine. A replay that fails is dropped (and reported in
 * `rawError`); `fn` is still timed.
 */
export async function timePaired(runs: number, fn: () => Promise<unknown>, raw: (() => Promise<unknown>) | null): Promise<PairedTiming> {
  let replay = raw;
  let rawError: unknown;
  const tryRaw = async (): Promise<number | null> => {
    const t0 = now();
    try {
      await replay!();
      return now() - t0;
    } catch (err) {
      rawError = err;
      replay = null;
      return null;
    }
  };
  const start = now();
  await fn();
  const slow = now() - start > SLOW_MS;
  if (replay) await tryRaw();
  if (slow) runs = Math.min(runs, 3);
  else for (let i = 1; i < WARM_RUNS && now() - start < WARM_UP_MS * (replay ? 2 : 1); i++) {
    await fn();
    if (replay) await tryRaw();
  }
  const fnTimes: number[] = [];
  const rawTimes: number[] = [];
  const timeFn = async () => {
    const t0 = now();
    await fn();
    fnTimes.push(now() - t0);
  };
  const timeRaw = async () => {
    const ms = replay ? await tryRaw() : null;
    if (ms !== null) rawTimes.push(ms);
  };
  const timing = now();
  // A fast query gets more timed runs, up to 1 s of them each (at most 500): a p50 of 20 runs of
  // a millisecond moves by a tenth with whatever else the machine does.
  for (let i = 0; i < runs || (i < FAST_RUNS && now() - timing < TIMED_MS * (replay ? 2 : 1)); i++) {
    if (i % 2 === 0) {
      await timeFn();
      await timeRaw();
    } else {
      await timeRaw();
      await timeFn();
    }
  }
  return { fn: summarize(fnTimes), raw: replay && rawTimes.length ? summarize(rawTimes) : null, ...(rawError !== undefined ? { rawError } : {}) };
}

function summarize(times: number[]): Timing {
  times.sort((a, b) => a - b);
  return { p50: r2(pct(times, 0.5)), p95: r2(pct(times, 0.95)), max: r2(times[times.length - 1]), runs: times.length };
}
