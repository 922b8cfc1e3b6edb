import type { TenantContext } from '../../tenant-runtime/tenant-context';
import { SecretRepository } from '../secrets/secret-repository';
import { storageUsage, formatSize } from '../files/storage-usage';
import { ATTACHMENT_MAX_BYTES } from '../files/upload-attachment';
import { LOGO_MAX_BYTES } from './save-logo';
import { LANGUAGES, loadTenantSettings } from './tenant-settings';
import { timeZoneNames } from './time-zones';

/** The form's field values for the current settings. */
export function settingsValues(tenant: TenantContext): Record<string, string> {
  const s = loadTenantSettings(tenant.db, tenant.name);
  return { display_name: s.displayName, accent_color: s.accentColor, time_zone: s.timeZone, language: s.language, storage_quota_mb: s.storageQuotaMb === null ? '' : String(s.storageQuotaMb) };
}

/**
 * Everything the settings page shows besides the form values: the logo, the secrets (names
 * and masked hints only), and the storage used. `currentKeyId` flags secrets sealed under
 * another key (a rotation not finished).
 */
export function settingsPageLocals(tenant: TenantContext, currentKeyId: string) {
  const settings = loadTenantSettings(tenant.db, tenant.name);
  const secrets = new SecretRepository(tenant.db).list();
  // Times on this page are shown in the workspace's own time zone and language.
  const clock = new Intl.DateTimeFormat(settings.language, { dateStyle: 'medium', timeStyle: 'short', timeZone: settings.timeZone });
  return {
    title: 'Settings',
    settings,
    canEdit: tenant.permissions.has('tenant.settings.edit'),
    logoUrl: settings.logo ? `/t/${tenant.slug}/settings/logo?v=${settings.logo.sha256.slice(0, 16)}` : null,
    secrets,
    staleSecrets: secrets.filter((s) => s.key_id !== currentKeyId).length,
    usage: storageUsage(tenant.db),
    languages: LANGUAGES,
    timeZones: timeZoneNames(),
    limits: { logo: formatSize(LOGO_MAX_BYTES), attachment: formatSize(ATTACHMENT_MAX_BYTES) },
    formatSize,
    localTime: clock.format(new Date()),
    formatTime: (ms: number) => clock.format(new Date(ms)),
  };
}
