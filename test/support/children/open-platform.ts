import crypto from 'node:crypto';
import { loadConfig } from '../../../core/config/load-config';
import { createPlatform } from '../../../app/create-platform';
import { createLogger } from '../../../core/logging/logger';
import { keyIdOf } from '../../../core/crypto/secret-box';

/**
 * Starts a platform on the given data folder (migrating it), as the server and every CLI command
 * do, and reports its secrets' fingerprints. With an IPC channel it waits for "go" first, so two
 * of them start at the same moment.
 */
async function main(): Promise<void> {
  if (process.send) {
    const go = new Promise((resolve) => process.once('message', resolve));
    process.send('ready');
    await go;
  }
  const config = loadConfig({ DATA_DIR: process.argv[2], LOG_LEVEL: 'silent' });
  const platform = await createPlatform(config, { logger: createLogger('silent') });
  const session = crypto.createHash('sha256').update(config.sessionSecret).digest('hex').slice(0, 16);
  const migrations = platform.db.all<{ name: string }>('select name from platform_migrations').length;
  platform.close();
  process.disconnect?.();
  process.stdout.write(JSON.stringify({ keyId: keyIdOf(config.secretsKey), session, migrations }));
}

main().catch((error: unknown) => {
  process.stderr.write(String(error instanceof Error ? error.stack : error));
  process.exit(1);
});
