/** Small statistics helpers: every figure in the report is a median over runs or samples. */

export function median(values: number[]): number {
  return percentile(values, 50);
}

/** Linear interpolation between closest ranks (the same definition numpy uses by default). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

/** The range of a row's runs, for the notes: "spread 812-1,034 req/s" (one run: "1 run"). */
export function spread(values: number[], digits: number, unit = ''): string {
  if (values.length < 2) return `${values.length} run`;
  const format = (v: number) => v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return `spread ${format(Math.min(...values))}-${format(Math.max(...values))}${unit ? ` ${unit}` : ''}`;
}

export function sum(values: number[]): number {
  return values.reduce((total, v) => total + v, 0);
}

/** Runs a synchronous fn once and returns its duration in milliseconds. */
export function timeSyncMs(fn: () => void): number {
  const started = performance.now();
  fn();
  return performance.now() - started;
}

/** ops/s of a synchronous operation repeated `count` times. */
export function opsPerSec(count: number, op: (i: number) => void): number {
  const started = performance.now();
  for (let i = 0; i < count; i++) op(i);
  return (count / (performance.now() - started)) * 1000;
}

/** Runs fn once (awaited) and returns its duration in milliseconds. */
export async function timeMs(fn: () => unknown): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}
