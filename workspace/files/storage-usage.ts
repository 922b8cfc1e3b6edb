import type { TenantDatabase } from '../../tenant-runtime/tenant-database';
import { loadTenantSettings } from '../settings/tenant-settings';
import { AttachmentRepository } from './attachment-repository';

export interface StorageUsage {
  attachments: number;
  attachmentBytes: number;
  logoBytes: number;
  totalBytes: number;
  quotaBytes: number | null;
}

export const MB = 1024 * 1024;

/** Bytes the workspace stores, summed from its tables (not by walking the folder). */
export function storageUsage(db: TenantDatabase): StorageUsage {
  const { count, bytes } = new AttachmentRepository(db).totals();
  const settings = loadTenantSettings(db, '');
  const logoBytes = settings.logo?.size ?? 0;
  return {
    attachments: count,
    attachmentBytes: bytes,
    logoBytes,
    totalBytes: bytes + logoBytes,
    quotaBytes: settings.storageQuotaMb === null ? null : settings.storageQuotaMb * MB,
  };
}

/** Whether `extra` more bytes still fit under the workspace's limit (if it has one). */
export function fitsQuota(db: TenantDatabase, extra: number): boolean {
  const usage = storageUsage(db);
  return usage.quotaBytes === null || usage.totalBytes + extra <= usage.quotaBytes;
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < MB) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KB`;
  return `${(bytes / MB).toFixed(bytes < 10 * MB ? 1 : 0)} MB`;
}
