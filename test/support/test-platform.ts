import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../core/config/load-config';
import { createPlatform, type Platform, type PlatformOptions } from '../../app/create-platform';
import { createLogger } from '../../core/logging/logger';
import { buildTestTemplate } from './test-template';

export interface TestPlatform {
  platform: Platform;
  config: Config;
  dataDir: string;
  cleanup(): Promise<void>;
}

/** A fresh temp data dir seeded from the pre-built template (no migrations re-run), and a platform on it. */
export async function createTestPlatform(env: Record<string, string> = {}, options: PlatformOptions = {}): Promise<TestPlatform> {
  // A DATA_DIR of the test's own (a folder it made, e.g. under a hidden folder) is used as given.
  const dataDir = env.DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-test-'));
  fs.mkdirSync(dataDir, { recursive: true });
  const template = await buildTestTemplate();
  fs.copyFileSync(path.join(template, 'platform.sqlite'), path.join(dataDir, 'platform.sqlite'));
  // The template files only: a -wal or -shm beside them (left by anything that opened the shared
  // template, even to read) would make the product copy them another way than the tests expect.
  fs.cpSync(path.join(template, 'templates'), path.join(dataDir, 'templates'), { recursive: true, filter: (from) => !/-(wal|shm)$/.test(from) });
  const config = loadConfig({ LOG_LEVEL: 'silent', ...env, DATA_DIR: dataDir });
  const platform = await createPlatform(config, { logger: createLogger('silent'), ...options });
  return {
    platform,
    config,
    dataDir,
    async cleanup() {
      await platform.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
