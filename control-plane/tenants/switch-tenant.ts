import type { Request } from 'express';
import { z } from 'zod';
import { NotFoundError } from '../../core/errors/app-errors';
import { parseInput } from '../../core/http/parse-input';
import { slugSchema } from '../../tenant-runtime/slug-rules';
import { accessRefused } from '../../tenant-runtime/audit-sink';
import type { ControlPlane } from '../control-plane';
import { accessibleTenant, type AccessibleTenant } from './accessible-tenant';
import { unlessDiskFull } from '../../core/errors/disk-full';
import { offlineForMember } from './tenant-offline';

export const switchSchema = z.object({ tenant: slugSchema });

/**
 * The context API's body: strict as every API body (a field it does not take is a 400 naming it).
 * The command's own schema stays lax: the header's switcher form also carries its CSRF token.
 */
export const switchBodySchema = switchSchema.strict();

/**
 * Makes a workspace the user's current one (the context API's, and where they land after the
 * next sign-in). A POST with its CSRF token: opening a workspace's pages changes nothing. Unknown,
 * not a member and suspended all answer the same 404, audited like a refused page; a member of a
 * workspace in maintenance (a restore, an import) gets the pages' 503 with Retry-After.
 */
export function switchTenant(platform: ControlPlane, req: Request, input: unknown): AccessibleTenant {
  const user = req.user;
  if (!user) throw new NotFoundError();
  const { tenant: slug } = parseInput(switchSchema, input);
  const record = platform.access.tenantBySlug(slug);
  const target = accessibleTenant(platform.access, user, record);
  if (!target) {
    const offline = record ? offlineForMember(platform.access, user.id, record) : undefined;
    if (offline) throw offline;
    platform.audit.record(accessRefused(req, { tenantId: record?.id ?? null, reason: 'not-found', slug }));
    throw new NotFoundError();
  }
  req.session.lastTenantId = target.tenant.id;
  // Never for a user someone is impersonating: their own next sign-in is theirs. On a full disk the
  // switch still answers (this session holds it); the landing page is remembered next time.
  if (!req.realUser && !req.session.impersonation) unlessDiskFull(() => platform.users.update(user.id, { last_tenant_id: target.tenant.id }));
  return target;
}
