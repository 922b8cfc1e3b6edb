import type { Command } from 'commander';
import { echoed, examples, textOption, type CliContext, type WithPlatform } from '../../core/cli/cli-io';
import { namingOptions } from '../../core/cli/option-names';
import { NotFoundError } from '../../core/errors/app-errors';
import { formatUtcTime } from '../../core/time/utc-time';
import { tenantPaths } from '../../tenant-runtime/tenant-paths';
import type { ControlPlane } from '../control-plane';
import { addOwner } from '../lifecycle/add-owner';
import { archiveTenant } from '../lifecycle/archive-tenant';
import { discardTenant } from '../lifecycle/discard-tenant';
import { CLI_OPERATOR } from '../lifecycle/operator';
import { purgeTenant } from '../lifecycle/purge-tenant';
import { retryProvisioning } from '../lifecycle/retry-provisioning';
import { resumeTenant, suspendTenant } from '../lifecycle/suspend-tenant';
import type { TenantRecord } from '../tenants/tenant-record';
import { tenantsGroup } from './tenants-commands';
import { confirmation } from './confirmation';
import { mailOutbox, ownerInvitationJson, printOwnerInvitation } from './owner-invitation-lines';

export function findTenant(platform: ControlPlane, slug: string): TenantRecord {
  const tenant = platform.tenants.findBySlug(slug);
  if (!tenant) throw new NotFoundError(`No tenant with slug "${echoed(slug)}".`);
  return tenant;
}

/**
 * `tenantry tenants suspend|resume|archive|purge|retry|discard|add-owner`: the tenant lifecycle,
 * each step audited. `restore` (from the archive or from a backup) is in backup-commands.ts.
 */
