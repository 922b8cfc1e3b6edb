import type { Command } from 'commander';
import { examples, printable, textOption, type CliContext, type WithPlatform } from '../../core/cli/cli-io';
import { namingOptions } from '../../core/cli/option-names';
import { CLI_OPERATOR } from '../audit/operator';
import type { ControlPlane } from '../control-plane';
import { renameTenant } from '../tenants/rename-tenant';
import { findTenant } from './lifecycle-commands';
import { tenantsGroup } from './tenants-commands';

/** `tenantry tenants rename <slug> [--name ...] [--slug ...]`: the console's rename, audited as the operator at the console. */
export function registerRenameCommands(program: Command, ctx: CliContext, withPlatform: WithPlatform<ControlPlane>): void {
  tenantsGroup(program)
    .command('rename')
    .description("Rename a tenant: its name (and its workspace's own display name, when its admins set one) and/or its slug; the old slug stops leading to it")
    .argument('<slug>', 'the tenant to rename')
    .addOption(textOption('--name <name>', 'the new name'))
    .addOption(textOption('--slug <slug>', 'the new slug: 3-40 lowercase letters and digits, in groups joined by single hyphens; not one another tenant holds'))
    .addHelpText(
      'after',
      examples(['tenantry tenants rename acme --name "Acme Corporation"', 'tenantry tenants rename acme --slug acme-corp --name "Acme Corp"']),
    )
    .action(async (slug: string, opts: { name?: string; slug?: string }) => {
      await withPlatform(async (platform) => {
        const tenant = findTenant(platform, slug);
        const { tenant: renamed, changed } = await namingOptions({ name: '--name', slug: '--slug' }, () =>
          renameTenant(platform, tenant.id, { name: opts.name, slug: opts.slug }, CLI_OPERATOR),
        );
        if (!changed) return ctx.out(`Tenant ${renamed.slug} already has that name and slug; nothing changed.`);
        ctx.out(`Tenant ${renamed.slug} is now named ${printable(renamed.name)}.`);
        if (renamed.slug !== tenant.slug) ctx.out(`Its address is /t/${renamed.slug}; /t/${tenant.slug} no longer leads to it.`);
      });
    });
}
