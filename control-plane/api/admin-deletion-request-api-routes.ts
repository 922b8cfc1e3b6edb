import { z } from 'zod';
import type { Router } from 'express';
import { onlyKnownFields, parseQuery } from '../../core/http/parse-input';
import { cursorPosition, pageOf, pageQuery } from '../../core/http/page-query';
import { runIdempotent } from '../../core/http/idempotent';
import type { ApiCatalogue } from '../../core/http/api-operation';
import type { ControlPlane } from '../control-plane';
import { declineDeletionRequest } from '../deletion-requests/decline-deletion-request';
import { DeletionRequestRepository, type PendingDeletionRequest } from '../deletion-requests/deletion-request-repository';
import { declineSchema } from '../deletion-requests/deletion-request-schemas';
import { DELETION_REQUEST_CURSOR_LENGTH, deletionRequestCursor, parseDeletionRequestCursor } from '../deletion-requests/deletion-request-position';
import { operatorOf } from '../lifecycle/operator';
import { tenantBySlugOrId } from '../routes/admin-tenant-param';
import { adminDoc as doc, adminKeyScope, isoTime as iso, requireAdmin } from './admin-api-access';
import { tenantJson, tenantParams, tenantSchema } from './admin-tenant-json';

const listQuery = z.object(pageQuery(50, DELETION_REQUEST_CURSOR_LENGTH));
const pendingPageFields = { next_cursor: z.string().nullable(), has_more: z.boolean().describe('Whether next_cursor leads to more (kept for older clients)') };
const declineBody = declineSchema.strict();
const pendingSchema = z.object({
  tenant: z.object({ id: z.string(), slug: z.string(), name: z.string(), status: z.string() }),
  requested_by: z.string().describe('The id of the owner who asked'),
  requester_name: z.string(),
  requested_at: z.string(),
  reason: z.string().nullable(),
});

function pendingJson(r: PendingDeletionRequest) {
  return {
    tenant: { id: r.tenant_id, slug: r.tenant_slug, name: r.tenant_name, status: r.tenant_status },
    requested_by: r.requested_by,
    requester_name: r.requester_name,
    requested_at: iso(r.requested_at) as string,
    reason: r.reason,
  };
}

/**
 * Workspaces' pending deletion requests for super admins (decision 056): the console dashboard's
 * list, and its decline with a note (decline-deletion-request.ts). A request is granted by archiving
 * (`POST /tenants/:id/archive`), which ends it.
 */
export function addAdminDeletionRequestRoutes(router: Router, platform: ControlPlane, catalogue: Pick<ApiCatalogue, 'add'>): void {
  const tenants = requireAdmin(platform, 'admin.tenants');
  const scope = adminKeyScope(platform);

  catalogue.add(
    'get',
    '/deletion-requests',
    doc(
      {
        summary: 'List pending deletion requests',
        description:
          'Workspaces whose owners asked for them to be deleted, oldest first. Archive the tenant to grant one (the archive ends it), or decline it with a note. Paged by cursor: send `next_cursor` as `cursor` for the next page (null on the last); `has_more` says the same as a non-null `next_cursor`.',
        scope: 'admin.tenants',
        query: listQuery,
        responses: { 200: { description: 'The pending requests, oldest first', schema: z.object({ data: z.array(pendingSchema), ...pendingPageFields }) } },
      },
      'Admin',
    ),
  );
  router.get('/deletion-requests', tenants, (req, res) => {
    const { limit, cursor } = parseQuery(listQuery, req.query);
    const after = cursorPosition(cursor, parseDeletionRequestCursor);
    const rows = new DeletionRequestRepository(platform.db).listPending(limit + 1, after);
    const { page, nextCursor } = pageOf(rows, limit, deletionRequestCursor);
    res.json({ data: page.map(pendingJson), next_cursor: nextCursor, has_more: nextCursor !== null });
  });

  catalogue.add(
    'post',
    '/tenants/:id/decline-deletion',
    doc(
      {
        summary: "Decline a tenant's deletion request",
        description:
          'Ends the pending request with a note (required, one line, at most 500 characters) that the owner who asked is mailed; the tenant is not touched. The same decline sent again by the same token moments after is answered as done; with no request pending otherwise, 409.',
        scope: 'admin.tenants',
        params: tenantParams,
        body: declineBody,
        idempotent: true,
        responses: { 200: { description: 'The tenant, its request ended', schema: z.object({ data: tenantSchema }) } },
      },
      'Admin',
    ),
  );
  router.post('/tenants/:id/decline-deletion', tenants, (req, res) =>
    runIdempotent(scope(req), req, res, () => {
      const tenant = tenantBySlugOrId(platform, String(req.params.id));
      res.json({ data: tenantJson(declineDeletionRequest(platform, tenant.id, onlyKnownFields(declineBody, req.body), operatorOf(req))) });
    }),
  );
}
