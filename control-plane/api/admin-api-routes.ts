import { Router, type Request } from 'express';
import { z } from 'zod';
import { noQuery, onlyKnownFields, parseQuery } from '../../core/http/parse-input';
import { runIdempotentAsync, runIdempotent } from '../../core/http/idempotent';
import type { ApiCatalogue } from '../../core/http/api-operation';
import type { ControlPlane } from '../control-plane';
import { createTenant, createTenantSchema, firstOwnerFound, type FirstOwnerFound } from '../tenants/create-tenant';
import { isMade } from '../tenants/repeated-creation';
import { resumeTenant, suspendSchema, suspendTenant } from '../lifecycle/suspend-tenant';
import { archiveBodySchema, archiveTenant } from '../lifecycle/archive-tenant';
import { restoreTenant } from '../lifecycle/restore-tenant';
import { purgeTenant } from '../lifecycle/purge-tenant';
import { confirmSlugSchema } from '../lifecycle/confirm-slug';
import { operatorOf as lifecycleOperatorOf } from '../lifecycle/operator';
import type { TenantRecord } from '../tenants/tenant-record';
import { listTenantsPage, tenantListSchema, TENANT_PAGE_SIZE } from '../tenants/tenant-list-query';
import type { SessionRows } from '../users/change-user-status';
import { addAdminUserRoutes } from './admin-user-api-routes';
import { addAdminPlanRoutes } from './admin-plan-api-routes';
import { addAdminRenameRoutes } from './admin-rename-api-routes';
import { addAdminOwnerRoutes } from './admin-owner-api-routes';
import { addAdminDeletionRequestRoutes } from './admin-deletion-request-api-routes';
import { addAdminBackupRoutes, restoreAnswers, restoreBody, restoreFromNamedBackup } from './admin-backup-api-routes';
import { adminDoc as doc, adminKeyScope, requireAdmin } from './admin-api-access';
import { tenantBySlugOrId } from '../routes/admin-tenant-param';
import { tenantJson, tenantParams, tenantSchema } from './admin-tenant-json';

/**
 * The bodies of the console's commands, strict as every API body: a field the command does not take
 * is a 400 naming it (onlyKnownFields), and the document says so (additionalProperties: false).
 * The commands' own schemas stay lax: the console's forms also carry their CSRF token.
 */
const createBody = createTenantSchema.strict();
const suspendBody = suspendSchema.strict();
const archiveBody = archiveBodySchema.strict();
const purgeBody = confirmSlugSchema.strict();
/** What a retry of a creation cut off says of the owner's invitation, whose link only the first answer had. */
const LINK_NOT_KEPT =
  "The invitation link is shown only in the first answer and is never stored. Send the invitation again for a new link (the old one stops working): POST /api/v1/admin/tenants/<id>/owners with the same address, or the console's Add owner.";

/**
 * Super admins only, with the page's 404 for anyone else (the API does not show it exists). A token
 * must be a personal token for every workspace holding the scope, and its user still a super admin.
 */

