import fs from 'node:fs';
import type { ControlPlane } from '../control-plane';
import { TenantDamagedError } from '../../core/errors/tenant-unavailable-errors';
import { openTenantFile } from '../../tenant-runtime/open-tenant-file';
import type { TenantDatabase } from '../../tenant-runtime/tenant-database';
import { recordedTenantVersion } from '../../tenant-runtime/tenant-migrator';
import { tenantPaths } from '../../tenant-runtime/tenant-paths';
import { applyTransition } from '../lifecycle/apply-transition';
import { tryTenantLock } from '../lifecycle/tenant-lock';
import type { SettingsCopy, TenantRecord } from '../tenants/tenant-record';
import { copiesInFile } from '../tenants/settings-copies';
import { mailFirstOwnerInvitation, ownerActivation, type OwnerOutcome } from './owner-activation';
import { provisioningTempDir } from './provisioning-paths';

export interface ProvisioningRepair {
  tenantId: string;
  slug: string;
  outcome: 'finished' | 'rolled-back' | 'in-progress';
  detail: string;
}

/**
 * Rows left in `provisioning` by a process that died (its tenant lock is free; a lock still
 * held means the provisioning is running now and is left alone). A tenant whose complete file
 * was already renamed into place is finished: marked active with the owner it was meant to
 * have (an invitation link is mailed, since nobody saw it; a mail that fails stays owed), unless it is a self-service workspace
 * whose creator's account is no longer active: as when the live request finds it so, that one is
 * rolled back (a disabled or deleted account gets no workspace). Anything earlier is rolled back:
 * its temp folder goes and the row becomes a tombstone, so the slug is free again.
 */
export async function reconcileProvisioning(platform: ControlPlane, options: { fix: boolean }): Promise<ProvisioningRepair[]> {
  const repairs: ProvisioningRepair[] = [];
  for (const row of platform.tenants.listByStatus(['provisioning'])) {
    const lock = tryTenantLock(platform.config.dataDir, row.id);
    if (!lock) {
      repairs.push({ tenantId: row.id, slug: row.slug, outcome: 'in-progress', detail: 'being provisioned right now by a running process' });
      continue;
    }
    try {
      const tenant = platform.tenants.findById(row.id);
      if (tenant?.status !== 'provisioning') continue;
      const complete = completedFile(platform, tenant);
      if (!options.fix) {
        const outcome = complete && !creatorGone(platform, tenant) ? 'finished' : 'rolled-back';
        repairs.push({ tenantId: tenant.id, slug: tenant.slug, outcome, detail: 'provisioning was cut off' });
        continue;
      }
      repairs.push(complete ? await finish(platform, tenant, complete) : rollBack(platform, tenant));
    } finally {
      lock.release({ remove: true });
    }
  }
  return repairs;
}

/** A self-service workspace whose creator's account is disabled, deleted or gone: it must get no owner, so it is not finished. */
function creatorGone(platform: ControlPlane, tenant: TenantRecord): boolean {
  if (!tenant.self_service) return false;
  const creator = tenant.created_by ? platform.users.findById(tenant.created_by) : undefined;
  return creator?.status !== 'active';
}

interface CompletedFile {
  version: string;
  /** Its display name and language for the control plane's copies; undefined if they could not be read (the first open fills them). */
  copies?: SettingsCopy;
}

/**
 * A complete file in place (renamed after seeding): its schema version and, read in the same
 * open, the settings the control plane keeps copies of (as promoteDatabase reads them before the
 * rename, for markTenantActive); undefined when there is none.
 */
function completedFile(platform: ControlPlane, tenant: TenantRecord): CompletedFile | undefined {
  const { dataDir } = platform.config;
  if (!fs.existsSync(tenantPaths(dataDir, tenant.id).dir)) return undefined;
  try {
    const db = openTenantFile(dataDir, tenant.id, 'migrate');
    try {
      const version = recordedTenantVersion(db.connection());
      if (!version || version !== platform.tenantSource.latest) return undefined;
      return { version, copies: readCopies(db) };
    } finally {
      db.close();
    }
  } catch (error) {
    if (error instanceof TenantDamagedError) return undefined;
    throw error;
  }
}

/** The file's copies, or undefined when its settings cannot be read: unknown, as after a failed fill, they do not stop the repair. */
function readCopies(db: TenantDatabase): SettingsCopy | undefined {
  try {
    return copiesInFile(db);
  } catch {
    return undefined;
  }
}

async function finish(platform: ControlPlane, tenant: TenantRecord, { version, copies }: CompletedFile): Promise<ProvisioningRepair> {
  const outcome: OwnerOutcome = {};
  const activate = ownerActivation(platform, { userId: null }, outcome, 'provisioning finished after an interruption');
  // The creator's account is read in the transaction that would give them the workspace.
  const activated = platform.db.write(() => {
    if (creatorGone(platform, tenant)) return false;
    applyTransition(platform, tenant.id, 'activate', { actorUserId: null, by: 'system' });
    activate(tenant);
    platform.tenants.update(tenant.id, { schema_version: version });
    if (copies) platform.tenants.keepSettingsCopies(tenant.id, copies);
    return true;
  });
  if (!activated) return rollBack(platform, tenant, "its creator's account is no longer active");
  fs.rmSync(provisioningTempDir(platform.config.dataDir, tenant.id), { recursive: true, force: true });
  const email = tenant.pending_owner_email ?? '';
  // Nobody saw this link (the request that was cut off never made it: its transaction did not commit), so this is its one mail;
  // a mail that failed stays owed (a later repair mails a new link) and says so, and how to send one now (the link itself is never printed or logged here).
  const mailed = await mailFirstOwnerInvitation(platform, tenant, outcome, null, { linkShown: false });
  const owner = outcome.ownerAdded
    ? `, owner ${outcome.ownerAdded} added`
    : outcome.invitation
      ? mailed
        ? `, owner invitation mailed to ${email}`
        : `, but the owner invitation to ${email} could not be mailed: the next start or tenantry doctor --fix mails a new one, or send one now with tenantry tenants add-owner ${tenant.slug} --email ${email}`
      : '';
  return { tenantId: tenant.id, slug: tenant.slug, outcome: 'finished', detail: `its file was complete: activated${owner}` };
}

function rollBack(platform: ControlPlane, tenant: TenantRecord, why = 'provisioning was cut off before the tenant was complete'): ProvisioningRepair {
  const { dataDir } = platform.config;
  // Never active, so nobody's data: what the attempt made goes, then the row frees the slug.
  fs.rmSync(provisioningTempDir(dataDir, tenant.id), { recursive: true, force: true });
  fs.rmSync(tenantPaths(dataDir, tenant.id).dir, { recursive: true, force: true });
  applyTransition(platform, tenant.id, 'roll-back', {
    actorUserId: null,
    by: 'system',
    reason: `${why}; rolled back`,
  });
  return { tenantId: tenant.id, slug: tenant.slug, outcome: 'rolled-back', detail: `rolled back (${why}): its files were removed and the slug is free` };
}
