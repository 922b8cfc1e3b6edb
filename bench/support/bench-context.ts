import type { ResultRow } from './result-row';

/** What every benchmark receives from bench/run.ts: the mode and its sizes. */
export interface BenchContext {
  quick: boolean;
  /** Runs per figure (each figure is the median of these). */
  runs: number;
  /** Runs per HTTP load figure (fewer in quick mode: each one costs seconds). */
  loadRuns: number;
  /** Length of one measured load run, and of the unmeasured warm-up before it. */
  loadSeconds: number;
  warmupSeconds: number;
  connections: number;
  log(message: string): void;
}

export interface BenchOutput<Details = unknown> {
  rows: ResultRow[];
  details: Details;
}
