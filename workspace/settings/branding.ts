import type { TenantDatabase } from '../../tenant-runtime/tenant-database';
import type { BrandingSource, TenantBranding } from '../../tenant-runtime/tenant-request-context';
import { DEFAULT_ACCENT, loadTenantSettings } from './tenant-settings';
import type { Language } from '../../core/i18n/languages';

/** What the workspace's settings say about its look, cached per open handle. */
interface StoredBranding {
  displayName: string;
  accentColor: string;
  language: Language;
  timeZone: string;
  /** Changes with the logo's content, so browsers may cache each version for long. */
  logoVersion: string | null;
}

/**
 * Branding is read on every tenant page, so it is cached per open tenant handle: the entry
 * dies with the handle (evicted, suspended, closed) and is dropped whenever settings change
 * (forgetBranding). Settings are only changed through this process's routes.
 */
const cache = new WeakMap<TenantDatabase, StoredBranding>();

function storedBranding(db: TenantDatabase, fallbackName: string): StoredBranding {
  let branding = cache.get(db);
  if (!branding) {
    const s = loadTenantSettings(db, fallbackName);
    branding = {
      displayName: s.displayName,
      accentColor: s.accentColor,
      language: s.language,
      timeZone: s.timeZone,
      logoVersion: s.logo ? s.logo.sha256.slice(0, 16) : null,
    };
    cache.set(db, branding);
  }
  return branding;
}

export function forgetBranding(db: TenantDatabase): void {
  cache.delete(db);
}

/**
 * The workspace's branding for one request. The logo is served by a permission-checked route,
 * so members who may not see settings get no logo URL. On a plan without white-label branding
 * the workspace shows its own name and the default look (its language and time zone stay).
 */
export const workspaceBranding: BrandingSource = (ctx): TenantBranding => {
  const stored = storedBranding(ctx.db, ctx.tenant.name);
  const { language, timeZone } = stored;
  if (!ctx.entitlements.features.branding) return { displayName: ctx.tenant.name, accentColor: DEFAULT_ACCENT, language, timeZone, logoUrl: null };
  const logoUrl = stored.logoVersion && ctx.can('tenant.settings.view') ? ctx.url(`/settings/logo?v=${stored.logoVersion}`) : null;
  return { displayName: stored.displayName, accentColor: stored.accentColor, language, timeZone, logoUrl };
};
