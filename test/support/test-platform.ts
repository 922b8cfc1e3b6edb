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
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-test-'));
  const template = await buildTestTemplate();
  fs.copyFileSync(path.join(template, 'platform.sqlite'), path.join(dataDir, 'platform.sqlite'));
  fs.cpSync(path.join(template, 'templates'), path.join(dataDir, 'templates'), { recursive: true });
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env });
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
