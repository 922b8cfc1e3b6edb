import type { Command } from 'commander';
import type { ControlPlane } from '../control-plane';
import { examples, printable, textOption, type CliContext, type WithPlatform } from '../../core/cli/cli-io';
import { formatBytes } from '../../core/text/format-bytes';
import { namingOptions } from '../../core/cli/option-names';
import { tenantsGroup } from './tenants-commands';
import { cloneTenant } from '../transfer/clone-tenant';
import { exportTenant } from '../transfer/export-tenant';
import { importTenant } from '../transfer/import-tenant';
import { mailOutbox, ownerInvitationJson, printOwnerInvitation } from './owner-invitation-lines';

const CLI_ACTOR: string | null = null;

/** `tenantry tenants clone | export | import`. */
export function registerTransferCommands(program: Command, ctx: CliContext, withPlatform: WithPlatform<ControlPlane>): void {
  const tenants = tenantsGroup(program);

  tenants
    .command('clone')
    .description('Make a new tenant (new id, new folder) from a consistent snapshot of another, taken while it serves')
    .argument('<slug>', 'the tenant to copy')
    .addOption(textOption('--to <new-slug>', "the new tenant's slug").makeOptionMandatory())
    .addOption(textOption('--name <name>', 'the new tenant\'s name (default: "<name> (copy)")'))
    .option('--with-members', 'give the clone the same members, with the same roles (custom roles are copied)')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      "\nThe clone holds the source's items, settings, files and secrets (still readable: same deployment, same\n" +
        'SECRETS_KEY) and shares nothing with it afterwards. A clone cut off half-way is undone by the next start.\n' +
        examples(['tenantry tenants clone acme --to acme-staging', 'tenantry tenants clone acme --to acme-training --name "Acme (training)" --with-members']),
    )
    .action(async (slug: string, opts: { to: string; name?: string; withMembers?: boolean; json?: boolean }) => {
      await withPlatform(async (platform) => {
        // The new tenant's slug is checked as `slug`: here it is the one given with --to.
        const result = await namingOptions({ slug: '--to' }, () =>
          cloneTenant(platform, { slug, toSlug: opts.to, name: opts.name, withMembers: Boolean(opts.withMembers), actorUserId: CLI_ACTOR }),
        );
        if (opts.json) {
          ctx.json({
            source: result.source.slug,
            slug: result.tenant.slug,
            id: result.tenant.id,
            name: result.tenant.name,
            status: result.tenant.status,
            members: result.members,
          });
          return;
        }
        ctx.out(`Cloned ${result.source.slug} to ${result.tenant.slug} (${printable(result.tenant.name)}), id ${result.tenant.id}.`);
        ctx.out(
          opts.withMembers
            ? `${result.members} member(s) copied.`
            : `No members were copied (--with-members copies them): give it an owner with: tenantry tenants add-owner ${result.tenant.slug} --email <email>`,
        );
      });
    });

  tenants
    .command('export')
    .description("Write a tenant's data to a .tar.gz (database snapshot, files, manifest with checksums) to hand over or import elsewhere")
    .argument('<slug>', 'the tenant to export')
    .requiredOption('--out <file>', 'the archive to write (.tar.gz)')
    .option('--force', 'replace the file if it exists')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      '\nThe tenant keeps serving while it is exported. Secrets are left out (their names are listed in the manifest),\n' +
        "and so are webhook signing secrets: they are sealed with this deployment's SECRETS_KEY, which another deployment\n" +
        'cannot open (an import pauses the webhook endpoints and asks for a new secret for each). Members and roles live\n' +
        'in the control plane and are not exported.\n' +
        examples(['tenantry tenants export acme --out acme.tar.gz', 'tenantry tenants export acme --out /srv/handover/acme-2025-03.tar.gz --force --json']),
    )
    .action(async (slug: string, opts: { out: string; force?: boolean; json?: boolean }) => {
      await withPlatform(async (platform) => {
        const result = await exportTenant(platform, { slug, out: opts.out, force: Boolean(opts.force), actorUserId: CLI_ACTOR });
        const files = result.manifest.files.length - 1;
        if (opts.json) {
          ctx.json({
            slug: result.tenant.slug,
            file: result.file,
            bytes: result.bytes,
            files,
            schema_version: result.manifest.schema_version,
            secrets_left_out: result.manifest.secrets_removed,
          });
          return;
        }
        ctx.out(
          `Exported ${result.tenant.slug} to ${printable(result.file)} (${formatBytes(result.bytes)}, ${files} file(s), schema ${result.manifest.schema_version ?? '-'}).`,
        );
        if (result.manifest.secrets_removed.length)
          ctx.out(`Secrets left out (enter them again after an import): ${printable(result.manifest.secrets_removed.join(', '))}`);
      });
    });

  tenants
    .command('import')
    .description('Create a tenant from an export (.tar.gz), or adopt a bare tenant.sqlite from another install')
    .argument('<file>', 'a Tenantry export (.tar.gz) or a tenant.sqlite')
    .addOption(textOption('--slug <slug>', "the new tenant's slug").makeOptionMandatory())
    .addOption(textOption('--name <name>', "the new tenant's name (default: the name in the export, or the slug)"))
    .addOption(
      textOption('--owner-email <email>', 'first owner: an existing user joins at once, a new address gets an invitation (mailed, its link printed once)'),
    )
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      '\nThe file is untrusted input: it is unpacked with a size limit (IMPORT_MAX_MB), every entry must be a plain\n' +
        'file of the export layout, every checksum must match the manifest, and the database must pass integrity_check\n' +
        'and have exactly the schema the migrations make (no extra table, view or trigger). Anything else is refused\n' +
        'with the reason (exit 2) and leaves nothing behind. Data from an older version is migrated. Secrets never come\n' +
        "with an export, and an adopted database keeps only those sealed with this deployment's SECRETS_KEY.\n" +
        examples([
          'tenantry tenants import acme.tar.gz --slug acme',
          'tenantry tenants import acme.tar.gz --slug acme-restored --owner-email owner@acme.test',
          'tenantry tenants import /old-install/data/tenants/t0123/tenant.sqlite --slug legacy --name "Legacy client"',
        ]),
    )
    .action(async (file: string, opts: { slug: string; name?: string; ownerEmail?: string; json?: boolean }) => {
      await withPlatform(async (platform) => {
        const result = await importTenant(platform, { file, slug: opts.slug, name: opts.name, ownerEmail: opts.ownerEmail, actorUserId: CLI_ACTOR });
        const invitation = result.invitation && ownerInvitationJson(result.invitation);
        if (opts.json) {
          ctx.json({
            slug: result.tenant.slug,
            id: result.tenant.id,
            name: result.tenant.name,
            status: result.tenant.status,
            kind: result.kind,
            from: result.from,
            migrated: result.migrated,
            secrets_to_enter_again: result.secretsToEnterAgain,
            attachments_without_file: result.attachmentsWithoutFile,
            owner_added: result.ownerAdded ?? null,
            invitation: invitation ?? null,
          });
          return;
        }
        const what = result.kind === 'adopted' ? 'Adopted a tenant database' : `Imported ${printable(result.from?.slug ?? 'an export')}`;
        ctx.out(`${what} as ${result.tenant.slug} (${printable(result.tenant.name)}), id ${result.tenant.id}, schema ${result.tenant.schema_version}.`);
        if (result.migrated.length) ctx.out(`Migrations applied: ${result.migrated.join(', ')}`);
        if (result.secretsToEnterAgain.length) ctx.out(`Secrets to enter again in its settings: ${result.secretsToEnterAgain.map(printable).join(', ')}`);
        if (result.attachmentsWithoutFile)
          ctx.err(`warning: ${result.attachmentsWithoutFile} attachment(s) came without their file; their downloads answer 404.`);
        if (result.ownerAdded) ctx.out(`Owner: ${result.ownerAdded} (existing account) was added as owner.`);
        if (invitation) printOwnerInvitation(ctx, invitation, mailOutbox(platform));
        if (!result.ownerAdded && !invitation)
          ctx.out(`It has no members yet: give it an owner with: tenantry tenants add-owner ${result.tenant.slug} --email <email>`);
      });
    });
}
