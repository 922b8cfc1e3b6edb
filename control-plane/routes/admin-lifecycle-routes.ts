import { Router, type Request, type Response } from 'express';
import type { ControlPlane } from '../control-plane';
import { formView } from '../../core/http/form-view';
import { addOwner } from '../lifecycle/add-owner';
import { archiveTenant } from '../lifecycle/archive-tenant';
import { discardTenant } from '../lifecycle/discard-tenant';
import { declineDeletionRequest } from '../deletion-requests/decline-deletion-request';
import { formOperatorOf } from '../lifecycle/operator';
import { purgeTenant } from '../lifecycle/purge-tenant';
import { recoverTenant } from '../lifecycle/recover-tenant';
import { restoreTenant } from '../lifecycle/restore-tenant';
import { retryProvisioning } from '../lifecycle/retry-provisioning';
import { resumeTenant, suspendTenant } from '../lifecycle/suspend-tenant';
import type { TenantRecord } from '../tenants/tenant-record';
import { loadTenantDetailPage, type TenantDetailSources } from '../pages/tenant-detail-page';
import { tenantOfParam, tenantOrJustPurged, tenantPagePath } from './admin-tenant-param';
import { renameTenant } from '../tenants/rename-tenant';
import { operatorOf as auditOperatorOf } from '../audit/operator';
import { parseInput } from '../../core/http/parse-input';
import { revisionFormSchema } from '../../core/http/revision-form';
import { createdPage, ownerInvitedPage, redirectToShownOnce, shownOncePage, type OwnerInvitedPage } from './admin-shown-once';

/**
 * The lifecycle steps of one tenant (`/admin/tenants/<slug>/<step>`), each a thin route: the
 * command checks the transition table, asks for the typed slug where the table says so,
 * and audits. A refused form shows the tenant page again with the field and the reason.
 */
export function adminLifecycleRoutes(platform: ControlPlane, sources: TenantDetailSources): Router {
  const router = Router({ mergeParams: true });
  // The tenant is looked up before the step (an unknown one is a 404); the page loader runs only
  // if the input is refused, in the error handler, where express has already reset req.params.
  // The page names the form sent (the step), which alone gets back what was typed.
  type Find = (platform: ControlPlane, req: Request) => TenantRecord;
  const page = (req: Request, form: string, find: Find = tenantOfParam) => {
    const { id } = find(platform, req);
    return formView('admin/tenant-detail', () => ({
      ...loadTenantDetailPage(platform, platform.tenants.findById(id) as TenantRecord, sources),
      sentForm: form,
    }));
  };
  const done = (res: Response, tenant: TenantRecord, step: string) => res.redirect(303, `${tenantPagePath(tenant)}?done=${step}`);
  const step = (name: string, run: (tenant: TenantRecord, req: Request) => Promise<TenantRecord> | TenantRecord, find: Find = tenantOfParam) =>
    router.post(
      `/${name}`,
      (req, res, next) => page(req, name, find)(req, res, next),
      async (req, res) => done(res, await run(find(platform, req), req), name),
    );

  // Sent from the console's forms: the same step sent again moments after is answered with what the first did.
  step('suspend', (tenant, req) => suspendTenant(platform, tenant.id, req.body, formOperatorOf(req)));
  step('resume', (tenant, req) => resumeTenant(platform, tenant.id, formOperatorOf(req)));
  step('archive', (tenant, req) => archiveTenant(platform, tenant.id, req.body, formOperatorOf(req)));
  step('restore', (tenant, req) => restoreTenant(platform, tenant.id, formOperatorOf(req)));
  // A purge or discard sent again finds the tenant the first one purged moments ago, whose slug is free now.
  step('purge', (tenant, req) => purgeTenant(platform, tenant.id, req.body, formOperatorOf(req)), tenantOrJustPurged);
  step('discard', (tenant, req) => discardTenant(platform, tenant.id, req.body, formOperatorOf(req)), tenantOrJustPurged);
  // Posted to the tenant's id, so the same form sent again (a double click) still finds it under its new slug: a rename that changes nothing.
  step('rename', async (tenant, req) => {
    const { revision } = parseInput(revisionFormSchema, req.body);
    return (await renameTenant(platform, tenant.id, req.body, auditOperatorOf(req), { revision })).tenant;
  });
  step('recover', (tenant, req) => recoverTenant(platform, tenant.id, formOperatorOf(req)));
  // A workspace's deletion request is answered by archiving it (above), or declined with a note.
  step('decline-deletion', (tenant, req) => declineDeletionRequest(platform, tenant.id, req.body, formOperatorOf(req)));

  router.post(
    '/retry',
    (req, res, next) => page(req, 'retry')(req, res, next),
    async (req, res) => {
      const created = await retryProvisioning(platform, tenantOfParam(platform, req).id, formOperatorOf(req));
      // The same retry sent again: the page the first one left in the session shows its link.
      if (created.repeated) return res.redirect(303, `${tenantPagePath(created.tenant)}/created`);
      redirectToShownOnce(req, res, created.tenant, 'created', createdPage(`Provisioned ${created.tenant.name}`, created));
    },
  );

  router.post(
    '/owners',
    (req, res, next) => page(req, 'owners')(req, res, next),
    async (req, res) => {
      const added = await addOwner(platform, tenantOfParam(platform, req).id, req.body, formOperatorOf(req));
      // The same invitation sent again: the page the first one left in the session shows its link.
      if (added.invitationRepeated) return res.redirect(303, `${tenantPagePath(added.tenant)}/owner-invited`);
      if (!added.invitation) return done(res, added.tenant, 'owner');
      redirectToShownOnce(req, res, added.tenant, 'owner-invited', ownerInvitedPage({ ...added, invitation: added.invitation }));
    },
  );
  router.get(
    '/owner-invited',
    shownOncePage<OwnerInvitedPage>(platform, 'owner-invited', (res, tenant, added) =>
      res.render('admin/owner-invited', { title: `Owner invitation for ${tenant.name}`, added, transport: platform.mailer.transport }),
    ),
  );
  return router;
}
