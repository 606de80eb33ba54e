/** z for a two-sided 95 % interval (metrics.md: every rate carries a 95 % Wilson interval). */
export const WILSON_Z = 1.959963984540054;

/** Wilson score interval at 95 % for `k` successes out of `n`; null when n = 0. */
export function wilson(k: number, n: number): { low: number; high: number } | null {
  if (n <= 0) return null;
  const p = k / n;
  const z2 = WILSON_Z * WILSON_Z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (WILSON_Z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  // Clamped because rounding can leave a bound a hair outside [0, 1] at p = 0 or 1.
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}
