import { loadConfig, type Config } from '../core/config/load-config';
import { createPlatform, type Platform } from './create-platform';
import { createLogger } from '../core/logging/logger';
import type { CliContext } from '../core/cli/cli-io';

/** The CLI logs warnings and errors only, unless LOG_LEVEL says otherwise. */
export const CLI_DEFAULT_LOG_LEVEL = 'warn';

/** Reads the configuration from the injected environment (a ConfigError names the bad variable). */
export function loadCliConfig(ctx: CliContext): Config {
  const env = ctx.io.env;
  return loadConfig({ ...env, LOG_LEVEL: env.LOG_LEVEL || CLI_DEFAULT_LOG_LEVEL });
}

/** Opens the platform for one command, logging to stderr, and always closes it afterwards. */
export async function withPlatform<T>(ctx: CliContext, fn: (platform: Platform) => Promise<T>): Promise<T> {
  const config = loadCliConfig(ctx);
  const logger = createLogger(config.logLevel, { write: (line: string) => ctx.io.stderr.write(line) });
  const platform = await createPlatform(config, { logger, ...ctx.io.platformOptions });
  try {
    return await fn(platform);
  } finally {
    await platform.close();
  }
}
