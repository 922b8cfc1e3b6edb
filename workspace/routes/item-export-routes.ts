import { parseInput } from '../../core/http/parse-input';
import { sendChunks } from '../../core/http/send-chunks';
import type { TenantRouteTable } from '../../tenant-runtime/tenant-route-table';
import { itemFilterSchema } from '../items/item-schemas';
import { exportItemsCsv } from '../items/csv/export-csv';

export function itemExportRoutes(table: TenantRouteTable): void {
  // The list's filters apply; the rows come from this tenant's file only, a batch at a time.
  table.get('/items.csv', { permission: 'data.export', feature: 'csv' }, async (ctx, req, res) => {
    const filter = parseInput(itemFilterSchema, req.query);
    ctx.audit({ action: 'items.export', targetType: 'items', targetId: null, after: { filter } });
    const day = new Date().toISOString().slice(0, 10).replace(/-/g, '');
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.attachment(`items-${ctx.tenant.slug}-${day}.csv`);
    res.setHeader('Cache-Control', 'no-store');
    // A client that goes away stops the reading of the tenant's rows.
    await sendChunks(res, exportItemsCsv(ctx.db, filter));
  });
}
