import { z } from 'zod';
import type { Platform } from '../../app/create-platform';
import { parseInput } from '../../core/http/parse-input';
import { emailSchema } from '../users/password-rules';
import { newTenantSchema, provisionTenant } from '../provisioning/provision-tenant';
import { createInvitation, type CreatedInvitation } from '../invitations/create-invitation';
import type { TenantRecord } from './tenant-record';

export const createTenantSchema = newTenantSchema.extend({
  owner_email: emailSchema.optional().or(z.literal('').transform(() => undefined)),
});

export interface CreatedTenant {
  tenant: TenantRecord;
  /** Set when the first admin already had an account and was added at once. */
  ownerAdded?: string;
  /** Set when the first admin is new: the link is shown once and never stored. */
  invitation?: CreatedInvitation;
}

/**
 * The super admin's "new tenant": provision the file, then give it its first owner: an
 * existing user joins at once, a new email gets an invitation link.
 */
export async function createTenant(platform: Platform, input: unknown, actorUserId: string | null): Promise<CreatedTenant> {
  const parsed = parseInput(createTenantSchema, input);
  const tenant = await provisionTenant({ dataDir: platform.config.dataDir, tenants: platform.tenants, source: platform.tenantSource }, parsed);
  platform.access.invalidateTenant(tenant.slug);
  platform.audit.record({ action: 'tenant.create', actorUserId, tenantId: tenant.id, targetType: 'tenant', targetId: tenant.id, after: { slug: tenant.slug, name: tenant.name } });
  const result: CreatedTenant = { tenant };
  if (!parsed.owner_email) return result;
  const owner = platform.roles.findPredefined('owner');
  if (!owner) throw new Error('predefined role owner is missing');
  const existing = platform.users.findByEmail(parsed.owner_email);
  if (existing) {
    await platform.memberships.upsert(existing.id, tenant.id, owner.id);
    platform.access.invalidateMemberships();
    platform.audit.record({ action: 'membership.add', actorUserId, tenantId: tenant.id, targetType: 'user', targetId: existing.id, after: { role: 'owner' } });
    result.ownerAdded = existing.email;
  } else {
    result.invitation = createInvitation(platform, { tenantId: tenant.id, email: parsed.owner_email, roleId: owner.id, invitedBy: actorUserId });
  }
  return result;
}
