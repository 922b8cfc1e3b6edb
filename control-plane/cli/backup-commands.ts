import type { Command } from 'commander';
import type { ControlPlane } from '../control-plane';
import { CliError, EXIT_FAILURE, echoed, examples, formatTable, printable, textOption, type CliContext, type WithPlatform } from '../../core/cli/cli-io';
import { formatBytes } from '../../core/text/format-bytes';
import { NotFoundError } from '../../core/errors/app-errors';
import { backupFleet, type BackupFleetResult } from '../backups/backup-fleet';
import { backupListingJson, listBackups, type BackupListing } from '../backups/list-backups';
import { backupDir, tenantBackupsDir, timeOfBackupId } from '../backups/backup-location';
import { backupToRestore, restoreTenant } from '../backups/restore-tenant';
import { restoreTenant as restoreFromArchive } from '../lifecycle/restore-tenant';
import { CLI_OPERATOR } from '../lifecycle/operator';
import { createProgressReporter } from './migration-progress';
import { parseConcurrency, tenantsGroup, MAX_CONCURRENCY } from './tenants-commands';
import { registerFleetStatusCommand } from './fleet-status-command';
import { statusWords, type TenantRecord } from '../tenants/tenant-record';
import { formatUtcTime } from '../../core/time/utc-time';
import { confirmation } from './confirmation';
import { findTenant } from './lifecycle-commands';

const CLI_ACTOR: string | null = null;

