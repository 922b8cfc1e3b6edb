import { once } from 'node:events';
import { parseInput } from '../../core/http/parse-input';
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
    for (const chunk of exportItemsCsv(ctx.db, filter)) {
      if (!res.write(chunk)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
      if (res.destroyed) return; // the client went away: stop reading the tenant's rows
    }
    res.end();
  });
}
