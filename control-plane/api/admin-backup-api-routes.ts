import { z } from 'zod';
import type { Request, Response, Router } from 'express';
import { noBody, parseInput, parseQuery } from '../../core/http/parse-input';
import { cursorPosition, pageOf, pageQuery } from '../../core/http/page-query';
import { runIdempotentAsync } from '../../core/http/idempotent';
import type { ApiCatalogue } from '../../core/http/api-operation';
import { ConflictError, DiskFullError, OperationFailedError } from '../../core/errors/app-errors';
import { DISK_FULL_REASON } from '../../core/errors/disk-full';
import type { ControlPlane } from '../control-plane';
import { operatorOf } from '../audit/operator';
import { backupFleet } from '../backups/backup-fleet';
import { BACKUP_ID_PATTERN, isBackupId } from '../backups/backup-location';
import { backupListingJson, listBackups, type BackupListing } from '../backups/list-backups';
import { restoreTenant } from '../backups/restore-tenant';
import { tenantBySlugOrId } from '../routes/admin-tenant-param';
import type { TenantRecord } from '../tenants/tenant-record';
import { adminDoc as doc, adminKeyScope, requireAdmin } from './admin-api-access';
import { tenantJson, tenantParams, tenantSchema } from './admin-tenant-json';

/** A backup as the admin API answers it: what the console's list and `tenantry tenants backups --json` show. */
export const backupSchema = z.object({
  id: z.string().describe('The UTC time it was taken, to the millisecond (20250301T031500123Z)'),
  taken_at: z.string(),
  kind: z.enum(['manual', 'scheduled', 'pre-restore', 'unknown']).describe('pre-restore: the state a restore replaced'),
  bytes: z.number().int(),
  files: z.number().int().describe('Stored files copied beside the database'),
  schema_version: z.string().nullable(),
  verified: z.boolean().describe('Its copy passed integrity_check and its manifest reads: it can be restored'),
  problem: z.string().nullable().describe('Why it is not verified'),
});

const listQuery = z.object(pageQuery(50));
const backupIdField = z
  .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be text') })
  .max(40, { error: 'is not a backup id (a time such as 20250301T031500123Z)' })
  .regex(BACKUP_ID_PATTERN, { error: 'is not a backup id (a time such as 20250301T031500123Z)' });
/** `backup` restores one of the tenant's backups; without it, an archived tenant is brought back from its archive. */
export const restoreBody = z.strictObject({ backup: backupIdField.optional().describe("One of this tenant's backups (GET /tenants/:id/backups)") });
const restoredSchema = z.object({
  data: tenantSchema,
  restore: z.object({
    backup_id: z.string(),
    pre_restore_backup_id: z
      .string()
      .nullable()
      .describe('The backup of the state the restore replaced (null: it could not be kept yet; the server log says why)'),
    migrated: z.array(z.string()).describe('Migrations applied because the backup was behind the code'),
    offline_ms: z.number().describe('How long members were answered 503'),
  }),
});

/** The tenant the commands name by its slug: a tombstone's slug may be another tenant's now, so a purged one is refused first. */
function holdingItsSlug(platform: ControlPlane, idOrSlug: string): TenantRecord {
  const tenant = tenantBySlugOrId(platform, idOrSlug);
  if (tenant.status === 'purged') throw new ConflictError(`Tenant ${tenant.id} is purged: its backups stay, but it is neither backed up nor restored.`);
  return tenant;
}

/**
 * A tenant's backups through the admin API, by the console's and the CLI's commands: the list,
 * Back up now (backupFleet, with its `tenant.backup` record naming the token) and a restore from
 * one of them (restoreFromNamedBackup, on the restore's path).
 */
