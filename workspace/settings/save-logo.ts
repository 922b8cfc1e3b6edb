import { msg } from '../../core/i18n/message';
import crypto from 'node:crypto';
import { ValidationError } from '../../core/errors/app-errors';
import type { TenantDatabase } from '../../tenant-runtime/tenant-database';
import { logoContentType } from '../files/allowed-types';
import { imageSize } from '../files/image-size';
import type { UploadedFile } from '../files/single-file-upload';
import type { TenantFileStore } from '../files/tenant-file-store';
import type { FileLeftBehind } from '../files/upload-attachment';
import { forgetBranding } from './branding';
import { loadTenantSettings, saveTenantSettings, type LogoRecord } from './tenant-settings';
import type { LimitPolicy } from '../../tenant-runtime/limit-check';
import { ensureRoom } from '../usage/limit-guard';
import { pausePoint } from '../../core/process/pause-point';

export const LOGO_MAX_BYTES = 512 * 1024;
/**
 * The most pixels a logo may have on each side. A few hundred KB of PNG or WebP can declare
 * 50,000 × 50,000 pixels, which every member's browser would try to decode on every page.
 */
export const LOGO_MAX_SIDE = 4096;

/**
 * Replaces the workspace logo. The type comes from the file's bytes: PNG, JPEG or WebP only
 * (SVG can carry script), whose header can be read and declares at most LOGO_MAX_SIDE pixels a
 * side. The declared type and the file name are ignored. The plan's storage
 * limit counts the new logo in place of the old one, checked before the bytes are written and
 * again with the setting, under the write lock.
 */
export async function saveLogo(
  db: TenantDatabase,
  store: TenantFileStore,
  file: UploadedFile,
  leftBehind: FileLeftBehind,
  limits?: LimitPolicy,
): Promise<LogoRecord> {
  if (file.size > LOGO_MAX_BYTES) throw ValidationError.single('logo', msg('must be at most {{count}} KB', { count: LOGO_MAX_BYTES / 1024 }));
  const contentType = logoContentType(file.buffer);
  if (!contentType) throw ValidationError.single('logo', msg('must be a PNG, JPEG or WebP image (SVG and other formats are not accepted)'));
  const size = imageSize(file.buffer, contentType);
  if (!size) throw ValidationError.single('logo', msg('could not be read as an image: the file is damaged or cut short'));
  if (size.width > LOGO_MAX_SIDE || size.height > LOGO_MAX_SIDE)
    throw ValidationError.single(
      'logo',
      msg('must be at most {{max}} × {{max}} pixels (this one is {{width}} × {{height}})', { max: LOGO_MAX_SIDE, width: size.width, height: size.height }),
    );
  const previous = loadTenantSettings(db, '').logo;
  const growth = () => file.size - (loadTenantSettings(db, '').logo?.size ?? 0);
  ensureRoom(db, limits, 'storage_bytes', growth());
  const stored = await store.write(file.buffer);
  pausePoint('logo:file-written');
  const logo: LogoRecord = {
    file: stored,
    contentType,
    size: file.size,
    sha256: crypto.createHash('sha256').update(file.buffer).digest('hex'),
    updatedAt: Date.now(),
  };
  try {
    db.write(() => {
      ensureRoom(db, limits, 'storage_bytes', growth());
      saveTenantSettings(db, { logo });
    });
  } catch (error) {
    await store.remove(stored);
    throw error;
  }
  forgetBranding(db);
  pausePoint('logo:saved');
  // Saved: the old file going is tidying, and one that cannot be removed is left for the orphan sweep.
  if (previous) await store.remove(previous.file).catch((error: unknown) => leftBehind(previous.file, error));
  return logo;
}

export async function removeLogo(db: TenantDatabase, store: TenantFileStore, leftBehind: FileLeftBehind): Promise<boolean> {
  const previous = loadTenantSettings(db, '').logo;
  if (!previous) return false;
  saveTenantSettings(db, { logo: null });
  forgetBranding(db);
  pausePoint('logo:cleared');
  await store.remove(previous.file).catch((error: unknown) => leftBehind(previous.file, error));
  return true;
}
