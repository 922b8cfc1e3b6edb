import type { RequestHandler } from 'express';
import type { TenantDatabase } from '../../tenant-runtime/tenant-database';
import { loadTenantSettings, type Language } from './tenant-settings';

/** What every page of a workspace shows of its settings (white-label). */
export interface Branding {
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
const cache = new WeakMap<TenantDatabase, Branding>();

export function brandingOf(db: TenantDatabase, fallbackName: string): Branding {
  let branding = cache.get(db);
  if (!branding) {
    const s = loadTenantSettings(db, fallbackName);
    branding = { displayName: s.displayName, accentColor: s.accentColor, language: s.language, timeZone: s.timeZone, logoVersion: s.logo ? s.logo.sha256.slice(0, 16) : null };
    cache.set(db, branding);
  }
  return branding;
}

export function forgetBranding(db: TenantDatabase): void {
  cache.delete(db);
}

/** Puts the workspace's branding in res.locals for the header; runs after membership is proven. */
export function tenantBranding(): RequestHandler {
  return (req, res, next) => {
    const tenant = req.tenant;
    if (tenant) {
      const branding = brandingOf(tenant.db, tenant.name);
      res.locals.branding = branding;
      // The logo is served by a permission-checked route; members who may not see settings get no <img>.
      res.locals.logoUrl = branding.logoVersion && tenant.permissions.has('tenant.settings.view') ? `/t/${tenant.slug}/settings/logo?v=${branding.logoVersion}` : null;
    }
    next();
  };
}
