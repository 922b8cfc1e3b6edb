import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { z } from 'zod';
import type { ControlPlane } from '../control-plane';
import { ImportRefusedError, ValidationError } from '../../core/errors/app-errors';
import { copyBareDatabase, countAttachmentsWithoutFile, rewrite, sniff } from './imported-file';
import { keyIdOf } from '../../core/crypto/secret-box';
import { parseInput } from '../../core/http/parse-input';
import { pausePoint } from '../../core/process/pause-point';
import { emailSchema } from '../users/password-rules';
import { newTenantSchema, provisionDeps, provisionTenant } from '../provisioning/provision-tenant';
import { firstOwner, withOwnerMail, type CreatedTenant } from '../tenants/create-tenant';
import type { TenantRecord } from '../tenants/tenant-record';
import { operationsRoot } from '../backups/operation-workspace';
import { copiedTenantSteps } from './copied-tenant-steps';
import { readArchive } from './read-archive';
import { stripForImport } from './strip-copy';
import { verifyImportedDatabase } from './verify-imported-database';
import { claimProvisioning, recoverInterruptedProvisioning, releaseProvisioning, undoClaimedTenant } from './provisioning-claim';

export const importSchema = z.object({
  slug: newTenantSchema.shape.slug,
  name: newTenantSchema.shape.name.optional(),
  owner_email: emailSchema.optional(),
});

export interface ImportOptions {
  /** A Tenantry export (.tar.gz), or a bare tenant.sqlite from another install (adopt). */
  file: string;
  slug: string;
  /** Default: the name in the export, or the slug for a bare database. */
  name?: string;
  /** First owner: an existing user joins at once, a new address gets an invitation, mailed once the tenant is active and its link shown once. */
  ownerEmail?: string;
  actorUserId: string | null;
  /** Most bytes the import may unpack to; default IMPORT_MAX_MB. */
  maxBytes?: number;
}

export interface ImportResult extends Omit<CreatedTenant, 'tenant'> {
  tenant: TenantRecord;
  kind: 'export' | 'adopted';
  /** The tenant the data came from, as its export named it. */
  from: { id: string; slug: string } | null;
  /** Migrations run because the data was older than the code. */
  migrated: string[];
  /** Secrets that were not brought over (an export carries none; a foreign database's cannot be opened here). */
  secretsToEnterAgain: string[];
  /** Attachment rows whose file did not come with the data (their downloads answer 404). */
  attachmentsWithoutFile: number;
}

/** Imports being checked (by any process): DATA_DIR/tenants/.importing/<random>-<pid>/. */
export function importsWorkRoot(dataDir: string): string {
  return operationsRoot(dataDir, 'importing');
}

/**
 * Creates a tenant from an export of this or another deployment, or adopts a bare tenant.sqlite
 * of another install. Everything offered is untrusted: it is unpacked with limits into a work
 * folder, checked (checksums, layout, schema, integrity) and cleaned (rewritten with VACUUM INTO;
 * secrets this deployment cannot open removed) before a tenant row exists. A refusal names the
 * reason and leaves nothing behind; an accepted import goes through the provisioning pipeline
 * (pending migrations run if the data is older) and is undone if anything fails or the process is
 * killed before the tenant is active. Once it is active (still under its lock), a new first
 * owner's invitation is mailed as a created tenant's is, and a kill before the mail leaves it
 * owed, for the next start to mail with a new link; a mail that fails fails no import
 * (`invitation.mailed` says so).
 */
export async function importTenant(platform: ControlPlane, options: ImportOptions): Promise<ImportResult> {
  const input = parseInput(importSchema, { slug: options.slug, name: options.name, owner_email: options.ownerEmail });
  recoverInterruptedProvisioning(platform);
  if (platform.tenants.findBySlug(input.slug)) throw ValidationError.single('slug', 'is already taken');
  const kind = sniff(options.file);

  const work = path.join(importsWorkRoot(platform.config.dataDir), `${crypto.randomBytes(6).toString('hex')}-${process.pid}`);
  fs.mkdirSync(work, { recursive: true });
  let claimed: string | undefined;
  let imported: Omit<ImportResult, 'ownerAdded' | 'invitation'>;
  let mail: Pick<ImportResult, 'ownerAdded' | 'invitation'> = {};
  try {
    const database = path.join(work, 'tenant.sqlite');
    const manifest = kind === 'export' ? await readArchive(options.file, work, { maxBytes: options.maxBytes ?? platform.config.importMaxBytes }) : undefined;
    if (kind === 'adopted') copyBareDatabase(options.file, database, options.maxBytes ?? platform.config.importMaxBytes);
    pausePoint('import:extracted');

    const migrations = await verifyImportedDatabase(database, platform.tenantSource);
    if (manifest && manifest.migrations.join() !== migrations.join())
      throw new ImportRefusedError('the database records other migrations than its manifest says');
    const clean = rewrite(database);
    const secretsToEnterAgain = [
      ...(manifest?.secrets_removed ?? []),
      ...stripForImport(clean, keyIdOf(platform.config.secretsKey), manifest ? manifest.tenant.slug : null),
    ];
    const attachmentsWithoutFile = countAttachmentsWithoutFile(clean, path.join(work, 'files'));
    pausePoint('import:verified');

    const first = firstOwner(platform, input.owner_email, options.actorUserId);
    const deps = provisionDeps(platform, {
      steps: copiedTenantSteps('import', (tempDir) => {
        fs.renameSync(clean, path.join(tempDir, 'tenant.sqlite'));
        if (fs.existsSync(path.join(work, 'files'))) fs.renameSync(path.join(work, 'files'), path.join(tempDir, 'files'));
        else fs.mkdirSync(path.join(tempDir, 'files'));
      }),
      claim: (tenantId) => {
        claimProvisioning(platform.config.dataDir, tenantId, 'import', input.slug);
        claimed = tenantId;
      },
      activate: (tenant) => {
        platform.audit.record({
          action: 'tenant.import',
          actorUserId: options.actorUserId,
          tenantId: tenant.id,
          targetType: 'tenant',
          targetId: tenant.id,
          after: { slug: tenant.slug, kind, from: manifest ? manifest.tenant.slug : null, secrets_to_enter_again: secretsToEnterAgain.length },
        });
        first.activate(tenant);
      },
      // Once it is active, under its lock: a new first owner's invitation is mailed, as for a tenant created.
      whenActive: async (tenant) => {
        mail = await withOwnerMail(platform, tenant, first.found, options.actorUserId);
      },
    });
    const name = input.name ?? (manifest ? nameInExport(manifest.tenant.name) : input.slug);
    const tenant = await provisionTenant(deps, { slug: input.slug, name });
    imported = {
      tenant,
      kind,
      from: manifest ? { id: manifest.tenant.id, slug: manifest.tenant.slug } : null,
      migrated: platform.tenantSource.names.filter((n) => !migrations.includes(n)),
      secretsToEnterAgain,
      attachmentsWithoutFile,
    };
  } catch (error) {
    if (claimed) undoClaimedTenant(platform, claimed, 'import');
    throw error;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
    if (claimed) releaseProvisioning(platform.config.dataDir, claimed);
  }
  return { ...imported, ...mail };
}

/** The name an export gives its tenant, when no --name was given: held to the rules of a name typed in. */
function nameInExport(name: string): string {
  const parsed = newTenantSchema.shape.name.safeParse(name);
  if (parsed.success) return parsed.data;
  throw new ImportRefusedError(`the export's tenant name cannot be used (${parsed.error.issues[0]?.message ?? 'invalid'}): give one with --name`);
}
