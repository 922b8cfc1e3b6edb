import type { Request, RequestHandler } from 'express';
import type { Platform } from '../../app/create-platform';
import { NotFoundError } from '../../core/errors/app-errors';
import { parseInput } from '../../core/http/parse-input';
import { formView } from '../../core/http/form-view';
import { auditFilterSchema } from '../audit/audit-filter';
import { auditActions, auditBatches, auditPage, type AuditScope } from '../audit/audit-query';
import { sendAuditCsv } from '../audit/audit-csv';
import { csvFilename, trailLocals } from './audit-trail-view';
import type { TenantRouteTable } from '../../tenant-runtime/tenant-route-table';

function tenantOf(req: Request) {
  if (!req.tenant) throw new NotFoundError();
  return req.tenant;
}

/**
 * The workspace's audit trail: the control plane's events recorded with this tenant's id.
 * The scope comes from the tenant whose membership was proven, never from the query.
 */
export function auditRoutes(table: TenantRouteTable, platform: Platform): void {
  const knex = platform.db.knex;
  const scopeOf = (req: Request): AuditScope => ({ tenantId: tenantOf(req).id });
  const baseOf = async (req: Request) => ({ title: 'Audit trail', path: `/t/${tenantOf(req).slug}/audit`, allTenants: false, actions: await auditActions(knex, scopeOf(req)) });

  /** Refused filters re-show the page, empty, with each field's reason (400). */
  const filterForm: RequestHandler = async (req, res, next) => {
    formView('audit/trail', trailLocals(req, await baseOf(req)))(req, res, next);
  };

  table.get('/audit', 'audit.view', filterForm, async (req, res) => {
    const filter = parseInput(auditFilterSchema, req.query);
    const result = await auditPage(knex, scopeOf(req), filter);
    res.render('audit/trail', { ...trailLocals(req, await baseOf(req), filter, result), values: {}, errors: {} });
  });

  table.get('/audit.csv', 'audit.view', async (req, res) => {
    const filter = parseInput(auditFilterSchema, req.query);
    await sendAuditCsv(res, csvFilename(tenantOf(req).slug), auditBatches(knex, scopeOf(req), filter));
  });
}
