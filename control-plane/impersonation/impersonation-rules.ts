import type { Permission } from '../../tenant-runtime/permission-catalogue';
import type { MemberGrant } from '../../tenant-runtime/tenant-request-context';

/**
 * What a super admin may not do while acting as someone else, even when that person's role
 * allows it: hand the tenant over, ask for its deletion, or mint credentials. The account page
 * (password, sessions, default workspace, name, leaving) and invitation acceptance are refused
 * as a whole (control-plane/impersonation/refuse-while-impersonating.ts).
 */
export const WITHHELD_WHILE_IMPERSONATING: readonly Permission[] = ['tenant.ownership.transfer', 'tenant.delete.request', 'api_tokens.manage'];

/** The member's grant with the withheld permissions taken out. */
export function withoutWithheld(grant: MemberGrant): MemberGrant {
  const permissions = new Set(grant.permissions);
  for (const p of WITHHELD_WHILE_IMPERSONATING) permissions.delete(p);
  return { ...grant, permissions };
}
