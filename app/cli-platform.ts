import { createPlatform, type Platform } from './create-platform';
import { repairInterruptedWork } from '../control-plane/doctor/run-doctor';
import { createLogger } from '../core/logging/logger';
import { loadCliConfig } from '../core/cli/cli-config';
import type { CliContext, WithPlatform } from '../core/cli/cli-io';

/**
 * Opens the platform for one command, logging to stderr, and always closes it afterwards, once its
 * background work is done.
 * With `repairFirst`, interrupted work (provisioning, archives, purges) is finished or rolled
 * back before the command runs.
 */
export function platformOpener(ctx: CliContext, options: { repairFirst?: boolean } = {}): WithPlatform<Platform> {
  return async (fn) => {
    const config = loadCliConfig(ctx);
    const logger = createLogger(config.logLevel, { write: (line: string) => ctx.io.stderr.write(line) });
    const platform = await createPlatform(config, { logger, ...ctx.io.platformOptions });
    try {
      if (options.repairFirst) await repairInterruptedWork(platform);
      return await fn(platform);
    } finally {
      // What the command started after its commit (a tenant's webhooks told of a new or removed member) is done before the files close.
      await platform.background.idle();
      platform.close();
    }
  };
}
