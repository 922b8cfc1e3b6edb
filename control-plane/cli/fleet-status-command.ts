import type { Command } from 'commander';
import type { ControlPlane } from '../control-plane';
import { EXIT_FAILURE, examples, formatBytes, type CliContext, type WithPlatform } from '../../core/cli/cli-io';
import { loadFleetPage } from '../pages/fleet-page';
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
        const page = loadFleetPage(platform);
        const lowDisks = page.disks.filter((d) => d.space?.low);
        const problems = [
          ...(page.damaged ? [`${page.damaged} damaged tenant(s): their members get a 503 until the file is repaired or restored (tenantry doctor)`] : []),
          ...lowDisks.map((d) => `low free space in ${d.name} (${d.dir}): ${formatBytes(d.space?.freeBytes ?? 0)} left`),
          ...(page.migration.failed ? [`${page.migration.failed} tenant(s) whose last migration failed`] : []),
          ...(page.backupProblems ? [`${page.backupProblems} tenant(s) whose last backup failed`] : []),
          ...(page.pruneProblems
            ? [`${page.pruneProblems} tenant(s) whose older backups could not be removed after their last backup (that backup was kept)`]
            : []),
        ];
        if (opts.json) {
          ctx.json({
            ok: problems.length === 0,
            problems,
            disks: page.disks.map((d) => ({
              name: d.name,
              dir: d.dir,
              free_bytes: d.space?.freeBytes ?? null,
              total_bytes: d.space?.totalBytes ?? null,
              low: d.space?.low ?? null,
            })),
            data_file_system: page.fileSystem ?? null,
            advice: page.fileSystemAdvice ? [page.fileSystemAdvice] : [],
            damaged: page.damaged,
            migrations: { latest: page.latest, ...page.migration },
            backups: {
              schedule: page.schedule,
              next_run: page.nextBackup?.toISOString() ?? null,
              failed: page.backupProblems,
              prune_failed: page.pruneProblems,
              stale: page.staleBackups,
              last_run: page.backupRuns[0] ?? null,
            },
          });
        } else {
          for (const d of page.disks) {
            const space = d.space
              ? `${formatBytes(d.space.freeBytes)} free of ${formatBytes(d.space.totalBytes)}${d.space.low ? '  LOW' : ''}`
              : 'cannot be read';
            ctx.out(`${d.name.padEnd(10)}  ${d.dir}  ${space}`);
          }
          ctx.out(`file system ${page.fileSystem ?? 'cannot be read'} (DATA_DIR)`);
          ctx.out(
            `migrations  latest ${page.latest ?? '-'}: ${page.migration.current} current, ${page.migration.behind} behind, ${page.migration.failed} failed`,
          );
          const schedule = page.schedule ? `schedule "${page.schedule}", next ${page.nextBackup?.toISOString() ?? '-'}` : 'no schedule (BACKUP_SCHEDULE unset)';
          const notPruned = page.pruneProblems ? `, ${page.pruneProblems} not pruned` : '';
          ctx.out(`backups     ${schedule}; ${page.backupProblems} failed, ${page.staleBackups} older than two days or missing${notPruned}`);
          for (const problem of problems) ctx.err(`attention: ${problem}`);
          if (page.fileSystemAdvice) ctx.err(`advice: ${page.fileSystemAdvice}`);
        }
        if (problems.length) ctx.exitCode = EXIT_FAILURE;
      });
    });
}
