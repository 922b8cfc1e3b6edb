import { msg } from '../../core/i18n/message';
import type { TenantRequestContext } from '../../tenant-runtime/tenant-request-context';
import { SecretRepository } from '../secrets/secret-repository';
import { storageUsage, formatSize } from '../files/storage-usage';
import { formatPercent } from '../../core/i18n/format-percent';
import { ATTACHMENT_MAX_BYTES } from '../files/upload-attachment';
import { LOGO_MAX_BYTES } from '../settings/save-logo';
import { loadTenantSettings, type TenantSettings } from '../settings/tenant-settings';
import { LANGUAGES } from '../../core/i18n/languages';
import { timeZoneChoices } from '../settings/time-zones';
import { clockOf } from './view-helpers';
import { planFacts } from './plan-facts';
import type { DeletionRequestLookup } from '../workspace-services';

/** The form's field values for these settings. */
export function settingsValues(settings: TenantSettings): Record<string, string> {
  return {
    display_name: settings.displayName,
    accent_color: settings.accentColor,
    time_zone: settings.timeZone,
    language: settings.language,
    // The revision the page shows, sent back by the form: a save made on another is refused.
    revision: String(settings.revision),
  };
}

/**
 * Everything the settings page shows: the current values, the logo, the secrets (names and
 * masked hints only), and the storage used. `currentKeyId` flags secrets sealed under another
 * key (a rotation not finished). Those who may ask for the workspace to be deleted see its
 * pending request, if any.
 */
export function loadSettingsPage(ctx: TenantRequestContext, currentKeyId: string, deletionRequests: DeletionRequestLookup, notice?: string) {
  const settings = loadTenantSettings(ctx.db, ctx.tenant.name);
  const secrets = new SecretRepository(ctx.db).list();
  // Times on this page are shown on the workspace's clock, as on its other pages.
  const clock = clockOf(ctx);
  return {
    title: msg('Settings'),
    settings,
    current: settingsValues(settings),
    canEdit: ctx.can('tenant.settings.edit'),
    settingsLogoUrl: settings.logo ? ctx.url(`/settings/logo?v=${settings.logo.sha256.slice(0, 16)}`) : null,
    secrets,
    staleSecrets: secrets.filter((s) => s.key_id !== currentKeyId).length,
    usage: storageUsage(ctx.db, ctx.entitlements.limits.storage_bytes),
    plan: planFacts(ctx.entitlements, ctx.language),
    branding: ctx.entitlements.features.branding,
    languages: LANGUAGES,
    timeZones: timeZoneChoices(),
    limits: { logo: formatSize(LOGO_MAX_BYTES, ctx.language), attachment: formatSize(ATTACHMENT_MAX_BYTES, ctx.language) },
    formatSize: (bytes: number) => formatSize(bytes, ctx.language),
    formatPercent: (percent: number) => formatPercent(percent, ctx.language),
    localTime: clock.format(Date.now()),
    formatTime: clock.format,
    notice,
    deletion: ctx.can('tenant.delete.request') ? { pending: deletionRequests.pendingFor(ctx.tenant.id) ?? null } : null,
  };
}
