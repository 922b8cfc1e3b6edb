import { z } from 'zod';
import type { ControlPlane } from '../control-plane';
import { parseInput } from '../../core/http/parse-input';
import { emailSchema } from '../users/password-rules';
import { newTenantSchema, provisionDeps, provisionTenant } from '../provisioning/provision-tenant';
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
 * The rows that give a new tenant its first owner, written in the transaction that marks it
 * active: an existing user joins at once as owner, a new email gets an invitation link (shown
 * once). `found` says which happened once the tenant is active.
 */
export function firstOwner(platform: ControlPlane, email: string | undefined, actorUserId: string | null) {
  const owner = platform.roles.findPredefined('owner');
  if (!owner) throw new Error('predefined role owner is missing');
  const found: Omit<CreatedTenant, 'tenant'> = {};
  const activate = (tenant: Pick<TenantRecord, 'id' | 'slug' | 'name'>) => {
    if (!email) return;
    const existing = platform.users.findByEmail(email);
    if (existing) {
      platform.memberships.upsert(existing.id, tenant.id, owner.id);
      platform.audit.record({
        action: 'membership.add',
        actorUserId,
        tenantId: tenant.id,
        targetType: 'user',
        targetId: existing.id,
        after: { role: 'owner' },
      });
      found.ownerAdded = existing.email;
    } else {
      found.invitation = createInvitation(platform, { tenantId: tenant.id, email, roleId: owner.id, invitedBy: actorUserId });
    }
  };
  return { activate, found };
}

/**
 * The super admin's "new tenant": provision the file and give it its first owner (an existing
 * user joins at once, a new email gets an invitation link) in the transaction that makes it active.
 */
export async function createTenant(platform: ControlPlane, input: unknown, actorUserId: string | null): Promise<CreatedTenant> {
  const parsed = parseInput(createTenantSchema, input);
  const owner = firstOwner(platform, parsed.owner_email, actorUserId);
  // Written in the transaction that marks the tenant active: the tenant is never active without its first owner's row.
  const activate = (tenant: Pick<TenantRecord, 'id' | 'slug' | 'name'>) => {
    platform.audit.record({
      action: 'tenant.create',
      actorUserId,
      tenantId: tenant.id,
      targetType: 'tenant',
      targetId: tenant.id,
      after: { slug: tenant.slug, name: tenant.name },
    });
    owner.activate(tenant);
  };
  const tenant = await provisionTenant(provisionDeps(platform, { activate }), parsed);
  return { tenant, ...owner.found };
}