/** `tenantry tenants backup | backups | restore | fleet-status`. */
export function registerBackupCommands(program: Command, ctx: CliContext, withPlatform: WithPlatform<ControlPlane>): void {
  const tenants = tenantsGroup(program);
  registerFleetStatusCommand(program, ctx, withPlatform);

  tenants
    .command('backup')
    .description('Back up tenants while they serve: a verified copy of each database and its files, with a manifest of checksums')
    .argument('[slugs...]', 'the tenants to back up')
    .option('--all', 'every active and suspended tenant (damaged ones are reported as skipped)')
    .option('--concurrency <n>', `tenants backed up at the same time (1-${MAX_CONCURRENCY}), each on a worker thread above 1`, parseConcurrency, 1)
    .option('--changed-only', 'skip tenants whose files did not change since their last backup')
    .option('--prune', 'afterwards, remove the backups the retention policy does not keep (BACKUP_KEEP_DAILY, BACKUP_KEEP_WEEKLY)')
    .option('--json', 'print the run report as JSON')
    .addHelpText(
      'after',
      '\nBackups go to BACKUP_DIR/<tenant-id>/<backup-id>/ (BACKUP_DIR defaults to DATA_DIR/backups). Each one holds\n' +
        'tenant.sqlite (a consistent copy taken with VACUUM INTO), files/ and manifest.json (sizes and sha256 of every\n' +
        'file); it counts only once its copy passed integrity_check. A tenant that fails is reported and the run goes on.\n' +
        'With --all, a damaged tenant (see: tenantry doctor), or one an archive, rename or restore holds right now, is\n' +
        'not copied: it is named as skipped, with its reason. A backup holds its tenant while it is taken.\n' +
        'With --prune, a tenant whose backup was taken but whose older backups could not then be removed is reported\n' +
        'as backed_up with the reason pruning failed (prune_error in --json); its new backup is kept.\n' +
        'The exit code is 1 if any tenant failed or was skipped, or if pruning failed for any.\n' +
        examples([
          'tenantry tenants backup acme',
          'tenantry tenants backup --all --concurrency 2',
          'tenantry tenants backup --all --changed-only --prune --json',
        ]),
    )
    .action(async (slugs: string[], opts: { all?: boolean; concurrency: number; changedOnly?: boolean; prune?: boolean; json?: boolean }) => {
      if (!slugs.length && !opts.all) throw new CliError('Name the tenants to back up, or use --all.');
      if (slugs.length && opts.all) throw new CliError('Name tenants or use --all, not both.');
      await withPlatform(async (platform) => {
        const progress = createProgressReporter(ctx, 'Backing up');
        let result: BackupFleetResult;
        try {
          result = await backupFleet(platform, {
            slugs,
            concurrency: opts.concurrency,
            onlyChanged: Boolean(opts.changedOnly),
            prune: Boolean(opts.prune),
            trigger: 'cli',
            kind: 'manual',
            operator: CLI_OPERATOR,
            onProgress: progress.onProgress,
          });
        } finally {
          progress.stop();
        }
        if (opts.json) ctx.json(backupRunJson(result));
        else printBackupRun(ctx, platform, result);
        if (result.failed.length || result.skipped.length || result.pruneFailed.length) ctx.exitCode = EXIT_FAILURE;
      });
    });

  tenants
    .command('backups')
    .description("List a tenant's backups (a purged tenant's too: they stay), newest first, with their size and whether they can be restored")
    .argument('<slug>', 'the tenant')
    .option('--json', 'print a JSON array')
    .addHelpText('after', examples(['tenantry tenants backups acme', 'tenantry tenants backups acme --json']))
    .action(async (slug: string, opts: { json?: boolean }) => {
      await withPlatform(async (platform) => {
        const live = platform.tenants.findBySlug(slug);
        // A purged tenant's backups stay (decision 019): its tombstones still name the folders.
        const tenants = live ? [live] : platform.tenants.purgedWithSlug(slug);
        if (!tenants.length) throw new NotFoundError(`No tenant with slug "${echoed(slug)}".`);
        const listed = tenants.map((tenant) => ({ tenant, backups: listBackups(platform, tenant.id) }));
        if (opts.json) {
          ctx.json(listed.flatMap(({ tenant, backups }) => backups.map((b) => ({ ...backupListingJson(b), tenant_id: tenant.id }))));
          return;
        }
        for (const { tenant, backups } of listed) printBackups(ctx, platform.config.backupDir, tenant, backups);
      });
    });

  tenants
    .command('restore')
    .description(
      'Bring a tenant back: an archived one from its archive (as it was), any other from a backup (offline (503) for the seconds the swap takes; the state it replaces is kept as a backup)',
    )
    .argument('<slug>', 'the tenant to restore')
    .addOption(
      textOption(
        '--from <backup-id>',
        'the backup to restore (see: tenantry tenants backups <slug>); default the newest verified one that is not a pre-restore backup',
      ),
    )
    .option('--yes', 'confirm a restore from a backup: the live data is replaced (not needed to bring an archived tenant back)')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      '\nAn archived tenant comes back from data/archive/ with its files, members and status (a suspension with its\n' +
        'reason and end date). Any other tenant is restored from a backup, which replaces its live data: refused\n' +
        'without --yes, naming the tenant, its status and the date of the backup. Verified first (checksums, integrity_check)\n' +
        'while the tenant still serves; then the tenant goes into maintenance (members get 503 with Retry-After), open\n' +
        'handles in every process are drained, the data is swapped in, migrations run if the backup is behind, the usage\n' +
        "counters of this month and of the usage charts' 30 days are carried from the replaced database (each the larger\n" +
        'of the two; none when that database cannot be read, which the command says), and the tenant comes back as it\n' +
        'was (active, or suspended with its reason and end date). The replaced state becomes a "pre-restore" backup. If\n' +
        'the command is cut off, the next start or command on tenants rolls it back (or finishes it if it had\n' +
        'committed). No other tenant is touched.\n' +
        examples(['tenantry tenants restore acme --yes', 'tenantry tenants restore acme --from 20250301T031500123Z --yes']),
    )
    .action(async (slug: string, opts: { from?: string; yes?: boolean; json?: boolean }) => {
      await withPlatform(async (platform) => {
        const tenant = findTenant(platform, slug);
        if (tenant.status === 'archived' && !opts.from) {
          const restored = await restoreFromArchive(platform, tenant.id, CLI_OPERATOR);
          if (opts.json) ctx.json({ slug: restored.slug, status: restored.status, from: 'archive' });
          else ctx.out(`Tenant ${restored.slug} is restored and ${restored.status}.`);
          return;
        }
        if (!opts.yes) {
          // What the restore would refuse is said first; then what it would replace, with nothing changed.
          const backupId = backupToRestore(platform, tenant, opts.from);
          confirmation(
            tenant.slug,
            opts.yes,
            `Restoring ${tenant.slug} replaces the live data of ${echoed(tenant.name)} (${statusWords(tenant.status)}) with backup ${backupId}, taken ${formatUtcTime(timeOfBackupId(backupId))}.`,
          );
        }
        const result = await restoreTenant(platform, { slug, backupId: opts.from, actorUserId: CLI_ACTOR });
        if (opts.json) {
          ctx.json({
            slug: result.tenant.slug,
            status: result.tenant.status,
            backup_id: result.backupId,
            pre_restore_backup_id: result.preRestoreBackupId,
            migrated: result.migrated,
            offline_ms: Math.round(result.offlineMs),
            usage_carried: result.usageCarried,
            usage_not_carried: result.usageNotCarried,
          });
          return;
        }
        ctx.out(
          `Restored ${result.tenant.slug} from backup ${result.backupId}; it is ${statusWords(result.tenant.status)} again (offline ${Math.round(result.offlineMs)} ms).`,
        );
        if (result.migrated.length) ctx.out(`Migrations applied after the restore: ${result.migrated.join(', ')}`);
        if (result.usageNotCarried)
          ctx.err(`warning: the metered use could not be read from the replaced database (${result.usageNotCarried}); the backup's counters apply.`);
        else if (result.usageCarried)
          ctx.out(
            `This month's metered use was kept (${result.usageCarried} ${result.usageCarried === 1 ? 'counter' : 'counters'} carried from the replaced database).`,
          );
        if (result.preRestoreBackupId) ctx.out(`The state it replaced is kept as backup ${result.preRestoreBackupId}.`);
        else ctx.err('warning: the state it replaced could not be kept as a backup; see the log. It stays under DATA_DIR/tenants/.restoring/.');
      });
    });
}