export function registerLifecycleCommands(program: Command, ctx: CliContext, withPlatform: WithPlatform<ControlPlane>): void {
  const tenants = tenantsGroup(program);

  tenants
    .command('suspend')
    .description('Suspend a tenant: its open database is closed and its members see a notice with the reason')
    .argument('<slug>', 'the tenant to suspend')
    .addOption(textOption('--reason <text>', 'why (members read it)').makeOptionMandatory())
    .addOption(textOption('--until <date>', 'resume by itself at this time (YYYY-MM-DD or "YYYY-MM-DD HH:MM", UTC)'))
    .addHelpText(
      'after',
      examples([
        'tenantry tenants suspend acme --reason "Invoice 2024-117 unpaid"',
        'tenantry tenants suspend acme --reason "Maintenance" --until "2030-01-31 08:00"',
      ]),
    )
    .action(async (slug: string, opts: { reason: string; until?: string }) => {
      await withPlatform(async (platform) => {
        const changed = suspendTenant(platform, findTenant(platform, slug).id, { reason: opts.reason, until: opts.until }, CLI_OPERATOR);
        ctx.out(`Tenant ${changed.slug} is now suspended${changed.status_until ? ` until ${formatUtcTime(changed.status_until)}` : ''}.`);
      });
    });

  tenants
    .command('resume')
    .description('Resume a suspended tenant')
    .argument('<slug>', 'the tenant to resume')
    .addHelpText('after', examples(['tenantry tenants resume acme']))
    .action(async (slug: string) => {
      await withPlatform(async (platform) => {
        const changed = resumeTenant(platform, findTenant(platform, slug).id, CLI_OPERATOR);
        ctx.out(`Tenant ${changed.slug} is now ${changed.status}.`);
      });
    });

  tenants
    .command('archive')
    .description('Take a tenant offline and move its folder to data/archive/<id>/, restorable for ARCHIVE_RETENTION_DAYS (then purged)')
    .argument('<slug>', 'the tenant to archive')
    .addOption(textOption('--reason <text>', 'a note kept with the archive'))
    .option('--yes', 'confirm: the tenant goes offline for all its members')
    .addHelpText('after', examples(['tenantry tenants archive acme --yes', 'tenantry tenants archive acme --reason "Contract ended" --yes']))
    .action(async (slug: string, opts: { reason?: string; yes?: boolean }) => {
      await withPlatform(async (platform) => {
        const tenant = findTenant(platform, slug);
        const input = { ...confirmation(tenant.slug, opts.yes, `Archiving ${tenant.slug} takes it offline for all its members.`), note: opts.reason };
        const archived = await namingOptions({ note: '--reason' }, () => archiveTenant(platform, tenant.id, input, CLI_OPERATOR));
        ctx.out(`Tenant ${archived.slug} is now archived; its files are in ${tenantPaths(platform.config.dataDir, archived.id, 'archive').dir}.`);
        ctx.out(`Restorable until ${formatUtcTime(archived.status_until)} (tenantry tenants restore ${archived.slug}); purged after that.`);
      });
    });

  tenants
    .command('purge')
    .description("Remove an archived tenant's files now; its row stays as a tombstone and the slug is free again")
    .argument('<slug>', 'the archived tenant')
    .option('--yes', 'confirm: the files are deleted and cannot be restored')
    .addHelpText('after', examples(['tenantry tenants purge acme --yes']))
    .action(async (slug: string, opts: { yes?: boolean }) => {
      await withPlatform(async (platform) => {
        const tenant = findTenant(platform, slug);
        const purged = await purgeTenant(
          platform,
          tenant.id,
          confirmation(tenant.slug, opts.yes, `Purging ${tenant.slug} deletes its files for good.`),
          CLI_OPERATOR,
        );
        ctx.out(
          `Tenant ${purged.slug} is purged: its files are removed and the slug ${purged.slug} is free. Its record stays as a tombstone (id ${purged.id}).`,
        );
      });
    });

  tenants
    .command('retry')
    .description('Provision a failed tenant again (same slug, name and owner)')
    .argument('<slug>', 'the failed tenant')
    .addHelpText('after', examples(['tenantry tenants retry acme']))
    .action(async (slug: string) => {
      await withPlatform(async (platform) => {
        const done = await retryProvisioning(platform, findTenant(platform, slug).id, CLI_OPERATOR);
        ctx.out(`Tenant ${done.tenant.slug} is now ${done.tenant.status}.`);
        if (done.ownerAdded) ctx.out(`Owner: ${done.ownerAdded} (existing account) was added as owner.`);
        if (done.invitation) printOwnerInvitation(ctx, ownerInvitationJson(done.invitation), mailOutbox(platform));
      });
    });

  tenants
    .command('discard')
    .description('Give up on a failed tenant: what its attempt left is removed and the slug is free again')
    .argument('<slug>', 'the failed tenant')
    .option('--yes', 'confirm')
    .addHelpText('after', examples(['tenantry tenants discard acme --yes']))
    .action(async (slug: string, opts: { yes?: boolean }) => {
      await withPlatform(async (platform) => {
        const tenant = findTenant(platform, slug);
        await discardTenant(
          platform,
          tenant.id,
          confirmation(tenant.slug, opts.yes, `Discarding ${tenant.slug} removes what its failed provisioning left.`),
          CLI_OPERATOR,
        );
        ctx.out(`Tenant ${tenant.slug} is discarded; the slug ${tenant.slug} is free.`);
      });
    });

  tenants
    .command('add-owner')
    .description('Give a tenant an owner: an existing account becomes owner at once, a new address gets an owner invitation')
    .argument('<slug>', 'the tenant')
    .addOption(textOption('--email <email>', 'the new owner').makeOptionMandatory())
    .option('--json', 'print the result as JSON')
    .addHelpText('after', examples(['tenantry tenants add-owner acme --email boss@acme.test']))
    .action(async (slug: string, opts: { email: string; json?: boolean }) => {
      await withPlatform(async (platform) => {
        const added = await addOwner(platform, findTenant(platform, slug).id, { email: opts.email }, CLI_OPERATOR);
        const invitation = added.invitation && ownerInvitationJson(added.invitation);
        if (opts.json) {
          ctx.json({
            tenant: added.tenant.slug,
            owner_added: added.ownerAdded ?? null,
            already_owner: Boolean(added.alreadyOwner),
            invitation: invitation ?? null,
          });
          return;
        }
        if (added.alreadyOwner) ctx.out(`${added.ownerAdded} is already an owner of ${added.tenant.slug}; nothing changed.`);
        else if (added.ownerAdded)
          ctx.out(`${added.ownerAdded} is now an owner of ${added.tenant.slug}${added.previousRole ? ` (was ${added.previousRole})` : ''}.`);
        if (invitation) printOwnerInvitation(ctx, invitation, mailOutbox(platform));
      });
    });
}
