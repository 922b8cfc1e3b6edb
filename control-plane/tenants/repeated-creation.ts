import { isDoubleSubmit } from '../../core/http/double-submit';
import type { ControlPlane } from '../control-plane';
import { tenantLockFreed } from '../lifecycle/tenant-lock';
import { normaliseEmail } from '../users/user-repository';
import { recordsJustMade } from '../audit/recent-records';
import type { TenantRecord } from './tenant-record';
import type { Operator } from '../audit/operator';

/** A creation as asked: the tenant's slug and name and its first owner's address (none: no owner). */
export interface AskedCreation {
  slug: string;
  name: string;
  ownerEmail?: string;
}

/**
 * Who asks for a tenant: the super admin, and the API token the request came with (none from the
 * console), which the creation's records name. Two tokens of one person are two scripts, whose
 * creations are never one double click.
 */
export type CreationAsker = Operator;

/**
 * The tenant that a creation asked again was made by (a double click, a browser sending the form
 * again, a script retrying without a key): the same slug, name and first owner, asked by the same
 * person within DOUBLE_SUBMIT_MS with the same API token, or none from the console, as the
 * creation's `tenant.create` record says; its own work finished first (it holds the tenant's lock until then), so the answer is what the
 * first one made, never "the slug is taken" by the repeat's own effect. Undefined for anything
 * else: another person or token, another name or owner, a slug taken long ago, a creation by the CLI, and
 * a first one that did not finish (it failed, or its process was killed half way): the repeat is
 * not answered with a tenant that was never made, and is refused as the slug's holder is.
 */
export async function repeatedCreation(platform: ControlPlane, asked: AskedCreation, asker: CreationAsker): Promise<TenantRecord | undefined> {
  const { userId, apiTokenId = null } = asker;
  if (!userId) return undefined;
  const tenant = await tenantJustMadeAt(platform, asked.slug, asked.name, (first) => !first.self_service && first.created_by === userId);
  if (!tenant || !isMade(tenant) || !hasFirstOwner(platform, tenant, asked.ownerEmail)) return undefined;
  return recordsJustMade(platform.db, { action: 'tenant.create', actorUserId: userId, tenantId: tenant.id, apiTokenId }).length ? tenant : undefined;
}

/**
 * The tenant at `slug` with `name` made moments ago (DOUBLE_SUBMIT_MS) and taken by `mine`, read
 * again once the work making it has ended (it holds the tenant's lock until then, here or in
 * another process): what a creation or a clone sent twice finds the first one made.
 */
export async function tenantJustMadeAt(
  platform: ControlPlane,
  slug: string,
  name: string,
  mine: (first: TenantRecord) => boolean = () => true,
): Promise<TenantRecord | undefined> {
  const first = platform.tenants.findBySlug(slug);
  if (!first || first.name !== name || !isDoubleSubmit(first.created_at) || !mine(first)) return undefined;
  await tenantLockFreed(platform.config.dataDir, first.id);
  return platform.tenants.findById(first.id);
}

/** Whether a creation got as far as a tenant (active, or changed since): not one still provisioning or failed. */
export function isMade(tenant: Pick<TenantRecord, 'status'>): boolean {
  return tenant.status !== 'provisioning' && tenant.status !== 'failed';
}

/** Whether the made tenant's first owner is the one asked for: a member or invited. */
function hasFirstOwner(platform: ControlPlane, tenant: TenantRecord, ownerEmail: string | undefined): boolean {
  const email = ownerEmail ? normaliseEmail(ownerEmail) : null;
  if (!email) return platform.memberships.countActive(tenant.id) === 0 && platform.invitations.countPending(tenant.id) === 0;
  const user = platform.users.findByEmail(email);
  if (user) return Boolean(platform.memberships.findMemberOfUser(user.id, tenant.id));
  return Boolean(platform.invitations.findPending(tenant.id, email));
}
