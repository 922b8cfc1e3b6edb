import { z } from 'zod';
import type { Router } from 'express';
import { parseInput } from '../../core/http/parse-input';
import { apiRevisionField } from '../../core/http/revision-form';
import type { ApiCatalogue } from '../../core/http/api-operation';
import type { ControlPlane } from '../control-plane';
import { operatorOf } from '../audit/operator';
import { renameTenantSchema, renameTenant } from '../tenants/rename-tenant';
import { adminDoc as doc, requireAdmin } from './admin-api-access';
import { tenantBySlugOrId } from '../routes/admin-tenant-param';
import { tenantJson, tenantParams, tenantSchema } from './admin-tenant-json';

const renameBody = renameTenantSchema
  .extend({
    revision: apiRevisionField(
      'The `revision` you read. If the tenant changed since, nothing is changed and the answer is 409 revision_conflict with current_revision. Without it the rename applies to whatever is current.',
    ),
  })
  .strict();
/**
 * `PATCH /api/v1/admin/tenants/:id`: a super admin renames a tenant (its name, its slug, or both),
 * through the console's and the CLI's command, with its `tenant.rename` audit record.
 */
export function addAdminRenameRoutes(router: Router, platform: ControlPlane, catalogue: Pick<ApiCatalogue, 'add'>): void {
  catalogue.add(
    'patch',
    '/tenants/:id',
    doc(
      {
        summary: 'Rename a tenant',
        description:
          "Changes the fields sent: `name` (the tenant's name and, when its admins set a display name of their own, that one too) and `slug` (the creation's rules; one another live tenant holds is a 400 on `slug`). The old slug answers 404 from then on and is free to be taken; sessions and API tokens of the tenant keep working (they name its id). Only an active or suspended tenant is renamed (409 otherwise). A rename that changes nothing is answered as done and writes nothing.",
        scope: 'admin.tenants',
        params: tenantParams,
        body: renameBody,
        responses: { 200: { description: 'The tenant as renamed', schema: z.object({ data: tenantSchema }) } },
      },
      'Admin',
    ),
  );
  router.patch('/tenants/:id', requireAdmin(platform, 'admin.tenants'), async (req, res) => {
    const tenant = tenantBySlugOrId(platform, String(req.params.id));
    const { revision, ...fields } = parseInput(renameBody, req.body ?? {});
    const renamed = await renameTenant(platform, tenant.id, fields, operatorOf(req), { revision });
    res.json({ data: tenantJson(renamed.tenant) });
  });
}
