import type { ClosedTenantNotice } from '../../core/errors/tenant-unavailable-errors';
import type { SessionUser } from '../../core/http/request-types';
import type { ControlPlane } from '../control-plane';
import type { TenantRecord } from '../tenants/tenant-record';
import { shownName } from '../tenants/shown-name';

const CLOSED = new Set(['suspended', 'damaged']);

/**
 * What a member of a suspended or damaged workspace is told, and nobody else: the gate asks
 * this only after refusing a grant, and answers undefined (so a 404) to non-members. Whom to
 * contact: the deployment's SUPPORT_CONTACT when set, then the workspace's owners.
 */
export function closedTenantNotice(platform: Pick<ControlPlane, 'config' | 'access' | 'memberships' | 'health'>) {
  return (user: SessionUser, tenant: Pick<TenantRecord, 'id' | 'slug'>, asker: { belongs?: boolean } = {}): ClosedTenantNotice | undefined => {
    const record = platform.access.tenantBySlug(tenant.slug);
    if (!record || record.id !== tenant.id || !CLOSED.has(record.status)) return undefined;
    // `belongs`: the asker is the workspace's own without a membership (its service token).
    if (!asker.belongs && !platform.access.grant(user.id, record.id)) return undefined;
    if (record.status === 'damaged') platform.health.noteRequested(record);
    const owners = platform.memberships
      .listMembers(record.id)
      .filter((m) => m.role_key === 'owner' && m.role_is_predefined && m.user_id !== user.id)
      .map((m) => `${m.name} <${m.email}> (owner of this workspace)`);
    const support = platform.config.supportContact ? [platform.config.supportContact] : [];
    return {
      state: record.status as ClosedTenantNotice['state'],
      // The name its members know it by (its display name), as the switcher and the mails give it.
      tenantName: shownName(record),
      reason: record.status === 'suspended' ? record.status_reason : null,
      until: record.status === 'suspended' ? record.status_until : null,
      contacts: [...support, ...owners],
    };
  };
}
