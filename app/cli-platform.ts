import { createPlatform, type Platform } from './create-platform';
import { createLogger } from '../core/logging/logger';
import { loadCliConfig } from '../core/cli/cli-config';
import type { CliContext, WithPlatform } from '../core/cli/cli-io';

/** Opens the platform for one command, logging to stderr, and always closes it afterwards. */
export function platformOpener(ctx: CliContext): WithPlatform<Platform> {
  return async (fn) => {
    const config = loadCliConfig(ctx);
    const logger = createLogger(config.logLevel, { write: (line: string) => ctx.io.stderr.write(line) });
    const platform = await createPlatform(config, { logger, ...ctx.io.platformOptions });
    try {
      return await fn(platform);
    } finally {
      platform.close();
    }
  };
}
