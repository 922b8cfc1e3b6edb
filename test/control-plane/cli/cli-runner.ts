import { runCli } from '../../../app/build-program';
import type { CliIo } from '../../../core/cli/cli-io';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** A stream that keeps what is written to it. */
export function captureStream(options: { isTTY?: boolean } = {}) {
  const chunks: string[] = [];
  return {
    isTTY: options.isTTY,
    columns: 100,
    write(chunk: string) {
      chunks.push(chunk);
      return true;
    },
    text: () => chunks.join(''),
  };
}

/**
 * Runs `tenantry <args>` in-process against a data dir, the way the binary would, and
 * returns its exit code and output.
 */
export function cliFor(dataDir: string, defaults: Partial<CliIo> = {}) {
  return async (args: string[], overrides: Partial<CliIo> & { env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> => {
    const stdout = captureStream();
    const stderr = captureStream({ isTTY: overrides.isTTY?.stderr });
    const env = { DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...defaults.env, ...overrides.env };
    const code = await runCli(['node', 'tenantry', ...args], { isTTY: {}, ...defaults, ...overrides, env, stdout, stderr });
    return { code, stdout: stdout.text(), stderr: stderr.text() };
  };
}
