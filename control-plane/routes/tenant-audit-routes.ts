import { msg } from '../../core/i18n/message';
import type { Request } from 'express';
import { parseInput } from '../../core/http/parse-input';
import type { TenantRouteTable } from '../../tenant-runtime/tenant-route-table';
import type { TenantRequestContext } from '../../tenant-runtime/tenant-request-context';
import type { ControlPlane } from '../control-plane';
import { auditFilterSchema } from '../audit/audit-filter';
import { auditActions, auditBatches, auditPage, type AuditScope } from '../audit/audit-query';
import { sendAuditCsv } from '../audit/audit-csv';
import { csvFilename, loadAuditTrailPage, type TrailBase } from '../pages/audit-trail-page';

/**
 * The workspace's audit trail: the control plane's events recorded with this tenant's id.
 * The scope comes from the tenant whose membership was proven, never from the query.
 */
export function tenantAuditRoutes(table: TenantRouteTable, platform: ControlPlane): void {
  const scopeOf = (ctx: TenantRequestContext): AuditScope => ({ tenantId: ctx.tenant.id });
  const baseOf = (ctx: TenantRequestContext): TrailBase => ({
    title: msg('Audit trail'),
    zone: ctx.branding.timeZone,
    path: ctx.url('/audit'),
    allTenants: false,
    actions: auditActions(platform.db, scopeOf(ctx)),
  });
  /** Refused filters re-show the page, empty, with each field's reason (400). */
  const form = { view: 'audit/trail', load: (ctx: TenantRequestContext, req: Request) => loadAuditTrailPage(req, baseOf(ctx)) };

  table.get('/audit', { permission: 'audit.view', form }, (ctx, req, res) => {
    const filter = parseInput(auditFilterSchema(ctx.branding.timeZone), req.query);
    const result = auditPage(platform.db, scopeOf(ctx), filter);
    res.render('audit/trail', { ...loadAuditTrailPage(req, baseOf(ctx), filter, result), values: {}, errors: {} });
  });

  table.get('/audit.csv', 'audit.view', async (ctx, req, res) => {
    const filter = parseInput(auditFilterSchema(ctx.branding.timeZone), req.query);
    await sendAuditCsv(res, csvFilename(ctx.tenant.slug), auditBatches(platform.db, scopeOf(ctx), filter));
  });
}
