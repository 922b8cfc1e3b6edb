import { z } from 'zod';
import type { Request, Router } from 'express';
import { NotFoundError } from '../../core/errors/app-errors';
import { parseInput } from '../../core/http/parse-input';
import { runIdempotent } from '../../core/http/idempotent';
import type { ApiCatalogue } from '../../core/http/api-operation';
import type { ControlPlane } from '../control-plane';
import { FEATURE_KEYS, LIMIT_KEYS, LIMITS } from '../../tenant-runtime/plan-catalogue';
import { changeTenantOverrides, clearTenantOverrides, offeredPlanKey, setTenantPlan } from '../plans/manage-plans';
import { tenantEntitlements } from '../plans/tenant-entitlements';
import { operatorOf } from '../audit/operator';
import type { TenantRecord } from '../tenants/tenant-record';
import { adminDoc as doc, adminKeyScope, requireAdmin } from './admin-api-access';
import { tenantBySlugOrId } from '../routes/admin-tenant-param';
import { apiRevisionField } from '../../core/http/revision-form';

const WHOLE = { error: 'must be a whole number from 0, or null for unlimited' };
const limitValue = (key: (typeof LIMIT_KEYS)[number]) =>
  z
    .number(WHOLE)
    .int(WHOLE)
    .min(0, WHOLE)
    .max(Number.MAX_SAFE_INTEGER, WHOLE)
    .nullable()
    .describe(LIMITS[key].unit === 'bytes' ? 'Bytes, or null for unlimited' : 'A whole number, or null for unlimited');
const limitsShape = Object.fromEntries(LIMIT_KEYS.map((key) => [key, limitValue(key)])) as Record<(typeof LIMIT_KEYS)[number], ReturnType<typeof limitValue>>;
const featuresShape = Object.fromEntries(FEATURE_KEYS.map((key) => [key, z.boolean({ error: 'must be true or false' })])) as Record<
  (typeof FEATURE_KEYS)[number],
  z.ZodBoolean
>;

const overridesSchema = z.object({ limits: z.object(limitsShape).partial(), features: z.object(featuresShape).partial() });
const entitlementsSchema = z.object({
  plan: z.object({ key: z.string(), name: z.string() }),
  limits: z.object(limitsShape).describe("In effect: the plan's values with the overrides"),
  features: z.object(featuresShape).describe("In effect: the plan's values with the overrides"),
  overrides: overridesSchema.describe("The tenant's own values, replacing the plan's"),
  revision: z.number().int().describe('Raised by each change of the tenant (its plan and overrides among them): send it back with a change'),
});
const answer = { 200: { description: "The tenant's plan and limits, as they now apply", schema: z.object({ data: entitlementsSchema }) } };

const revisionField = apiRevisionField(
  'The `revision` you read. If the tenant changed since, nothing is changed and the answer is 409 revision_conflict with current_revision. Without it the change applies to whatever is current.',
);
/** Strict bodies: a field (or a limit or feature key) the request does not take is a 400 naming it. */
const planBody = z.strictObject({ plan: z.string().describe('The key of an existing plan'), revision: revisionField });
const overridesBody = z.strictObject({
  limits: z.strictObject(limitsShape).partial().optional(),
  features: z.strictObject(featuresShape).partial().optional(),
  revision: revisionField,
});
const clearBody = z.strictObject({
  keys: z
    .array(z.string().max(100))
    .max(LIMIT_KEYS.length + FEATURE_KEYS.length)
    .optional()
    .describe(
      `Limit or feature keys whose override to remove; none or an empty list: all (limits: ${LIMIT_KEYS.join(', ')}; features: ${FEATURE_KEYS.join(', ')})`,
    ),
});
const tenantParams = z.object({ id: z.string().describe('The tenant id (t...) or its slug') });

/**
 * A tenant's plan and limits in the admin API (/api/v1/admin/tenants/:id/plan, /overrides), through
 * the console's and the CLI's commands: the same rules, the same `tenant.plan` and
 * `tenant.overrides` audit records, applied from the tenant's next request.
 */
