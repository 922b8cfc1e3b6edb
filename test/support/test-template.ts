import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadMigrationSource } from '../../core/db/migration-runner';
import { openPlatformDatabase, migratePlatform, PLATFORM_MIGRATIONS_DIR } from '../../control-plane/db/platform-database';
import { ensureTemplate, TEMPLATE_FORMAT } from '../../control-plane/provisioning/tenant-template';
import { tenantMigrationSource } from '../../tenant-runtime/tenant-migrator';

/** A data dir holding a migrated platform.sqlite and the tenant template, keyed by both tracks' fingerprints and the template format. */
export function testTemplateDir(): string {
  const key = `${loadMigrationSource(PLATFORM_MIGRATIONS_DIR).fingerprint}-${tenantMigrationSource().fingerprint}-f${TEMPLATE_FORMAT}`;
  return path.join(os.tmpdir(), `tenantry-test-template-${key}`);
}

export async function buildTestTemplate(): Promise<string> {
  const dir = testTemplateDir();
  if (fs.existsSync(path.join(dir, 'ready'))) return dir;
  const building = `${dir}.${process.pid}`;
  fs.rmSync(building, { recursive: true, force: true });
  const db = openPlatformDatabase(building);
  await migratePlatform(db);
  db.connection().pragma('wal_checkpoint(TRUNCATE)');
  db.connection().pragma('journal_mode = DELETE');
  db.close();
  await ensureTemplate(building, tenantMigrationSource());
  fs.writeFileSync(path.join(building, 'ready'), '');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(building, dir);
  return dir;
}
