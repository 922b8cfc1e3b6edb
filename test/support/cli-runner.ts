import { runCli } from '../../app/build-program';
import type { CliIo } from '../../core/cli/cli-io';
import { createTestPlatform, type TestPlatform } from './test-platform';

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

/** `tenantry <args>` run in-process (cliFor). */
export type Tenantry = ReturnType<typeof cliFor>;

/** The test platform of the test or hook running now: made and removed by cliTestPlatform's hooks. */
class CurrentTestPlatform implements TestPlatform {
  made: TestPlatform | undefined;
  private now(): TestPlatform {
    if (!this.made) throw new Error('The CLI test platform exists only inside a test or a hook.');
    return this.made;
  }
  get platform() {
    return this.now().platform;
  }
  get config() {
    return this.now().config;
  }
  get dataDir() {
    return this.now().dataDir;
  }
  cleanup() {
    return this.now().cleanup();
  }
}

/**
 * What a CLI test starts from: a test platform made before each test (before all of them with
 * `once`) and removed after, and `tenantry` run against its data folder. Call it at the top of a
 * describe block; `t` and `tenantry` stand for the platform of the test or hook that reads them.
 */
export function cliTestPlatform(options: { once?: boolean } = {}): { t: TestPlatform; tenantry: Tenantry } {
  const t = new CurrentTestPlatform();
  (options.once ? beforeAll : beforeEach)(async () => {
    t.made = await createTestPlatform();
  });
  (options.once ? afterAll : afterEach)(async () => {
    await t.made?.cleanup();
    t.made = undefined;
  });
  return { t, tenantry: (args, overrides) => cliFor(t.dataDir)(args, overrides) };
}
