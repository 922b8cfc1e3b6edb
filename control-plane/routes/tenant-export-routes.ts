import { msg } from '../../core/i18n/message';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import type { TenantRouteTable } from '../../tenant-runtime/tenant-route-table';
import type { ControlPlane } from '../control-plane';
import { ConflictError } from '../../core/errors/app-errors';
import { exportTenant, exportsWorkRoot } from '../transfer/export-tenant';
import { pausePoint } from '../../core/process/pause-point';

/**
 * The workspace's data to take away (`data.export`: owners and admins): the same archive as
 * `tenantry tenants export` (database snapshot, files, manifest with checksums; no secrets),
 * built on a worker thread and sent as a download. One export per workspace at a time.
 */
export function tenantExportRoutes(table: TenantRouteTable, platform: ControlPlane): void {
  const running = new Set<string>();

  const page = () => ({ title: msg('Export your data') });
  table.get('/export', 'data.export', (_ctx, _req, res) => {
    res.render('tenant/export', page());
  });

  // One already being prepared is said on the page, above its button.
  table.post('/export', { permission: 'data.export', form: { view: 'tenant/export', load: page } }, async (ctx, _req, res) => {
    if (running.has(ctx.tenant.id))
      throw new ConflictError(msg('An export of this workspace is already being prepared. Wait for its download, then try again.'));
    running.add(ctx.tenant.id);
    const file = path.join(exportsWorkRoot(platform.config.dataDir), `download-${crypto.randomBytes(6).toString('hex')}-${process.pid}`);
    try {
      await exportTenant(platform, {
        slug: ctx.tenant.slug,
        out: file,
        actorUserId: ctx.actor.userId,
        client: { ip: ctx.actor.ip, userAgent: ctx.actor.userAgent },
        useWorker: true,
      });
      pausePoint('export:download-ready');
      const name = `${ctx.tenant.slug}-export-${new Date().toISOString().slice(0, 10)}.tar.gz`;
      await new Promise<void>((resolve, reject) => {
        res.download(file, name, { headers: { 'Content-Type': 'application/gzip', 'Cache-Control': 'no-store' }, dotfiles: 'allow' }, (error) =>
          error && !res.headersSent ? reject(error) : resolve(),
        );
      });
    } finally {
      running.delete(ctx.tenant.id);
      fs.rmSync(file, { force: true });
    }
  });
}
