import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileDurably } from '../../core/fs/durable-files';

export const MANIFEST_FILE = 'manifest.json';
/** Far above a real manifest (about 150 bytes a file): a larger one is not ours. */
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

export const fileEntrySchema = z.object({
  /** Relative, with forward slashes: `tenant.sqlite` or `files/<stored name>`. */
  path: z.string().regex(/^(tenant\.sqlite|files\/[0-9a-f]{32})$/),
  size: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type FileEntry = z.infer<typeof fileEntrySchema>;

export const BACKUP_KINDS = ['manual', 'scheduled', 'pre-restore'] as const;
export type BackupKind = (typeof BACKUP_KINDS)[number];

export const backupManifestSchema = z.object({
  format: z.literal('tenantry-backup'),
  version: z.literal(1),
  backup_id: z.string(),
  kind: z.enum(BACKUP_KINDS),
  created_at: z.string(),
  tenant: z.object({ id: z.string(), slug: z.string(), name: z.string() }),
  /** The last migration recorded in the copy, and all of them. */
  schema_version: z.string().nullable(),
  migrations: z.array(z.string()),
  /** The live tenant's database, WAL and files folder (size, time) when the copy was taken. */
  fingerprint: z.string(),
  files: z.array(fileEntrySchema),
  total_bytes: z.number().int().min(0),
  /** Files the database refers to that were gone from the folder when it was copied. */
  missing_files: z.array(z.string()),
  /** integrity_check of the copy: 'ok', or what was wrong (a damaged pre-restore copy is kept as it was). */
  integrity: z.string(),
});
export type BackupManifest = z.infer<typeof backupManifestSchema>;

export function writeManifest(dir: string, manifest: unknown): void {
  writeFileDurably(path.join(dir, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
}

/** The manifest of a backup folder, or the reason it cannot be read. */
export function readBackupManifest(dir: string): { manifest: BackupManifest } | { problem: string } {
  let raw: unknown;
  const file = path.join(dir, MANIFEST_FILE);
  try {
    // Never a link or a pipe: reading one could follow it anywhere, or wait for ever.
    const stat = fs.lstatSync(file);
    if (!stat.isFile()) return { problem: 'manifest unreadable: not a regular file' };
    if (stat.size > MAX_MANIFEST_BYTES) return { problem: 'manifest unreadable: too large' };
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    return { problem: `manifest unreadable: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
  }
  const parsed = backupManifestSchema.safeParse(raw);
  return parsed.success ? { manifest: parsed.data } : { problem: 'manifest malformed' };
}