/** The super-admin part of the REST API (/api/v1/admin): tenants (their lifecycle, plan and limits included) and users, through the console's commands. */
export function adminApiRoutes(platform: ControlPlane, sessions: SessionRows, catalogue: Pick<ApiCatalogue, 'add'>): Router {
  const router = Router();
  const tenants = requireAdmin(platform, 'admin.tenants');
  const scope = adminKeyScope(platform);

  catalogue.add(
    'get',
    '/tenants',
    doc(
      {
        summary: 'List tenants',
        description: "The console's list: a search in slug and name, one status (purged tombstones only when asked for), a sort.",
        scope: 'admin.tenants',
        query: tenantListSchema,
        responses: {
          200: {
            description: `${TENANT_PAGE_SIZE} a page, by slug unless sorted otherwise`,
            schema: z.object({ data: z.array(tenantSchema), page: z.number().int(), pages: z.number().int(), total: z.number().int() }),
          },
        },
      },
      'Admin',
    ),
  );
  router.get('/tenants', tenants, (req, res) => {
    const page = listTenantsPage(platform.db, parseQuery(tenantListSchema, req.query));
    res.json({ data: page.rows.map(tenantJson), page: page.page, pages: page.pages, total: page.total });
  });

  catalogue.add(
    'post',
    '/tenants',
    doc(
      {
        summary: 'Create a tenant',
        description:
          'An existing user named as owner joins at once; a new address gets an invitation, mailed to them (`invitation_mailed` says whether the mail went out) and its link in the answer this once.',
        scope: 'admin.tenants',
        body: createBody,
        idempotent: true,
        responses: {
          201: {
            description: 'The new tenant',
            schema: z.object({
              data: tenantSchema,
              owner_added: z.string().optional().describe('The address of an existing account named as owner, now the owner'),
              invitation_url: z
                .string()
                .nullable()
                .optional()
                .describe(
                  "The new owner's invitation link, in the first answer only. null in a retry answered after the creation was cut off, or in the same creation sent again by the same token moments after the first (a double submit, answered with the first one's tenant; another token's is refused as the slug is taken): the link is never stored (see invitation_resend_required)",
                ),
              invitation_mailed: z.boolean().optional().describe('Whether the invitation mail went out (first answer only)'),
              invitation_resend_required: z
                .literal(true)
                .optional()
                .describe("Set with invitation_url null: the owner's invitation is pending but its link is not in this answer; send it again for a new link"),
              invitation_note: z.string().optional().describe('With invitation_resend_required: how to send the invitation again'),
            }),
          },
        },
      },
      'Admin',
    ),
  );
  /**
   * A creation cut off (decision 024): the tenant of the body's slug, made by this admin and finished (the next start finishes one
   * cut off half way), with its owner as the first answer had it, except the invitation's link: never stored, so the answer says
   * so (`invitation_url: null`) and how to get a new one.
   */
  const foundAnswer = (tenant: TenantRecord, owner: FirstOwnerFound) => ({
    data: tenantJson(tenant),
    ...(owner.ownerAdded ? { owner_added: owner.ownerAdded } : {}),
    ...(owner.invitationPending ? { invitation_url: null, invitation_resend_required: true as const, invitation_note: LINK_NOT_KEPT } : {}),
  });
  const createdBefore = (req: Request) => {
    const body = req.body as { slug?: unknown; owner_email?: unknown } | undefined;
    const tenant = typeof body?.slug === 'string' ? platform.tenants.findBySlug(body.slug) : undefined;
    if (!tenant || !isMade(tenant) || tenant.created_by !== (req.user?.id ?? null)) return undefined;
    return { status: 201, body: foundAnswer(tenant, firstOwnerFound(platform, tenant, body?.owner_email)) };
  };
  router.post('/tenants', tenants, (req, res) =>
    runIdempotentAsync(
      scope(req),
      req,
      res,
      async () => {
        const created = await createTenant(platform, onlyKnownFields(createBody, req.body), lifecycleOperatorOf(req));
        // The same creation sent again moments after by the same token (without a key, or under another): the first one's tenant.
        if (created.repeated) return res.status(201).json(foundAnswer(created.tenant, created.repeated));
        res.status(201).json({
          data: tenantJson(created.tenant),
          ...(created.ownerAdded ? { owner_added: created.ownerAdded } : {}),
          ...(created.invitation ? { invitation_url: created.invitation.url, invitation_mailed: Boolean(created.invitation.mailed) } : {}),
        });
      },
      { afterCutOff: () => createdBefore(req) },
    ),
  );

  // By slug while the tenant holds one, or by id (which also reaches a tombstone); anything else is a 404.
  const tenantOf = (idOrSlug: string): TenantRecord => tenantBySlugOrId(platform, idOrSlug);

  catalogue.add(
    'get',
    '/tenants/:id',
    doc(
      {
        summary: 'Read a tenant',
        description: 'By its slug, or by its id (which also reaches a purged tenant), with how many members it has.',
        scope: 'admin.tenants',
        params: tenantParams,
        query: noQuery,
        responses: { 200: { description: 'The tenant', schema: z.object({ data: tenantSchema.extend({ members: z.number().int() }) }) } },
      },
      'Admin',
    ),
  );
  router.get('/tenants/:id', tenants, (req, res) => {
    parseQuery(noQuery, req.query);
    const tenant = tenantOf(String(req.params.id));
    res.json({ data: { ...tenantJson(tenant), members: platform.memberships.countActive(tenant.id) } });
  });
  // Through the transition table, like the console and the CLI: a suspension says why (members read it).
  const lifecycle = {
    suspend: (req: Request) => suspendTenant(platform, tenantOf(String(req.params.id)).id, onlyKnownFields(suspendBody, req.body), lifecycleOperatorOf(req)),
    resume: (req: Request) => resumeTenant(platform, tenantOf(String(req.params.id)).id, lifecycleOperatorOf(req)),
  };
  for (const action of ['suspend', 'resume'] as const) {
    catalogue.add(
      'post',
      `/tenants/:id/${action}`,
      doc(
        {
          summary: `${action === 'suspend' ? 'Suspend' : 'Resume'} a tenant`,
          ...(action === 'suspend'
            ? { description: 'With the reason its members are shown, and optionally the date it resumes by itself (UTC).', body: suspendBody }
            : {}),
          scope: 'admin.tenants',
          params: tenantParams,
          idempotent: true,
          responses: { 200: { description: 'The tenant', schema: z.object({ data: tenantSchema }) } },
        },
        'Admin',
      ),
    );
    router.post(`/tenants/:id/${action}`, tenants, (req, res) =>
      runIdempotent(scope(req), req, res, () => {
        res.json({ data: tenantJson(lifecycle[action](req)) });
      }),
    );
  }

  // The file operations, through the same commands as the console and the CLI: archive and purge
  // are confirmed by the tenant's slug in `confirm` (400 on that field otherwise, nothing changed);
  // a step the transition table does not allow from the tenant's status is a 409.
  const fileSteps = {
    archive: {
      summary: 'Archive a tenant',
      description:
        "Takes the tenant offline for all its members and moves its files to the archive, restorable until `ARCHIVE_RETENTION_DAYS` have passed (then purged). Confirmed by the tenant's slug in `confirm`; an optional `note` is kept with the archive.",
      body: archiveBody,
      run: (req: Request) => archiveTenant(platform, tenantOf(String(req.params.id)).id, onlyKnownFields(archiveBody, req.body), lifecycleOperatorOf(req)),
      done: (t: TenantRecord) => t.status === 'archived',
    },
    restore: {
      summary: 'Restore an archived tenant, or a tenant from a backup',
      description:
        "Without `backup`: brings an archived tenant back as it was (a suspension with its reason and end date included), with its data, members and roles. With `backup` (one of the tenant's backups; another tenant's is a 404): replaces an active, suspended or damaged tenant's data with that backup's, as the console's restore does: verified first, then the tenant is offline (503 to members) for the seconds the swap takes, migrated if the backup is behind, and the state it replaced is kept as a pre-restore backup. 409 while another restore of it runs, 507 when BACKUP_DIR has no room for the replaced state. A restore cut off is rolled back (or finished) by the next start.",
      body: restoreBody,
      responses: restoreAnswers,
      run: (req: Request) => restoreTenant(platform, tenantOf(String(req.params.id)).id, lifecycleOperatorOf(req)),
      done: (t: TenantRecord) => t.status !== 'archived' && t.status !== 'purged',
    },
    purge: {
      summary: 'Purge an archived tenant',
      description:
        "Removes an archived tenant's files for good, before its restore window ends. Its record stays as a tombstone (reachable by its id) and its slug is free again. Confirmed by the tenant's slug in `confirm`.",
      body: purgeBody,
      run: (req: Request) => purgeTenant(platform, tenantOf(String(req.params.id)).id, onlyKnownFields(purgeBody, req.body), lifecycleOperatorOf(req)),
      done: (t: TenantRecord) => t.status === 'purged',
    },
  };
  const restoreFromBackup = restoreFromNamedBackup(platform);
  // The tenant a cut-off step was sent for: by slug or id as ever, or the tombstone a purge left with the slug.
  const steppedOn = (idOrSlug: string): TenantRecord | undefined => platform.tenants.findBySlugOrId(idOrSlug) ?? platform.tenants.purgedWithSlug(idOrSlug)[0];
  for (const action of ['archive', 'restore', 'purge'] as const) {
    const step = fileSteps[action];
    catalogue.add(
      'post',
      `/tenants/:id/${action}`,
      doc(
        {
          summary: step.summary,
          description: step.description,
          ...(step.body ? { body: step.body } : {}),
          scope: 'admin.tenants',
          params: tenantParams,
          idempotent: true,
          responses: 'responses' in step ? step.responses : { 200: { description: 'The tenant', schema: z.object({ data: tenantSchema }) } },
        },
        'Admin',
      ),
    );
    // A step cut off (killed or failed after it began; the next start finishes its files) is answered with the tenant as it is once it is in the step's state, else run again (decision 024).
    const afterCutOff = (req: Request) => {
      const tenant = steppedOn(String(req.params.id));
      return tenant && step.done(tenant) ? { status: 200, body: { data: tenantJson(tenant) } } : undefined;
    };
    router.post(`/tenants/:id/${action}`, tenants, (req, res) => {
      // A restore naming a backup is a restore from it; any other, the archive's.
      const fromBackup = action === 'restore' ? restoreFromBackup(req, res) : undefined;
      return (
        fromBackup ??
        runIdempotentAsync(
          scope(req),
          req,
          res,
          async () => {
            res.json({ data: tenantJson(await step.run(req)) });
          },
          { afterCutOff: () => afterCutOff(req) },
        )
      );
    });
  }

  addAdminBackupRoutes(router, platform, catalogue);

  addAdminRenameRoutes(router, platform, catalogue);
  addAdminOwnerRoutes(router, platform, catalogue);
  addAdminDeletionRequestRoutes(router, platform, catalogue);
  addAdminPlanRoutes(router, platform, catalogue);
  addAdminUserRoutes(router, platform, sessions, catalogue);
  return router;
}
