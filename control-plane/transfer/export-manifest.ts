import { z } from 'zod';
import { fileEntrySchema } from '../backups/backup-manifest';

/** Most entries an export may hold (its database and its stored files). */
export const MAX_EXPORT_ENTRIES = 200_000;

/** manifest.json of a tenant export: what the archive holds, with a checksum for every file. */
export const exportManifestSchema = z.object({
  format: z.literal('tenantry-export'),
  version: z.literal(1),
  exported_at: z.string().max(40),
  tenant: z.object({ id: z.string().max(64), slug: z.string().max(64), name: z.string().max(200) }),
  schema_version: z.string().max(200).nullable(),
  migrations: z.array(z.string().max(200)).max(10_000),
  /**
   * Names of the secrets left out: they are sealed with the exporting deployment's SECRETS_KEY,
   * which no other deployment has, so they are never exported; they are entered again after an import.
   */
  secrets_removed: z.array(z.string().max(64)).max(10_000),
  files: z.array(fileEntrySchema).max(MAX_EXPORT_ENTRIES),
  total_bytes: z.number().int().min(0),
});
export type ExportManifest = z.infer<typeof exportManifestSchema>;
