/**
 * Deterministic randomness and China-time arithmetic for the demo county.
 * Only integer and IEEE-exact arithmetic (+ − × ÷, floor) is used, never Math.log/exp/pow
 * or the host's time zone, so the same seed gives byte-identical output on every machine.
 */

/** 32-bit FNV-1a of a string: turns (seed, stage, township) into an independent stream seed. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A small seeded generator (mulberry32) with the draws the demo needs. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed | 0;
  }

  /** An independent stream for one stage of one township, so stages never disturb each other. */
  static for(seed: number, ...parts: Array<string | number>): Rng {
    return new Rng(hash32(`${seed}:${parts.join(':')}`));
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), 1 | t);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [lo, hi], both inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }

  /** Picks by integer weights: [[value, weight], ...]. */
  weighted<T>(table: ReadonlyArray<readonly [T, number]>): T {
    let total = 0;
    for (const [, w] of table) total += w;
    let r = this.next() * total;
    for (const [v, w] of table) {
      if (r < w) return v;
      r -= w;
    }
    return table[table.length - 1][0];
  }

  /** k distinct items (or all of them when k ≥ length), in drawing order. */
  sample<T>(xs: readonly T[], k: number): T[] {
    const copy = xs.slice();
    const n = Math.min(k, copy.length);
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(this.next() * (copy.length - i));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy.slice(0, n);
  }

  /** Roughly bell-shaped in [lo, hi] (mean of three uniforms): durations, diligence. */
  bell(lo: number, hi: number): number {
    return lo + ((this.next() + this.next() + this.next()) / 3) * (hi - lo);
  }
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
/** China Standard Time has had no daylight saving since 1991: a fixed +08:00 is exact. */
const OFFSET = 8 * HOUR;

/** Epoch ms of local midnight (+08:00) of a YYYY-MM-DD date. */
export function localMidnight(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y, m - 1, d) - OFFSET;
}

/** The local (+08:00) date of an instant, as YYYY-MM-DD. */
export function localDate(ms: number): string {
  return new Date(ms + OFFSET).toISOString().slice(0, 10);
}

/** ISO-8601 with the +08:00 offset, to the second, as source systems in China write it. */
export function formatInstant(ms: number): string {
  return new Date(ms + OFFSET).toISOString().slice(0, 19) + '+08:00';
}

/** Day of week of a local date, 0 = Sunday. */
export function localWeekday(ms: number): number {
  return new Date(ms + OFFSET).getUTCDay();
}
