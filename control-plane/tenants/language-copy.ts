import { DEFAULT_LANGUAGE, isLanguage, type Language } from '../../core/i18n/languages';
import type { TenantDatabase } from '../../tenant-runtime/tenant-database';
import type { TenantRepository } from './tenant-repository';

/** The workspace's language as its own settings keep it (a value missing or not offered reads as the default, as its pages read it). */
function languageInFile(db: TenantDatabase): Language {
  const row = db.get<{ value: string }>("select value from settings where key = 'language'");
  let value: unknown;
  try {
    value = row ? JSON.parse(row.value) : undefined;
  } catch {
    value = undefined;
  }
  return isLanguage(value) ? value : DEFAULT_LANGUAGE;
}

/**
 * Fills in the control plane's copy of a workspace's language (`tenants.language`) from its file,
 * when the router has just opened it and the copy is not known: a tenant made before the copy
 * existed, a file just replaced by a restore, or a settings change cut off between the two stores
 * (the change clears the copy before its commit). A read that fails leaves it unknown, read again
 * on the next open. One settings row read, only while the copy is unknown.
 */
export function fillLanguageCopy(tenants: TenantRepository, tenantId: string, db: TenantDatabase): void {
  let language: Language;
  try {
    language = languageInFile(db);
  } catch {
    return;
  }
  tenants.setLanguage(tenantId, language);
}
