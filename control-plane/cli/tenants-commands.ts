import { InvalidArgumentError, Option, type Command } from 'commander';
import { createTenant } from '../tenants/create-tenant';
import { tenantDiskUsage } from '../tenants/tenant-disk-usage';
import { TENANT_STATUSES, type TenantRecord, type TenantStatus } from '../tenants/tenant-record';
import type { TenantListRow } from '../tenants/tenant-repository';
import { migrateFleet, type FleetResult } from '../fleet/migrate-fleet';
import { rehearseFleet, type RehearsalResult } from '../fleet/rehearse-fleet';
import { printRehearsal, rehearsalJson } from './rehearsal-report';
import { fleetJson, printFleetReport } from './fleet-report';
import type { ControlPlane } from '../control-plane';
import { CliError, EXIT_FAILURE, examples, formatTable, printable, textOption, type CliContext, type WithPlatform } from '../../core/cli/cli-io';
import { formatBytes } from '../../core/text/format-bytes';
import { createProgressReporter } from './migration-progress';
import { parseInput } from '../../core/http/parse-input';
import { namingOptions } from '../../core/cli/option-names';
import { LIST_PAGE_SIZE, listPagingHelp, partOf, withListPaging } from '../../core/cli/list-part';
import { listTenantsPage, tenantListSchema } from '../tenants/tenant-list-query';
import { defaultLanes, MAX_LANES } from '../fleet/migration-lanes';
import { mailOutbox, ownerInvitationJson, printOwnerInvitation } from './owner-invitation-lines';
import { CLI_OPERATOR } from '../lifecycle/operator';

/** Each unit of concurrency is a worker thread with its own SQLite connections and memory. */
export const MAX_CONCURRENCY = MAX_LANES;

const TENANTS = { many: 'tenants', one: 'tenant' };

/** What a CLI action acts as in the audit log: the operator at the console, not a signed-in user. */
const CLI_ACTOR: string | null = null;

/** A count of tenants (--sample, --canary): a whole number from 1. */
export function parseTenantCount(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('Use a whole number of tenants, 1 or more.');
  return n;
}

export function parseConcurrency(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1 || n > MAX_CONCURRENCY) {
    throw new InvalidArgumentError(`Use a whole number from 1 to ${MAX_CONCURRENCY}.`);
  }
  return n;
}

function tenantJson(tenant: TenantRecord) {
  return {
    id: tenant.id,
    slug: tenant.slug,
    name: tenant.name,
    status: tenant.status,
    schema_version: tenant.schema_version,
    created_at: new Date(tenant.created_at).toISOString(),
  };
}

/**
 * The `tenants` command group, created on first use: each file of tenant commands (these, and
 * others registered beside them) adds its own subcommands to the one group.
 */
export function tenantsGroup(program: Command): Command {
  const existing = program.commands.find((c) => c.name() === 'tenants');
  if (existing) return existing;
  return program
    .command('tenants')
    .description('Create, list, migrate and run the lifecycle of tenants (suspend, archive, restore, purge, ...)')
    .addHelpText(
      'after',
      examples([
        'tenantry tenants create --name "Acme Inc" --slug acme --owner-email owner@acme.test',
        'tenantry tenants list --status active',
        'tenantry tenants migrate --dry-run',
      ]),
    );
}

