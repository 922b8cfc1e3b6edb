import { loadConfig, type Config } from '../config/load-config';
import type { CliContext } from './cli-io';

/** The CLI logs warnings and errors only, unless LOG_LEVEL says otherwise. */
export const CLI_DEFAULT_LOG_LEVEL = 'warn';

/** Reads the configuration from the injected environment (a ConfigError names the bad variable). */
export function loadCliConfig(ctx: CliContext): Config {
  const env = ctx.io.env;
  return loadConfig({ ...env, LOG_LEVEL: env.LOG_LEVEL || CLI_DEFAULT_LOG_LEVEL });
}
