import { loadConfig } from '../core/config/load-config';
import { createPlatform } from './create-platform';
import { createApp } from './create-app';
import { SetupToken } from '../control-plane/setup/setup-token';
import { AppError } from '../core/errors/app-errors';
import { migrateFleet } from '../control-plane/fleet/migrate-fleet';
import { PublishScheduler } from '../workspace/scheduler/publish-scheduler';
import { startFleetOperations } from '../control-plane/backups/fleet-operations';
import { WebhookDispatcher } from '../workspace/webhooks/webhook-dispatcher';

/** `npm start`: migrate, bring tenants up to date, serve; print the set-up link on first run. */
export async function startServer(): Promise<void> {
  const config = loadConfig();
  const platform = await createPlatform(config);
  // Resolves cut-off restores and imports first; then watches for other processes' changes and runs scheduled backups.
  const fleetOperations = startFleetOperations(platform);
  const behind = await migrateFleet(platform, { concurrency: 2, onlyBehind: true });
  if (behind.failed.length)
    platform.logger.warn({ failed: behind.failed.map((f) => f.slug) }, 'some tenants could not be migrated; their pages answer 503 until fixed');
  const setupToken = platform.users.count() === 0 ? new SetupToken() : undefined;
  const { app, sessions } = createApp(platform, { setupToken });
  const server = app.listen(config.port, config.host, () => {
    console.log(`Tenantry is serving ${config.baseUrl} (data in ${config.dataDir})`);
    if (setupToken) console.log(`\nFirst run: create the super admin at ${config.baseUrl}/setup?key=${setupToken.value}\n`);
  });
  const prune = setInterval(() => sessions.pruneExpired(), 3600_000);
  prune.unref();
  // Publishes scheduled items when their time comes (workspace/scheduler).
  const scheduler = new PublishScheduler(platform).start();
  // Sends webhook deliveries from the tenants' queues (workspace/webhooks).
  const dispatcher = new WebhookDispatcher(platform).start();
  const stop = () => {
    server.close(
      () =>
        void Promise.all([scheduler.stop(), dispatcher.stop(), fleetOperations.stop()]).then(() => {
          platform.close();
          process.exit(0);
        }),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** Runs the server; an expected failure prints its message alone, a bug its stack. */
export function runServer(): void {
  startServer().catch((error: unknown) => {
    console.error(error instanceof AppError ? error.message : error);
    process.exit(1);
  });
}