export function registerTenantsCommands(program: Command, ctx: CliContext, withPlatform: WithPlatform<ControlPlane>): void {
  const tenants = tenantsGroup(program);

  tenants
    .command('create')
    .description('Provision a new tenant database; optionally invite or add its first owner')
    .addOption(textOption('--name <name>', 'display name of the tenant').makeOptionMandatory())
    .addOption(textOption('--slug <slug>', 'handle used in URLs: 3-40 lowercase letters and digits, in groups joined by single hyphens').makeOptionMandatory())
    .addOption(textOption('--owner-email <email>', 'first owner: an existing user joins at once, a new address gets an invitation link'))
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      examples([
        'tenantry tenants create --name "Acme Inc" --slug acme',
        'tenantry tenants create --name Globex --slug globex --owner-email ops@globex.test --json',
      ]),
    )
    .action(async (opts: { name: string; slug: string; ownerEmail?: string; json?: boolean }) => {
      await withPlatform(async (platform) => {
        const created = await createTenant(platform, { name: opts.name, slug: opts.slug, owner_email: opts.ownerEmail }, { userId: CLI_ACTOR });
        const invitation = created.invitation && ownerInvitationJson(created.invitation);
        if (opts.json) {
          ctx.json({ tenant: tenantJson(created.tenant), owner_added: created.ownerAdded ?? null, invitation: invitation ?? null });
          return;
        }
        const t = created.tenant;
        ctx.out(`Created tenant ${t.slug} (${printable(t.name)})`);
        ctx.out(`  id              ${t.id}`);
        ctx.out(`  status          ${t.status}`);
        ctx.out(`  schema version  ${t.schema_version ?? '-'}`);
        if (created.ownerAdded) ctx.out(`Owner: ${created.ownerAdded} (existing account) was added as owner.`);
        if (invitation) printOwnerInvitation(ctx, invitation, mailOutbox(platform));
      });
    });

  const tenantsList = tenants
    .command('list')
    .description(`List tenants with their status, schema version, members and size on disk (the table ${LIST_PAGE_SIZE} at a time; JSON every tenant)`)
    .addOption(new Option('--status <status>', 'only tenants with this status').choices(TENANT_STATUSES));
  withListPaging(tenantsList, TENANTS, 'slug')
    .addHelpText(
      'after',
      listPagingHelp(TENANTS) +
        "Only the tenants listed have their folder's size measured.\n" +
        examples(['tenantry tenants list', 'tenantry tenants list --status suspended', 'tenantry tenants list --page 2', 'tenantry tenants list --json']),
    )
    .action(async (opts: { status?: TenantStatus; page?: string; all?: boolean; json?: boolean }) => {
      const filter = namingOptions({ page: '--page' }, () => parseInput(tenantListSchema, { status: opts.status, page: opts.page ?? '1' }));
      const everyOne = opts.all || (opts.json && opts.page === undefined);
      await withPlatform(async (platform) => {
        let rows: TenantListRow[];
        let total: number;
        if (everyOne) {
          rows = platform.tenants.list(opts.status);
          total = rows.length;
        } else {
          const result = listTenantsPage(platform.db, filter, LIST_PAGE_SIZE);
          // A page past the last holds nothing (the console's list shows the last instead).
          rows = result.page === filter.page ? result.rows : [];
          total = result.total;
        }
        const listed = rows.map((t) => ({
          ...tenantJson(t),
          members: Number(t.member_count),
          size_bytes: tenantDiskUsage(platform.config.dataDir, t.id, t.status === 'archived' ? 'archive' : 'live'),
        }));
        const part = everyOne ? undefined : partOf(TENANTS, filter.page, listed.length, total);
        if (opts.json) {
          ctx.json(listed);
          if (part) ctx.err(`(the JSON holds ${part})`);
          return;
        }
        if (!listed.length) {
          if (total) return ctx.out(`No tenants on page ${filter.page} (${total} tenants, ${LIST_PAGE_SIZE} a page).`);
          ctx.out(opts.status ? `No ${opts.status} tenants.` : 'No tenants yet. Create one with: tenantry tenants create --name <name> --slug <slug>');
          return;
        }
        ctx.out(
          formatTable(
            [
              { header: 'SLUG', value: (r) => r.slug },
              { header: 'NAME', value: (r) => r.name, max: 40 },
              { header: 'STATUS', value: (r) => r.status },
              { header: 'SCHEMA VERSION', value: (r) => r.schema_version },
              { header: 'MEMBERS', value: (r) => r.members, align: 'right' },
              { header: 'SIZE', value: (r) => formatBytes(r.size_bytes), align: 'right' },
            ],
            listed,
          ),
        );
        if (part) ctx.out(`(${part}; or narrow the list with --status)`);
      });
    });

  tenants
    .command('migrate')
    .description('Apply pending tenant migrations to every active and suspended tenant (resumable; one transaction per tenant)')
    .option(
      '--concurrency <n>',
      `tenants migrated at the same time, each on a worker thread above 1 (1-${MAX_CONCURRENCY}; default: one per core, ${defaultLanes()} here)`,
      parseConcurrency,
    )
    .option('--dry-run', 'list the pending migrations of each tenant and change nothing')
    .option('--rehearse', 'run the pending migrations on snapshots of the tenants in a temporary folder and report each; change nothing live')
    .option('--sample <n>', 'with --rehearse: rehearse on this many tenants picked at random', parseTenantCount)
    .option('--canary <n>', 'migrate this many tenants (picked at random) first and stop the run if any of them fails', parseTenantCount)
    .option('--tenant <slug>', 'migrate this tenant only')
    .option('--json', 'print the run report as JSON')
    .addHelpText(
      'after',
      '\nA tenant that fails keeps its previous version and the run goes on.\n' +
        'Exit codes: 0 done, 1 a tenant failed (migrated, rehearsed or as a canary, which stops the run), 2 usage error.\n' +
        'Running the command again resumes: tenants already at the latest version are skipped. Each migration takes\n' +
        "the tenant's write lock up front, so it can run while the server takes writes; a tenant that stays busy is\n" +
        'tried again a few times before it counts as failed.\n' +
        examples([
          'tenantry tenants migrate --dry-run',
          'tenantry tenants migrate --rehearse --sample 50',
          'tenantry tenants migrate --canary 5 --concurrency 4',
          'tenantry tenants migrate --tenant acme --json',
        ]),
    )
    .action(async (opts: { concurrency?: number; dryRun?: boolean; rehearse?: boolean; sample?: number; canary?: number; tenant?: string; json?: boolean }) => {
      if (opts.sample && !opts.rehearse) throw new CliError('--sample goes with --rehearse.');
      if (opts.rehearse && (opts.dryRun || opts.canary)) throw new CliError('--rehearse changes nothing; it does not go with --dry-run or --canary.');
      if (opts.canary && opts.dryRun) throw new CliError('--canary migrates; it does not go with --dry-run.');
      await withPlatform(async (platform) => {
        const progress = createProgressReporter(ctx, opts.rehearse ? 'Rehearsing' : opts.dryRun ? 'Checking' : 'Migrating');
        if (opts.rehearse) {
          let rehearsal: RehearsalResult;
          try {
            rehearsal = await rehearseFleet(platform, {
              sample: opts.sample,
              tenantSlug: opts.tenant,
              concurrency: opts.concurrency,
              onProgress: progress.onProgress,
            });
          } finally {
            progress.stop();
          }
          if (opts.json) ctx.json(rehearsalJson(rehearsal));
          else printRehearsal(ctx, rehearsal);
          if (rehearsal.failed.length) ctx.exitCode = EXIT_FAILURE;
          return;
        }
        let result: FleetResult;
        try {
          result = await migrateFleet(platform, {
            concurrency: opts.concurrency,
            tenantSlug: opts.tenant,
            dryRun: Boolean(opts.dryRun),
            canary: opts.canary,
            onProgress: progress.onProgress,
            operator: CLI_OPERATOR,
          });
        } finally {
          progress.stop();
        }
        if (opts.json) ctx.json(fleetJson(result, Boolean(opts.dryRun)));
        else printFleetReport(ctx, result, Boolean(opts.dryRun));
        if (result.failed.length) ctx.exitCode = EXIT_FAILURE;
      });
    });
}
