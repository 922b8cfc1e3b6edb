import cliProgress from 'cli-progress';
import type { CliContext } from '../../core/cli/cli-io';

/** What a fleet job (migration, backup, rehearsal) reports per tenant: only failures are counted. */
interface TenantProgress {
  outcome: string;
}

export interface ProgressReporter {
  onProgress: (done: number, total: number, outcome: TenantProgress) => void;
  stop(): void;
}

/** How often a non-terminal stderr (a log file, CI) gets a progress line. */
export const PLAIN_PROGRESS_INTERVAL_MS = 2000;

/**
 * Progress of a fleet run (migration, backup) on stderr: a live bar on a terminal; otherwise a plain line at
 * most every two seconds and one at the end, so logs stay readable.
 */
export function createProgressReporter(ctx: CliContext, verb: string): ProgressReporter {
  let failed = 0;
  if (ctx.stderrIsTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream: ctx.io.stderr as NodeJS.WritableStream,
        format: `${verb} [{bar}] {value}/{total} tenants | {failed} failed | eta {eta_formatted}`,
        hideCursor: true,
        clearOnComplete: true,
        gracefulExit: false,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      onProgress(done, total, outcome) {
        if (outcome.outcome === 'failed') failed++;
        if (!started) {
          bar.start(total, 0, { failed });
          started = true;
        }
        bar.update(done, { failed });
      },
      stop() {
        if (started) bar.stop();
      },
    };
  }
  let lastLine = Date.now();
  let last: { done: number; total: number } | undefined;
  const line = (done: number, total: number) => {
    ctx.err(`progress: ${done}/${total} tenants, ${failed} failed`);
    lastLine = Date.now();
  };
  return {
    onProgress(done, total, outcome) {
      if (outcome.outcome === 'failed') failed++;
      last = { done, total };
      if (done === total || Date.now() - lastLine >= PLAIN_PROGRESS_INTERVAL_MS) line(done, total);
    },
    stop() {
      if (last && last.done !== last.total) line(last.done, last.total);
    },
  };
}
