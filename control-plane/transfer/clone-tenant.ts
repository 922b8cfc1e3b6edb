import path from 'node:path';
import type { ControlPlane } from '../control-plane';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors/app-errors';
import { printable } from '../../core/cli/cli-io';
import { tenantPaths } from '../../tenant-runtime/tenant-paths';
import { provisionDeps, provisionTenant } from '../provisioning/provision-tenant';
import type { TenantRecord } from '../tenants/tenant-record';
import { statusWords } from '../tenants/tenant-record';
import { copyTenantSnapshot } from '../backups/copy-tenant-snapshot';
import { stripForClone } from './strip-copy';
import { keyIdOf } from '../../core/crypto/secret-box';
import { copiedTenantSteps } from './copied-tenant-steps';
import { copyMembers } from './copy-members';
import { claimProvisioning, recoverInterruptedProvisioning, releaseProvisioning, undoClaimedTenant } from './provisioning-claim';
import { repeatedClone } from './repeated-clone';

export interface CloneOptions {
  slug: string;
  toSlug: string;
  /** The clone's admin-facing name; default "<source name> (copy)". */
  name?: string;
  /** Copy the members (and the custom roles they hold) too. */
  withMembers?: boolean;
  actorUserId: string | null;
  /**
   * Sent from the console's form: the same clone sent again moments after by the same super admin
   * (a double click) is answered with the tenant the first one made (repeated-clone.ts).
   */
  atForm?: boolean;
}

export interface CloneResult {
  source: TenantRecord;
  tenant: TenantRecord;
  members: number;
  /** Set when this was the clone just sent again: nothing was made, `tenant` is what the first one made. */
  repeated?: boolean;
}

/**
 * A new tenant (new id, new folder) holding what another holds at one instant: a consistent
 * snapshot of its database and a copy of its files, taken while it serves. Members are copied on
 * request. The clone stays on this deployment, so its secrets (sealed with SECRETS_KEY, their
 * context being the secret's name, not the tenant) open as they are: nothing is re-encrypted.
 * Afterwards the two share nothing. A clone cut off at any step is undone by the next start.
 * The same clone sent again from the console moments after makes nothing (`repeated`).
 */
export async function cloneTenant(platform: ControlPlane, options: CloneOptions): Promise<CloneResult> {
  recoverInterruptedProvisioning(platform);
  const source = platform.tenants.findBySlug(options.slug);
  if (!source) throw new NotFoundError(`No tenant with slug "${printable(options.slug)}".`);
  if (source.status !== 'active' && source.status !== 'suspended')
    throw new ConflictError(`Tenant ${source.slug} is ${statusWords(source.status)}; only active and suspended tenants can be cloned.`);
  const name = options.name ?? `${source.name} (copy)`.slice(0, 200);
  const asked = { sourceId: source.id, toSlug: options.toSlug, name, withMembers: Boolean(options.withMembers) };
  const repeated = () => (options.atForm ? repeatedClone(platform, asked, options.actorUserId) : undefined);
  const before = await repeated();
  if (before) return { source, tenant: before, members: 0, repeated: true };
  const sourceDir = tenantPaths(platform.config.dataDir, source.id).dir;
  let members = 0;
  let claimed: string | undefined;
  const deps = provisionDeps(platform, {
    steps: copiedTenantSteps('clone', (tempDir) => {
      copyTenantSnapshot(sourceDir, tempDir, 'clone');
      stripForClone(path.join(tempDir, 'tenant.sqlite'), source.slug, keyIdOf(platform.config.secretsKey));
    }),
    claim: (tenantId) => {
      claimProvisioning(platform.config.dataDir, tenantId, 'clone', options.toSlug);
      claimed = tenantId;
    },
    activate: (tenant) => {
      platform.audit.record({
        action: 'tenant.clone',
        actorUserId: options.actorUserId,
        tenantId: tenant.id,
        targetType: 'tenant',
        targetId: tenant.id,
        after: { slug: tenant.slug, from: source.id, from_slug: source.slug, members: Boolean(options.withMembers) },
      });
      if (options.withMembers) members = copyMembers(platform, source.id, tenant.id);
    },
  });
  try {
    const tenant = await provisionTenant(deps, { slug: options.toSlug, name });
    return { source, tenant, members };
  } catch (error) {
    if (claimed) undoClaimedTenant(platform, claimed, 'clone');
    // The first of the two took the slug between the look above and this one's row.
    const first = error instanceof ValidationError ? await repeated() : undefined;
    if (first) return { source, tenant: first, members: 0, repeated: true };
    throw error;
  } finally {
    if (claimed) releaseProvisioning(platform.config.dataDir, claimed);
  }
}
