import { Router, type Request, type RequestHandler } from 'express';
import { z } from 'zod';
import type { ControlPlane } from '../control-plane';
import { requireSuperAdmin, requireUser } from '../http/require-user';
import { formView } from '../../core/http/form-view';
import { parseInput } from '../../core/http/parse-input';
import { NotFoundError, ValidationError } from '../../core/errors/app-errors';
import { slugSchema } from '../../tenant-runtime/slug-rules';
import { nameSchema } from '../users/password-rules';
import { backupFleet } from '../backups/backup-fleet';
import { operatorOf } from '../lifecycle/operator';
import { BACKUP_ID_PATTERN } from '../backups/backup-location';
import { listBackups } from '../backups/list-backups';
import { restoreTenant } from '../backups/restore-tenant';
import { cloneTenant } from '../transfer/clone-tenant';
import { diskSpaces } from '../backups/disk-report';
import { fleetPageSchema, loadFleetPage } from '../pages/fleet-page';
import { loadTenantBackupsPage } from '../pages/tenant-backups-page';

/** The notices the backups page shows after an action, by key (nothing typed is reflected). */
const NOTICES = ['backed-up', 'backup-failed', 'restored', 'restored-unkept', 'cloned'] as const;
const noticeOf = (req: Request) => (NOTICES as readonly string[]).find((n) => n === req.query.notice);

const restoreSchema = z.object({ confirm: z.string({ error: 'is required' }).trim().max(100) });
const cloneSchema = z.object({
  slug: slugSchema,
  name: nameSchema.optional().or(z.literal('').transform(() => undefined)),
  with_members: z
    .literal('on')
    .optional()
    .transform((v) => v === 'on'),
});

/**
 * Super-admin pages for fleet operations (everyone else gets 404): /admin/fleet (free space,
 * each tenant's migration and backup state, recent runs) and /admin/tenants/:slug/backups (list
 * with sizes and verification, the manifest, back up now, restore after typing the slug, clone).
 */
export function adminFleetRoutes(platform: ControlPlane): Router {
  const router = Router();
  router.use(requireUser, requireSuperAdmin);
  const slugOf = (req: Request) => String(req.params.slug);
  const backupsPath = (slug: string, notice?: (typeof NOTICES)[number]) =>
    `/admin/tenants/${encodeURIComponent(slug)}/backups${notice ? `?notice=${notice}` : ''}`;
  /**
   * A refused form re-shows the backups page; the slug is read now (express resets params before the error handler).
   * A refused restore names its backup, so the reason and what was typed show at that row's field.
   */
  const backupsForm: RequestHandler = (req, res, next) => {
    const slug = slugOf(req);
    const refusedRestore = req.params.backupId === undefined ? undefined : String(req.params.backupId);
    formView('admin/tenant-backups', () => ({ ...loadTenantBackupsPage(platform, slug), refusedRestore }))(req, res, next);
  };

  router.get('/fleet', (req, res) => {
    const { page } = parseInput(fleetPageSchema, req.query);
    res.render('admin/fleet', loadFleetPage(platform, { page }));
  });

  /** For operators' monitoring: the details /healthz leaves out. */
  router.get('/fleet/health.json', (_req, res) => {
    const disks = diskSpaces(platform.config).map((d) => ({
      name: d.name,
      dir: d.dir,
      free_bytes: d.space?.freeBytes ?? null,
      total_bytes: d.space?.totalBytes ?? null,
      low: d.space?.low ?? null,
    }));
    res.set('Cache-Control', 'no-store').json({ ok: !disks.some((d) => d.low), disks, router: platform.router.stats() });
  });

  router.get('/tenants/:slug/backups', (req, res) => {
    res.render('admin/tenant-backups', loadTenantBackupsPage(platform, slugOf(req), noticeOf(req)));
  });

  router.post('/tenants/:slug/backups', backupsForm, async (req, res) => {
    const tenant = platform.tenants.findBySlug(slugOf(req));
    if (!tenant) throw new NotFoundError();
    const result = await backupFleet(platform, { slugs: [tenant.slug], trigger: 'console', kind: 'manual', operator: operatorOf(req), useWorkers: true });
    res.redirect(303, backupsPath(tenant.slug, result.failed.length ? 'backup-failed' : 'backed-up'));
  });

  router.get('/tenants/:slug/backups/:backupId/manifest.json', (req, res) => {
    const tenant = platform.tenants.findBySlug(slugOf(req));
    const backupId = String(req.params.backupId);
    const backup = tenant && BACKUP_ID_PATTERN.test(backupId) ? listBackups(platform, tenant.id).find((b) => b.id === backupId) : undefined;
    if (!backup?.manifest) throw new NotFoundError();
    res.set('Cache-Control', 'no-store').json(backup.manifest);
  });

  router.post('/tenants/:slug/backups/:backupId/restore', backupsForm, async (req, res) => {
    const tenant = platform.tenants.findBySlug(slugOf(req));
    const backupId = String(req.params.backupId);
    if (!tenant || !BACKUP_ID_PATTERN.test(backupId)) throw new NotFoundError();
    const { confirm } = parseInput(restoreSchema, req.body);
    if (confirm !== tenant.slug) throw ValidationError.single('confirm', `must be the tenant's slug (${tenant.slug}) to confirm the restore`);
    // The same restore sent again (a double click) is answered with what the first one did.
    const result = await restoreTenant(platform, { slug: tenant.slug, backupId, actorUserId: req.user?.id ?? null, atForm: true });
    res.redirect(303, backupsPath(tenant.slug, result.preRestoreBackupId ? 'restored' : 'restored-unkept'));
  });

  router.post('/tenants/:slug/clone', backupsForm, async (req, res) => {
    const source = platform.tenants.findBySlug(slugOf(req));
    if (!source) throw new NotFoundError();
    const input = parseInput(cloneSchema, req.body);
    const result = await cloneTenant(platform, {
      slug: source.slug,
      toSlug: input.slug,
      name: input.name,
      withMembers: input.with_members,
      actorUserId: req.user?.id ?? null,
      atForm: true,
    });
    res.redirect(303, backupsPath(result.tenant.slug, 'cloned'));
  });

  return router;
}
