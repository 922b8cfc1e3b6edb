import { isLanguage, type Language } from '../../core/i18n/languages';
import type { TenantDatabase } from '../../tenant-runtime/tenant-database';
import { STORED_NAME_PATTERN } from '../files/tenant-file-store';
import { LOGO_CONTENT_TYPES } from '../files/allowed-types';
import { isTimeZone } from './time-zones';
import { revisionOf, SETTINGS_REVISION_KEY } from './settings-revision';

export const ACCENT_PATTERN = /^#[0-9a-f]{6}$/;
/** The stylesheet's own --accent. */
export const DEFAULT_ACCENT = '#2f5bd3';

export interface LogoRecord {
  /** Stored name in the tenant's files folder. */
  file: string;
  contentType: string;
  size: number;
  sha256: string;
  updatedAt: number;
}

export interface TenantSettings {
  displayName: string;
  accentColor: string;
  timeZone: string;
  language: Language;
  logo: LogoRecord | null;
  /** The revision of the fields above the logo (settings-revision.ts): raised by each change of them. */
  revision: number;
}

/** Setting keys in the tenant's `settings` table (JSON values). */
const KEYS = {
  displayName: 'display_name',
  accentColor: 'accent_color',
  timeZone: 'time_zone',
  language: 'language',
  logo: 'logo',
  revision: SETTINGS_REVISION_KEY,
} as const;

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * A logo record as saveLogo writes it. Its type and hash become response headers, so a record
 * from elsewhere (an edited import, a row written by hand) must name a logo type and a hash,
 * never text/html or a line break.
 */
function isLogo(value: unknown): value is LogoRecord {
  const v = value as LogoRecord | null;
  return Boolean(
    v &&
    typeof v.file === 'string' &&
    STORED_NAME_PATTERN.test(v.file) &&
    typeof v.contentType === 'string' &&
    LOGO_CONTENT_TYPES.includes(v.contentType) &&
    Number.isSafeInteger(v.size) &&
    v.size >= 0 &&
    typeof v.sha256 === 'string' &&
    SHA256_HEX.test(v.sha256),
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Reads the workspace's settings in one query. A missing or unreadable value falls back to its
 * default, so a value written by hand or by an older version never breaks a page.
 */
export function loadTenantSettings(db: TenantDatabase, fallbackName: string): TenantSettings {
  const raw = new Map(db.all<{ key: string; value: string }>('select key, value from settings').map((r) => [r.key, parseJson(r.value)]));
  const name = raw.get(KEYS.displayName);
  const accent = raw.get(KEYS.accentColor);
  const zone = raw.get(KEYS.timeZone);
  const language = raw.get(KEYS.language);
  const logo = raw.get(KEYS.logo);
  return {
    displayName: typeof name === 'string' && name.trim() ? name : fallbackName,
    accentColor: typeof accent === 'string' && ACCENT_PATTERN.test(accent) ? accent : DEFAULT_ACCENT,
    timeZone: typeof zone === 'string' && isTimeZone(zone) ? zone : 'UTC',
    language: isLanguage(language) ? language : 'en',
    logo: isLogo(logo) ? logo : null,
    revision: revisionOf(raw.get(KEYS.revision)),
  };
}

/** Writes the given settings in one IMMEDIATE transaction; null removes a setting. */
export function saveTenantSettings(db: TenantDatabase, changes: Partial<TenantSettings>): void {
  const now = Date.now();
  db.write(() => {
    for (const [field, value] of Object.entries(changes) as Array<[keyof TenantSettings, unknown]>) {
      if (value === undefined) continue;
      if (value === null) db.run('delete from settings where key = ?', [KEYS[field]]);
      else
        db.run(
          'insert into settings (key, value, updated_at) values (?, ?, ?) on conflict(key) do update set value = excluded.value, updated_at = excluded.updated_at',
          [KEYS[field], JSON.stringify(value), now],
        );
    }
  });
}
