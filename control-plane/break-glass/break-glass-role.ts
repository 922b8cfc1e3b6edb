import type { Permission } from '../../tenant-runtime/permission-catalogue';

/**
 * What a super admin may do inside a tenant through break-glass access: read, never change
 * (docs/decisions/016-break-glass-and-impersonation.md). Changes made for a client go through
 * impersonation (as a member, with that member's role) or through a membership.
 */
export const BREAK_GLASS_PERMISSIONS: ReadonlySet<Permission> = new Set<Permission>([
  'tenant.settings.view',
  'team.view',
  'content.view',
  'audit.view',
  'usage.view',
]);

export const BREAK_GLASS_ROLE = Object.freeze({ key: 'break-glass', name: 'Break-glass (read-only)' });

/** Tenants a super admin may enter this way: live ones (a suspended tenant is often why they look). */
export const BREAK_GLASS_STATUSES: readonly string[] = ['active', 'suspended'];
