import { Router, type Request, type RequestHandler } from 'express';
import type { Platform } from '../../app/create-platform';
import { requireSuperAdmin, requireUser } from '../http/require-user';
import { formView } from '../../core/http/form-view';
import { parseInput } from '../../core/http/parse-input';
import { ValidationError } from '../../core/errors/app-errors';
import { adminAuditFilterSchema } from '../audit/audit-filter';
import { auditActions, auditBatches, auditPage, type AuditScope } from '../audit/audit-query';
import { sendAuditCsv } from '../audit/audit-csv';
import { csvFilename, trailLocals } from './audit-trail-view';

/** Super admins read every tenant's trail and the platform's own events (sign-ins, refusals). */
export function adminAuditRoutes(platform: Platform): Router {
  const router = Router();
  router.use(requireUser, requireSuperAdmin);
  const knex = platform.db.knex;

  const parse = (req: Request) => {
    const filter = parseInput(adminAuditFilterSchema, req.query);
    if (!filter.tenant) return { filter, scope: { allTenants: true } as AuditScope };
    const tenant = platform.tenants.findBySlug(filter.tenant);
    if (!tenant) throw ValidationError.single('tenant', 'is not a known workspace');
    return { filter, scope: { tenantId: tenant.id } as AuditScope };
  };
  const base = async () => ({ title: 'Audit trail (all workspaces)', path: '/admin/audit', allTenants: true, actions: await auditActions(knex, { allTenants: true }) });

  const filterForm: RequestHandler = async (req, res, next) => {
    formView('audit/trail', trailLocals(req, await base()))(req, res, next);
  };

  router.get('/audit', filterForm, async (req, res) => {
    const { filter, scope } = parse(req);
    const result = await auditPage(knex, scope, filter);
    res.render('audit/trail', { ...trailLocals(req, await base(), filter, result), values: {}, errors: {} });
  });

  router.get('/audit.csv', async (req, res) => {
    const { filter, scope } = parse(req);
    await sendAuditCsv(res, csvFilename(filter.tenant ?? 'all'), auditBatches(knex, scope, filter));
  });

  return router;
}