function backupRunJson(result: BackupFleetResult) {
  return {
    run_id: result.runId,
    backed_up: result.backedUp,
    unchanged: result.unchanged,
    failed: result.failed.length,
    skipped: result.skipped.length,
    prune_failed: result.pruneFailed.length,
    bytes: result.bytes,
    seconds: Number(result.seconds.toFixed(3)),
    tenants: result.outcomes.map((o) => ({
      slug: o.slug,
      id: o.tenantId,
      outcome: o.outcome,
      backup_id: o.backupId ?? null,
      bytes: o.bytes ?? null,
      removed: o.removed ?? [],
      error: o.error ?? null,
      prune_error: o.pruneError ?? null,
    })),
  };
}

function printBackupRun(ctx: CliContext, platform: ControlPlane, result: BackupFleetResult): void {
  const shown = result.outcomes.filter((o) => o.outcome !== 'unchanged').sort((a, b) => a.slug.localeCompare(b.slug));
  const width = Math.max(0, ...shown.map((o) => o.slug.length));
  for (const o of shown) {
    const detail =
      o.outcome === 'failed' || o.outcome === 'skipped'
        ? printable((o.error ?? 'unknown error').split('\n')[0])
        : `${o.backupId} (${formatBytes(o.bytes ?? 0)})${o.removed?.length ? `, ${o.removed.length} older removed` : ''}${
            o.pruneError === undefined ? '' : `; pruning older backups failed: ${printable(o.pruneError.split('\n')[0])}`
          }`;
    ctx.out(`${o.outcome.padEnd(9)}  ${o.slug.padEnd(width)}  ${detail}`);
  }
  ctx.out(
    `${result.backedUp} backed up, ${result.unchanged} unchanged, ${result.failed.length} failed, ${result.skipped.length} skipped in ${result.seconds.toFixed(2)}s (${formatBytes(result.bytes)} into ${platform.config.backupDir})`,
  );
  if (result.failed.length) {
    ctx.err(
      `error: ${result.failed.length} tenant(s) failed: ${result.failed.map((o) => o.slug).join(', ')}. Their earlier backups are untouched; fix the cause and run again.`,
    );
  }
  if (result.pruneFailed.length) {
    ctx.err(
      `error: pruning older backups failed for ${result.pruneFailed.length} tenant(s): ${result.pruneFailed.map((o) => o.slug).join(', ')}. Their new backups were taken and kept; older ones stay until a run with --prune succeeds.`,
    );
  }
  for (const o of result.skipped) {
    const next = o.skippedAs === 'held' ? 'Back it up again once that operation has ended.' : 'Restore it from a backup or repair it (tenantry doctor).';
    ctx.err(`error: skipped ${o.slug}: ${printable(o.error ?? 'damaged')}. ${next}`);
  }
}

/** One tenant's backups as a table; a purged tenant's say where they are and how one comes back. */
function printBackups(ctx: CliContext, backupRoot: string, tenant: TenantRecord, backups: BackupListing[]): void {
  if (tenant.status === 'purged') {
    const when = tenant.status_changed_at ? ` on ${formatUtcTime(tenant.status_changed_at)}` : '';
    ctx.out(`Tenant ${tenant.slug} (${tenant.id}) was purged${when}; its backups stay in ${tenantBackupsDir(backupRoot, tenant.id)}.`);
    if (backups.length) {
      ctx.out(
        `Bring one back as a new tenant with: tenantry tenants import ${backupDir(backupRoot, tenant.id, backups[0].id)}/tenant.sqlite --slug ${tenant.slug}`,
      );
    }
  }
  if (!backups.length) {
    ctx.out(
      tenant.status === 'purged'
        ? 'It has no backups left.'
        : `Tenant ${tenant.slug} has no backups yet. Take one with: tenantry tenants backup ${tenant.slug}`,
    );
    return;
  }
  ctx.out(
    formatTable(
      [
        { header: 'BACKUP', value: (b) => b.id },
        { header: 'KIND', value: (b) => b.kind },
        { header: 'SIZE', value: (b) => formatBytes(b.bytes), align: 'right' },
        { header: 'FILES', value: (b) => b.fileCount, align: 'right' },
        { header: 'SCHEMA VERSION', value: (b) => b.schemaVersion },
        { header: 'VERIFIED', value: (b) => (b.verified ? 'yes' : `no: ${b.problem}`) },
      ],
      backups,
    ),
  );
}
