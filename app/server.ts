import { loadConfig } from '../core/config/load-config';
import { requireUsableDirectory } from '../core/config/usable-directory';
import { createPlatform, type Platform } from './create-platform';
import { createApp } from './create-app';
import { SetupToken } from '../control-plane/setup/setup-token';
import { AppError } from '../core/errors/app-errors';
import { listen } from '../core/http/listen';
import { closeServer } from '../core/http/close-server';
import { holdDataDirLock } from '../core/process/data-dir-lock';
import { migrateFleet } from '../control-plane/fleet/migrate-fleet';
import { repairInterruptedWork } from '../control-plane/doctor/run-doctor';
import { LifecycleSweep } from '../control-plane/lifecycle/lifecycle-sweep';
import { PublishScheduler } from '../workspace/scheduler/publish-scheduler';
import { startFleetOperations } from '../control-plane/backups/fleet-operations';
import { WebhookDispatcher } from '../workspace/webhooks/webhook-dispatcher';
import { MailDispatcher } from '../workspace/notifications/mail-dispatcher';
import { UsageRollupPass } from '../control-plane/usage/usage-rollup-pass';
import { usageRollupDeps } from './usage-wiring';
import { fileSystemOf } from '../core/fs/file-system-of';
import { fileSystemAdvice } from '../control-plane/doctor/file-system-advice';
import { pruneMailedLinks } from '../control-plane/users/mailed-links';

/**
 * `npm start`: take the data folder's lock, migrate the control plane, repair what a crash left,
 * listen, and only then say so (with this process's id: signals go to it) and print the set-up
 * link on first run; then bring the tenants behind the code up to date while it serves. Every
 * step before listening that fails stops the process with a message and exit 1.
 */
export async function startServer(): Promise<void> {
  const config = loadConfig();
  // Checked as DATA_DIR is: a BACKUP_DIR that cannot be used stops the start, not the first backup.
  requireUsableDirectory('BACKUP_DIR', config.backupDir);
  const lock = holdDataDirLock(config.dataDir);
  const platform = await createPlatform(config);
  const advice = fileSystemAdvice(fileSystemOf(config.dataDir));
  if (advice) platform.logger.warn(advice);
  // Finishes or rolls back what a crash or a kill cut off (restores, clones, imports, provisioning,
  // archives...: control-plane/doctor), before anything serves.
  await repairInterruptedWork(platform);
  // Watches for other processes' changes and runs scheduled backups.
  const fleetOperations = startFleetOperations(platform);
  const setupToken = platform.users.count() === 0 ? new SetupToken() : undefined;
  const { app, sessions } = createApp(platform, { setupToken, processMetrics: true });
  const server = await listen(app, config.port, config.host);
  // Hourly: sessions past their expiry, and mailed links (resets, changes of address) spent or expired a day ago.
  const prune = setInterval(() => {
    sessions.pruneExpired();
    pruneMailedLinks(platform.db);
  }, 3600_000);
  prune.unref();
  // Publishes scheduled items when their time comes (workspace/scheduler).
  const scheduler = new PublishScheduler(platform).start();
  // Ends suspensions and archives whose date has come, finishes work a crash cut off, samples the disk.
  const sweep = new LifecycleSweep(platform).start();
  void sweep.tick();
  // Sends webhook deliveries from the tenants' queues (workspace/webhooks).
  const dispatcher = new WebhookDispatcher(platform).start();
  // Sends workflow mails a step's own send did not: retries, and what a stopped process left (workspace/notifications).
  const mails = new MailDispatcher(platform).start();
  void mails.tick();
  // Rolls changed tenants' usage up into the control plane and sends due limit alerts (control-plane/usage).
  const rollup = new UsageRollupPass(usageRollupDeps(platform)).start();
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    // Requests under way get a few seconds to finish; a stalled client is cut off after that.
    void closeServer(server)
      .then(() => Promise.all([scheduler.stop(), sweep.stop(), dispatcher.stop(), mails.stop(), rollup.stop(), fleetOperations.stop()]))
      .then(() => {
        platform.close();
        lock.release();
        process.exit(0);
      });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // Announced once it answers: whoever reads this line can signal the printed pid at once.
  console.log(`Tenantry is serving ${config.baseUrl} (pid ${process.pid}, data in ${config.dataDir})`);
  if (setupToken) console.log(`\nFirst run: create the super admin at ${config.baseUrl}/setup?key=${setupToken.value}\n`);
  void migrateTenantsBehind(platform);
}

/**
 * Brings the tenants behind the code up to date while the server answers (docs/decisions/002):
 * until its turn, a tenant behind answers its members 503 ("being updated") and every other
 * tenant, sign-in and the console serve, so a release's migration over a large fleet, or one
 * tenant's migration waiting on a lock, keeps nobody else out. On worker threads (one per core),
 * as `tenantry tenants migrate` runs beside a server; a stop cuts it off like a kill, which each
 * tenant's single transaction survives, and the next start goes on with what is left.
 */
async function migrateTenantsBehind(platform: Platform): Promise<void> {
  try {
    const behind = await migrateFleet(platform, { onlyBehind: true });
    if (behind.migrated) platform.logger.info({ migrated: behind.migrated, seconds: Math.round(behind.seconds * 10) / 10 }, 'tenants behind the code migrated');
    if (behind.failed.length)
      platform.logger.warn({ failed: behind.failed.map((f) => f.slug) }, 'some tenants could not be migrated; their pages answer 503 until fixed');
  } catch (err) {
    platform.logger.error({ err }, 'the migration of tenants behind the code stopped; run "tenantry tenants migrate"');
  }
}

/** Runs the server; an expected failure prints its message alone, a bug its stack; both exit 1. */
export function runServer(): void {
  startServer().catch((error: unknown) => {
    console.error(error instanceof AppError ? `error: ${error.message}` : error);
    process.exit(1);
  });
}