export function addAdminBackupRoutes(router: Router, platform: ControlPlane, catalogue: Pick<ApiCatalogue, 'add'>): void {
  const tenants = requireAdmin(platform, 'admin.tenants');
  const scope = adminKeyScope(platform);

  catalogue.add(
    'get',
    '/tenants/:id/backups',
    doc(
      {
        summary: "List a tenant's backups",
        description:
          'Newest first, as the console lists them: each with its size, kind and whether it can be restored. A purged tenant (by its id) keeps its backups.',
        scope: 'admin.tenants',
        params: tenantParams,
        query: listQuery,
        responses: { 200: { description: 'A page of backups', schema: z.object({ data: z.array(backupSchema), next_cursor: z.string().nullable() }) } },
      },
      'Admin',
    ),
  );
  router.get('/tenants/:id/backups', tenants, (req, res) => {
    const { limit, cursor } = parseQuery(listQuery, req.query);
    const tenant = tenantBySlugOrId(platform, String(req.params.id));
    const after = cursorPosition(cursor, (c) => (isBackupId(c) ? c : undefined));
    const rows = listBackups(platform, tenant.id).filter((b) => after === undefined || b.id < after);
    const { page, nextCursor } = pageOf(rows.slice(0, limit + 1), limit, (last) => last.id);
    res.json({ data: page.map(backupListingJson), next_cursor: nextCursor });
  });

  catalogue.add(
    'post',
    '/tenants/:id/backups',
    doc(
      {
        summary: 'Back up a tenant now',
        description:
          'A verified copy of its database and files, taken while it serves, as the console\'s "Back up now". Only an active or suspended tenant (409 otherwise, and while a restore of it or another backup of it asked for runs); 507 when the disk of BACKUP_DIR is full.',
        scope: 'admin.tenants',
        params: tenantParams,
        idempotent: true,
        responses: { 201: { description: 'The backup taken', schema: z.object({ data: backupSchema }) } },
      },
      'Admin',
    ),
  );
  router.post('/tenants/:id/backups', tenants, (req, res) =>
    runIdempotentAsync(scope(req), req, res, async () => {
      parseInput(noBody, req.body);
      const tenant = holdingItsSlug(platform, String(req.params.id));
      const run = await backupFleet(platform, { slugs: [tenant.slug], trigger: 'console', kind: 'manual', operator: operatorOf(req), useWorkers: true });
      const [outcome] = run.outcomes;
      if (outcome.outcome !== 'backed_up') {
        if (outcome.error === DISK_FULL_REASON) throw new DiskFullError(`Backing up ${tenant.slug} failed: ${DISK_FULL_REASON}`);
        throw new OperationFailedError(`Backing up ${tenant.slug} failed: ${outcome.error ?? 'no reason given'}. Nothing was kept of it.`);
      }
      const backup = listBackups(platform, tenant.id).find((b) => b.id === outcome.backupId) as BackupListing;
      res.status(201).json({ data: backupListingJson(backup) });
    }),
  );
}

/**
 * `POST /tenants/:id/restore` naming a backup: a restore from that backup by the console's command
 * (restoreTenant: verified, staged, swapped under its journal, kill-safe), every record naming the
 * request's token. Undefined when the body names none: the route then brings an archived tenant
 * back from its archive, as `tenantry tenants restore` does without `--from`.
 */
export function restoreFromNamedBackup(platform: ControlPlane): (req: Request, res: Response) => Promise<void> | undefined {
  const scope = adminKeyScope(platform);
  return (req, res) => {
    const { backup } = parseInput(restoreBody, req.body);
    if (backup === undefined) return undefined;
    return runIdempotentAsync(scope(req), req, res, async () => {
      const tenant = holdingItsSlug(platform, String(req.params.id));
      const { userId, ...client } = operatorOf(req);
      const result = await restoreTenant(platform, { slug: tenant.slug, backupId: backup, actorUserId: userId, client });
      res.json({
        data: tenantJson(result.tenant),
        restore: {
          backup_id: result.backupId,
          pre_restore_backup_id: result.preRestoreBackupId,
          migrated: result.migrated,
          offline_ms: Math.round(result.offlineMs),
        },
      });
    });
  };
}

/** What the restore operation answers (the archive's restore answers `data` alone). */
export const restoreAnswers = {
  200: { description: 'The tenant restored; with `backup`, `restore` says what was done', schema: restoredSchema.partial({ restore: true }) },
};
