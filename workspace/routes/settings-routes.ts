import { msg } from '../../core/i18n/message';
import { NotFoundError } from '../../core/errors/app-errors';
import { parseInput } from '../../core/http/parse-input';
import { SecretBox } from '../../core/crypto/secret-box';
import type { TenantRouteTable, RouteSpec } from '../../tenant-runtime/tenant-route-table';
import type { TenantRequestContext } from '../../tenant-runtime/tenant-request-context';
import type { WorkspaceServices } from '../workspace-services';
import { TenantFileStore } from '../files/tenant-file-store';
import { singleFileUpload, uploadedFile } from '../files/single-file-upload';
import { sweepOrphanFiles } from '../files/sweep-orphan-files';
import { warnFileLeftBehind } from '../files/upload-attachment';
import { changeSettings } from '../settings/change-settings';
import { LOGO_MAX_BYTES, removeLogo, saveLogo } from '../settings/save-logo';
import { settingsInputSchema, settingsWithoutBrandingSchema, type SettingsForm } from '../settings/settings-schemas';
import { limitPolicyOf } from '../../tenant-runtime/limit-check';
import { loadTenantSettings } from '../settings/tenant-settings';
import { deleteSecret, saveSecret, secretOf } from '../secrets/manage-secrets';
import { secretInputSchema } from '../secrets/secret-schemas';
import { loadSettingsPage } from '../pages/settings-page';
import { queryNotice } from '../../core/http/query-notice';
import { revisionFormSchema } from '../../core/http/revision-form';

/** Shown after a redirect (?saved=...): a fixed list, so the query cannot put text on the page. */
const NOTICES: Record<string, string> = {
  settings: msg('Settings saved.'),
  logo: msg('Logo updated.'),
  'logo-removed': msg('Logo removed.'),
  secret: msg('Secret saved. Its value will not be shown again.'),
  'secret-deleted': msg('Secret deleted.'),
};

/** Workspace settings, branding and secrets (docs/decisions/008-tenant-settings.md). */
export function settingsRoutes(
  table: TenantRouteTable,
  services: Pick<WorkspaceServices, 'config' | 'logger' | 'settingsCopies' | 'recentDeletions' | 'deletionRequests'>,
): void {
  const box = new SecretBox(services.config.secretsKey);
  const storeOf = (ctx: TenantRequestContext) => TenantFileStore.forTenant(services.config.dataDir, ctx.tenant.id);
  const saved = (ctx: TenantRequestContext, notice: string) => ctx.url(`/settings?saved=${notice}`);
  /** Bad input re-shows the whole page with the current settings and each field's reason (400). */
  const edit = (extra: Partial<RouteSpec> = {}): RouteSpec => ({
    permission: 'tenant.settings.edit',
    form: { view: 'tenant/settings', load: (ctx) => loadSettingsPage(ctx, box.keyId, services.deletionRequests) },
    ...extra,
  });

  table.get('/settings', 'tenant.settings.view', (ctx, req, res) => {
    const notice = queryNotice(NOTICES, req.query.saved);
    res.render('tenant/settings', { ...loadSettingsPage(ctx, box.keyId, services.deletionRequests, notice), values: {}, errors: {} });
  });

  table.post('/settings', edit(), (ctx, req, res) => {
    // Without white-label branding the display name and colour are not offered, and not changed.
    const branding = ctx.entitlements.features.branding;
    const input: SettingsForm = branding ? parseInput(settingsInputSchema, req.body) : parseInput(settingsWithoutBrandingSchema, req.body);
    changeSettings(ctx, services.settingsCopies, input, { revision: parseInput(revisionFormSchema, req.body).revision });
    res.redirect(303, saved(ctx, 'settings'));
  });

  table.get('/settings/logo', { permission: 'tenant.settings.view', feature: 'branding' }, async (ctx, req, res) => {
    const logo = loadTenantSettings(ctx.db, ctx.tenant.name).logo;
    if (!logo) throw new NotFoundError();
    const bytes = await storeOf(ctx).read(logo.file);
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

  table.post('/settings/logo', edit({ feature: 'branding', before: [singleFileUpload('logo', LOGO_MAX_BYTES)] }), async (ctx, req, res) => {
    const logo = await saveLogo(ctx.db, storeOf(ctx), uploadedFile(req, 'logo'), warnFileLeftBehind(services.logger, ctx.tenant.id), limitPolicyOf(ctx));
    ctx.audit({
      action: 'tenant.logo.changed',
      targetType: 'logo',
      targetId: null,
      after: { contentType: logo.contentType, size: logo.size, sha256: logo.sha256 },
    });
    await sweepOrphanFiles(ctx.db, storeOf(ctx)).catch((err: unknown) => services.logger.warn({ err, tenantId: ctx.tenant.id }, 'file sweep failed'));
    res.redirect(303, saved(ctx, 'logo'));
  });

  table.post(
    '/settings/logo/delete',
    {
      permission: 'tenant.settings.edit',
      feature: 'branding',
      confirm: (ctx) => ({
        title: msg('Remove the logo?'),
        message: msg('The workspace shows its name alone until a new logo is uploaded.'),
        confirmLabel: msg('Remove the logo'),
        cancelHref: ctx.url('/settings'),
      }),
    },
    async (ctx, _req, res) => {
      if (await removeLogo(ctx.db, storeOf(ctx), warnFileLeftBehind(services.logger, ctx.tenant.id)))
        ctx.audit({ action: 'tenant.logo.removed', targetType: 'logo', targetId: null });
      res.redirect(303, saved(ctx, 'logo-removed'));
    },
  );

  table.post('/settings/secrets', edit(), (ctx, req, res) => {
    const input = parseInput(secretInputSchema, req.body);
    saveSecret(ctx, box, { name: input.secret_name, value: input.secret_value }, 'secret_name');
    res.redirect(303, saved(ctx, 'secret'));
  });

  table.post(
    '/settings/secrets/:name/delete',
    {
      permission: 'tenant.settings.edit',
      confirm: (ctx, req) => ({
        title: msg('Delete the secret {{name}}?', { name: secretOf(ctx, String(req.params.name)).name }),
        message: msg('Tools that use it stop working until it is added again. Its value cannot be recovered.'),
        confirmLabel: msg('Delete the secret'),
        cancelHref: ctx.url('/settings'),
      }),
    },
    (ctx, req, res) => {
      // The same deletion sent again (a double click) is answered as the first one was.
      deleteSecret(ctx, services, String(req.params.name));
      res.redirect(303, saved(ctx, 'secret-deleted'));
    },
  );
}
