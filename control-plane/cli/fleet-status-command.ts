import type { Command } from 'commander';
import type { ControlPlane } from '../control-plane';
import { EXIT_FAILURE, examples, type CliContext, type WithPlatform } from '../../core/cli/cli-io';
import { formatBytes } from '../../core/text/format-bytes';
import { formatUtcTime } from '../../core/time/utc-time';
import { loadFleetStatus } from '../pages/fleet-status';
import { BackupStateRepository } from '../backups/backup-state';
import { tenantsGroup } from './tenants-commands';

/**
 * `tenantry tenants fleet-status`: what /admin/fleet shows, for a terminal or a monitor. Exits 1
 * when something needs an operator: damaged tenants, low free space, tenants whose migration
 * failed, backups that failed, older backups that retention could not remove.
 */
export function registerFleetStatusCommand(program: Command, ctx: CliContext, withPlatform: WithPlatform<ControlPlane>): void {
  tenantsGroup(program)
    .command('fleet-status')
    .description('Free space in DATA_DIR and BACKUP_DIR, migration state and backup state of the fleet (exit 1 if something needs attention)')
    .option('--json', 'print the status as JSON')
    .addHelpText('after', examples(['tenantry tenants fleet-status', 'tenantry tenants fleet-status --json']))
    .action(async (opts: { json?: boolean }) => {
      await withPlatform(async (platform) => {
        // Counts only: the fleet page's list of tenants is not read for what is printed here.
        const status = loadFleetStatus(platform);
        const lowDisks = status.disks.filter((d) => d.space?.low);
        const problems = [
          ...(status.damaged ? [`${status.damaged} damaged tenant(s): their members get a 503 until the file is repaired or restored (tenantry doctor)`] : []),
          ...lowDisks.map((d) => `low free space in ${d.name} (${d.dir}): ${formatBytes(d.space?.freeBytes ?? 0)} left`),
          ...(status.migration.failed ? [`${status.migration.failed} tenant(s) whose last migration failed`] : []),
          ...(status.backupProblems ? [`${status.backupProblems} tenant(s) whose last backup failed`] : []),
          ...(status.pruneProblems
            ? [`${status.pruneProblems} tenant(s) whose older backups could not be removed after their last backup (that backup was kept)`]
            : []),
        ];
        if (opts.json) {
          ctx.json({
            ok: problems.length === 0,
            problems,
            disks: status.disks.map((d) => ({
              name: d.name,
              dir: d.dir,
              free_bytes: d.space?.freeBytes ?? null,
              total_bytes: d.space?.totalBytes ?? null,
              low: d.space?.low ?? null,
            })),
            data_file_system: status.fileSystem ?? null,
            advice: status.fileSystemAdvice ? [status.fileSystemAdvice] : [],
            damaged: status.damaged,
            migrations: { latest: status.latest, ...status.migration },
            backups: {
              schedule: status.schedule,
              schedule_time_zone: status.schedule ? status.scheduleZone : null,
              next_run: status.nextBackup?.toISOString() ?? null,
              failed: status.backupProblems,
              prune_failed: status.pruneProblems,
              stale: status.staleBackups,
              last_run: new BackupStateRepository(platform.db).recentRuns(1)[0] ?? null,
            },
          });
        } else {
          for (const d of status.disks) {
            const space = d.space
              ? `${formatBytes(d.space.freeBytes)} free of ${formatBytes(d.space.totalBytes)}${d.space.low ? '  LOW' : ''}`
              : 'cannot be read';
            ctx.out(`${d.name.padEnd(10)}  ${d.dir}  ${space}`);
          }
          ctx.out(`file system ${status.fileSystem ?? 'cannot be read'} (DATA_DIR)`);
          ctx.out(
            `migrations  latest ${status.latest ?? '-'}: ${status.migration.current} current, ${status.migration.behind} behind, ${status.migration.failed} failed`,
          );
          const schedule = status.schedule
            ? `schedule "${status.schedule}" in ${status.scheduleZone} (server time zone), next ${formatUtcTime(status.nextBackup?.getTime(), '-')}`
            : 'no schedule (BACKUP_SCHEDULE unset)';
          const notPruned = status.pruneProblems ? `, ${status.pruneProblems} not pruned` : '';
          ctx.out(`backups     ${schedule}; ${status.backupProblems} failed, ${status.staleBackups} older than two days or missing${notPruned}`);
          for (const problem of problems) ctx.err(`attention: ${problem}`);
          if (status.fileSystemAdvice) ctx.err(`advice: ${status.fileSystemAdvice}`);
        }
        if (problems.length) ctx.exitCode = EXIT_FAILURE;
      });
    });
}
