import { Router, type Request } from 'express';
import type { ControlPlane } from '../control-plane';
import { requireSuperAdmin, requireUser } from '../http/require-user';
import { formView } from '../../core/http/form-view';
import { parseInput } from '../../core/http/parse-input';
import { ValidationError } from '../../core/errors/app-errors';
import { adminAuditFilterSchema } from '../audit/audit-filter';
import { auditActions, auditBatches, auditPage, type AuditScope } from '../audit/audit-query';
import { sendAuditCsv } from '../audit/audit-csv';
import { csvFilename, loadAuditTrailPage, type TrailBase } from '../pages/audit-trail-page';

/** Super admins read every tenant's trail and the platform's own events (sign-ins, refusals). */
export function adminAuditRoutes(platform: ControlPlane): Router {
  const router = Router();
  router.use(requireUser, requireSuperAdmin);

  const parse = (req: Request) => {
    const filter = parseInput(adminAuditFilterSchema, req.query);
    if (!filter.tenant) return { filter, scope: { allTenants: true } as AuditScope };
    const tenant = platform.tenants.findBySlug(filter.tenant);
    if (!tenant) throw ValidationError.single('tenant', 'is not a known workspace');
    return { filter, scope: { tenantId: tenant.id } as AuditScope };
  };
  const base = (): TrailBase => ({
    title: 'Audit trail (all workspaces)',
    zone: 'UTC',
    path: '/admin/audit',
    allTenants: true,
    actions: auditActions(platform.db, { allTenants: true }),
  });

  router.get(
    '/audit',
    (req, res, next) => formView('audit/trail', () => loadAuditTrailPage(req, base()))(req, res, next),
    (req, res) => {
      const { filter, scope } = parse(req);
      const result = auditPage(platform.db, scope, filter);
      res.render('audit/trail', { ...loadAuditTrailPage(req, base(), filter, result), values: {}, errors: {} });
    },
  );

  router.get('/audit.csv', async (req, res) => {
    const { filter, scope } = parse(req);
    await sendAuditCsv(res, csvFilename(filter.tenant ?? 'all'), auditBatches(platform.db, scope, filter));
  });

  return router;
}