export function addAdminPlanRoutes(router: Router, platform: ControlPlane, catalogue: Pick<ApiCatalogue, 'add'>): void {
  const tenants = requireAdmin(platform, 'admin.tenants');
  const scope = adminKeyScope(platform);
  // By slug, or by id; a purged tenant (a tombstone) has no plan any more: 404, as the console shows none.
  const tenantOf = (req: Request): TenantRecord => {
    const tenant = tenantBySlugOrId(platform, String(req.params.id));
    if (tenant.status === 'purged') throw new NotFoundError('No such tenant.');
    return tenant;
  };
  const answerWith = (req: Request, work: (tenant: TenantRecord) => void) => {
    const tenant = tenantOf(req);
    work(tenant);
    return { data: tenantEntitlements(platform, tenant.id) };
  };

  catalogue.add(
    'get',
    '/tenants/:id/plan',
    doc({ summary: "Read a tenant's plan and limits", scope: 'admin.tenants', params: tenantParams, responses: answer }, 'Admin'),
  );
  router.get('/tenants/:id/plan', tenants, (req, res) => {
    res.json(answerWith(req, () => {}));
  });

  catalogue.add(
    'post',
    '/tenants/:id/plan',
    doc(
      {
        summary: 'Put a tenant on a plan',
        description:
          'Its overrides stay. A key that names no plan is a 400 on `plan`, changing nothing. Send the `revision` you read: if the tenant changed since, the answer is 409 revision_conflict and nothing is changed, unless the change would change nothing (sent again once made): that is answered as done.',
        scope: 'admin.tenants',
        params: tenantParams,
        body: planBody,
        idempotent: true,
        responses: answer,
      },
      'Admin',
    ),
  );
  router.post('/tenants/:id/plan', tenants, (req, res) =>
    runIdempotent(scope(req), req, res, () => {
      res.json(
        answerWith(req, (tenant) => {
          const { plan, revision } = parseInput(planBody, req.body);
          setTenantPlan(platform, operatorOf(req), tenant, offeredPlanKey(platform, plan), { revision });
        }),
      );
    }),
  );

  catalogue.add(
    'post',
    '/tenants/:id/overrides',
    doc(
      {
        summary: "Override limits or features of a tenant's plan",
        description:
          'For this tenant only; those given are set, the others kept (`tenantry tenants set-limits`). A limit is a whole number (bytes for `storage_bytes`) or null for unlimited; a feature true or false. Send the `revision` you read: if the tenant changed since, the answer is 409 revision_conflict and nothing is changed, unless the change would change nothing (sent again once made): that is answered as done.',
        scope: 'admin.tenants',
        params: tenantParams,
        body: overridesBody,
        idempotent: true,
        responses: answer,
      },
      'Admin',
    ),
  );
  router.post('/tenants/:id/overrides', tenants, (req, res) =>
    runIdempotent(scope(req), req, res, () => {
      res.json(
        answerWith(req, (tenant) => {
          const { limits = {}, features = {}, revision } = parseInput(overridesBody, req.body);
          changeTenantOverrides(platform, operatorOf(req), tenant, { limits, features }, 'merge', { revision });
        }),
      );
    }),
  );

  catalogue.add(
    'post',
    '/tenants/:id/overrides/clear',
    doc(
      {
        summary: "Remove a tenant's overrides",
        description:
          "Those named in `keys`, or all of them: the plan's values apply again (`tenantry tenants clear-limits`). An unknown key is a 400 on `keys`, changing nothing.",
        scope: 'admin.tenants',
        params: tenantParams,
        body: clearBody,
        idempotent: true,
        responses: answer,
      },
      'Admin',
    ),
  );
  router.post('/tenants/:id/overrides/clear', tenants, (req, res) =>
    runIdempotent(scope(req), req, res, () => {
      res.json(
        answerWith(req, (tenant) => {
          const { keys = [] } = parseInput(clearBody, req.body);
          clearTenantOverrides(platform, operatorOf(req), tenant, keys);
        }),
      );
    }),
  );
}
