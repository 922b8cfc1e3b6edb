import cliProgress from 'cli-progress';
import type { CliContext } from '../../core/cli/cli-io';
import { PLAIN_PROGRESS_INTERVAL_MS } from './migration-progress';

/**
 * Progress of a check over every tenant file, on stderr: a live bar on a terminal, otherwise a
 * plain line at most every two seconds and one at the end.
 */
export interface FileCheckProgress {
  /** May be handed on as it is (an `onFileChecked` option). */
  onFileChecked: (done: number, total: number) => void;
  stop(): void;
}

export function createFileCheckProgress(ctx: CliContext, verb: string): FileCheckProgress {
  if (ctx.stderrIsTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream: ctx.io.stderr as NodeJS.WritableStream,
        format: `${verb} [{bar}] {value}/{total} tenant files | eta {eta_formatted}`,
        hideCursor: true,
        clearOnComplete: true,
        gracefulExit: false,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      onFileChecked(done: number, total: number) {
        if (!started) {
          bar.start(total, 0);
          started = true;
        }
        bar.update(done);
      },
      stop() {
        if (started) bar.stop();
      },
    };
  }
  let lastLine = Date.now();
  return {
    onFileChecked(done: number, total: number) {
      if (done !== total && Date.now() - lastLine < PLAIN_PROGRESS_INTERVAL_MS) return;
      ctx.err(`progress: ${done}/${total} tenant files checked`);
      lastLine = Date.now();
    },
    stop() {},
  };
}
