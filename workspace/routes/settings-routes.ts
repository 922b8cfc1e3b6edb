import type { Request, RequestHandler } from 'express';
import type { Platform } from '../../app/create-platform';
import { NotFoundError, ValidationError } from '../../core/errors/app-errors';
import { parseInput } from '../../core/http/parse-input';
import { formView } from '../../core/http/form-view';
import { SecretBox } from '../../core/crypto/secret-box';
import type { TenantRouteTable } from '../../tenant-runtime/tenant-route-table';
import { TenantFileStore } from '../files/tenant-file-store';
import { singleFileUpload, uploadedFile } from '../files/single-file-upload';
import { sweepOrphanFiles } from '../files/sweep-orphan-files';
import { forgetBranding } from '../settings/branding';
import { LOGO_MAX_BYTES, removeLogo, saveLogo } from '../settings/save-logo';
import { settingsInputSchema } from '../settings/settings-schemas';
import { settingsPageLocals, settingsValues } from '../settings/settings-page';
import { loadTenantSettings, saveTenantSettings } from '../settings/tenant-settings';
import { SecretRepository } from '../secrets/secret-repository';
import { secretInputSchema, secretNameSchema } from '../secrets/secret-schemas';

const SECRETS_PER_TENANT = 200;
/** Shown after a redirect (?saved=...): a fixed list, so the query cannot put text on the page. */
const NOTICES: Record<string, string> = { settings: 'Settings saved.', logo: 'Logo updated.', 'logo-removed': 'Logo removed.', secret: 'Secret saved. Its value will not be shown again.', 'secret-deleted': 'Secret deleted.' };

function tenantOf(req: Request) {
  if (!req.tenant) throw new NotFoundError();
  return req.tenant;
}

/** Workspace settings, branding and secrets (docs/decisions/008-tenant-settings.md). */
export function settingsRoutes(table: TenantRouteTable, platform: Platform): void {
  const box = new SecretBox(platform.config.secretsKey);
  const storeOf = (req: Request) => TenantFileStore.forTenant(platform.config.dataDir, tenantOf(req).id);
  const home = (req: Request, saved: string) => `/t/${tenantOf(req).slug}/settings?saved=${saved}`;
  const audit = (req: Request, action: string, targetType: string, targetId: string | null, change: { before?: unknown; after?: unknown } = {}) =>
    platform.audit.record({ action, actorUserId: req.user?.id ?? null, tenantId: tenantOf(req).id, targetType, targetId, ...change, ip: req.ip, userAgent: req.get('user-agent') });

  /** Bad input re-shows the whole page with the current settings and each field's reason (400). */
  const page: RequestHandler = (req, res, next) => {
    const tenant = tenantOf(req);
    formView('tenant/settings', { ...settingsPageLocals(tenant, box.keyId), current: settingsValues(tenant) })(req, res, next);
  };

  table.get('/settings', 'tenant.settings.view', (req, res) => {
    const tenant = tenantOf(req);
    const notice = typeof req.query.saved === 'string' ? NOTICES[req.query.saved] : undefined;
    res.render('tenant/settings', { ...settingsPageLocals(tenant, box.keyId), current: settingsValues(tenant), values: {}, errors: {}, notice });
  });

  table.post('/settings', 'tenant.settings.edit', page, (req, res) => {
    const tenant = tenantOf(req);
    const input = parseInput(settingsInputSchema, req.body);
    const before = settingsValues(tenant);
    saveTenantSettings(tenant.db, { displayName: input.display_name, accentColor: input.accent_color, timeZone: input.time_zone, language: input.language, storageQuotaMb: input.storage_quota_mb });
    forgetBranding(tenant.db);
    audit(req, 'tenant.settings.updated', 'settings', null, { before, after: settingsValues(tenant) });
    res.redirect(303, home(req, 'settings'));
  });

  table.get('/settings/logo', 'tenant.settings.view', async (req, res) => {
    const tenant = tenantOf(req);
    const logo = loadTenantSettings(tenant.db, tenant.name).logo;
    if (!logo) throw new NotFoundError();
    const bytes = await storeOf(req).read(logo.file);
    // A versioned URL (?v=<hash>) never changes content, so browsers may keep it; others revalidate.
    const versioned = req.query.v === logo.sha256.slice(0, 16);
    res.set({
      'Content-Type': logo.contentType,
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'Cache-Control': versioned ? 'private, max-age=31536000, immutable' : 'private, no-cache',
      ETag: `"${logo.sha256}"`,
    });
    res.send(bytes);
  });

  table.post('/settings/logo', 'tenant.settings.edit', page, singleFileUpload('logo', LOGO_MAX_BYTES), async (req, res) => {
    const tenant = tenantOf(req);
    const logo = await saveLogo(tenant.db, storeOf(req), uploadedFile(req, 'logo'));
    audit(req, 'tenant.logo.changed', 'logo', null, { after: { contentType: logo.contentType, size: logo.size, sha256: logo.sha256 } });
    await sweepOrphanFiles(tenant.db, storeOf(req)).catch((err: unknown) => platform.logger.warn({ err, tenantId: tenant.id }, 'file sweep failed'));
    res.redirect(303, home(req, 'logo'));
  });

  table.post('/settings/logo/delete', 'tenant.settings.edit', async (req, res) => {
    const tenant = tenantOf(req);
    if (await removeLogo(tenant.db, storeOf(req))) audit(req, 'tenant.logo.removed', 'logo', null);
    res.redirect(303, home(req, 'logo-removed'));
  });

  table.post('/settings/secrets', 'tenant.settings.edit', page, (req, res) => {
    const tenant = tenantOf(req);
    const input = parseInput(secretInputSchema, req.body);
    const repo = new SecretRepository(tenant.db);
    if (repo.count() >= SECRETS_PER_TENANT && !repo.list().some((s) => s.name === input.secret_name)) {
      throw ValidationError.single('secret_name', `cannot be added: a workspace holds at most ${SECRETS_PER_TENANT} secrets`);
    }
    const { replaced } = repo.save(box, input.secret_name, input.secret_value, req.user?.id ?? null);
    // The name only: a value never reaches the audit trail or a log.
    audit(req, replaced ? 'tenant.secret.replaced' : 'tenant.secret.added', 'secret', input.secret_name);
    res.redirect(303, home(req, 'secret'));
  });

  table.post('/settings/secrets/:name/delete', 'tenant.settings.edit', (req, res) => {
    const tenant = tenantOf(req);
    const name = secretNameSchema.safeParse(req.params.name);
    if (!name.success || !new SecretRepository(tenant.db).delete(name.data)) throw new NotFoundError();
    audit(req, 'tenant.secret.deleted', 'secret', name.data);
    res.redirect(303, home(req, 'secret-deleted'));
  });
}
