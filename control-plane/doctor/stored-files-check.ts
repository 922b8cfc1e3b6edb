import fs from 'node:fs';
import path from 'node:path';
import { TenantUnavailableError } from '../../core/errors/tenant-unavailable-errors';
import { FileLock } from '../../core/process/file-lock';
import { openTenantFile, servable } from '../../tenant-runtime/open-tenant-file';
import type { TenantDatabase } from '../../tenant-runtime/tenant-database';
import { STORED_FILE_NAME, tenantPaths } from '../../tenant-runtime/tenant-paths';
import type { ControlPlane } from '../control-plane';
import { tenantLockFile } from '../lifecycle/tenant-lock';
import { entriesOf, UPLOAD_TEMP_MAX_AGE_MS } from './debris-check';
import { tryFix, type DoctorCheck, type DoctorContext, type Finding } from './finding';
import type { TenantRecord } from '../tenants/tenant-record';

/**
 * The stored files a tenant's rows name: its attachments and its logo. This reads the workspace's
 * tables by name (as the backups do: control-plane/backups/copy-stored-files.ts); the doctor tests
 * hold it to the workspace's real uploads.
 */
function namedFiles(db: TenantDatabase): Set<string> {
  const names = new Set(db.all<{ stored_name: string }>('select stored_name from attachments').map((r) => r.stored_name));
  const logo = db.get<{ file: unknown }>("select json_extract(value, '$.file') as file from settings where key = 'logo' and json_valid(value)");
  if (typeof logo?.file === 'string') names.add(logo.file);
  return names;
}

/**
 * Stored files and the rows that name them, in every live tenant, both ways. A file no row names
 * and older than ten minutes (an upload killed between its file and its row, a delete or a logo
 * change killed between its rows and its files) is removed with --fix: the workspace sweeps its
 * own only after its next file change, which may never come. A row naming a file that is not
 * there (a delete on a full disk killed between its files and its rows) answers 404: reported for
 * a human, who restores the files from a backup or deletes the attachment again. A tenant being
 * restored, cloned or imported (its lock held) is left to that work. A tenant the files check
 * already read (ctx.storedFiles) is not opened again.
 */
export const storedFilesCheck: DoctorCheck = async ({ platform, fix, storedFiles }) => {
  const findings: Finding[] = [];
  for (const tenant of platform.tenants.listByStatus(['active', 'suspended', 'maintenance']).filter((t) => !t.pending_operation)) {
    const read = storedFiles?.get(tenant.id);
    if (read) {
      findings.push(...read);
      continue;
    }
    if (FileLock.isHeld(tenantLockFile(platform.config.dataDir, tenant.id))) continue;
    const named = namedFilesOf(platform, tenant.id);
    if (!named) continue; // a file that cannot be opened: the files check reports it
    findings.push(...storedFileFindings(platform, tenant, named, fix));
  }
  return findings;
};

/**
 * For the files check, which opens each file already: what reads, while a tenant's sound file is
 * open, the stored-files check's findings for it (kept in ctx.storedFiles), or undefined for a
 * tenant that check would not read now (not active or suspended, its lock held, no run to keep
 * them for). A file behind the code is not read (it cannot be served), as namedFilesOf.
 */
export function storedFilesReader(ctx: DoctorContext, tenant: TenantRecord): ((db: TenantDatabase) => void) | undefined {
  const { platform, fix, storedFiles } = ctx;
  if (!storedFiles || (tenant.status !== 'active' && tenant.status !== 'suspended')) return undefined;
  if (FileLock.isHeld(tenantLockFile(platform.config.dataDir, tenant.id))) return undefined;
  return (db) => storedFiles.set(tenant.id, servable(db, platform.tenantSource) ? storedFileFindings(platform, tenant, namedFiles(db), fix) : []);
}

/** One tenant's stored files no row names (removed with --fix), and the named ones missing. */
function storedFileFindings(platform: ControlPlane, tenant: TenantRecord, named: Set<string>, fix: boolean): Finding[] {
  const { dataDir } = platform.config;
  const findings: Finding[] = [];
  const filesDir = tenantPaths(dataDir, tenant.id).files;
  const cutoff = Date.now() - UPLOAD_TEMP_MAX_AGE_MS;
  for (const name of entriesOf(filesDir).filter((entry) => STORED_FILE_NAME.test(entry) && !named.has(entry))) {
    const file = path.join(filesDir, name);
    const stat = fs.lstatSync(file, { throwIfNoEntry: false });
    if (!stat?.isFile() || stat.mtimeMs > cutoff) continue;
    const finding: Finding = {
      check: 'debris',
      subject: path.relative(dataDir, file),
      problem: 'a stored file no attachment and no logo names (left by an upload or a delete that stopped)',
      fix: 'remove it',
      needsHuman: false,
    };
    findings.push(fix ? tryFix(finding, () => fs.rmSync(file, { force: true })) : finding);
  }
  const missing = [...named].filter((name) => !fs.existsSync(path.join(filesDir, name)));
  if (missing.length) {
    findings.push({
      check: 'files',
      subject: tenant.slug,
      problem: `${missing.length} stored file(s) named by its attachments or its logo are missing (${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', ...' : ''}): they answer 404; restore them from a backup, or delete those attachments`,
      needsHuman: true,
    });
  }
  return findings;
}

/**
 * The names a tenant's rows hold, or undefined when its file cannot be served now (damaged or
 * behind: the files check reports it). Opened on its own, not through the router, which would
 * mark a damaged file (`tenantry doctor` without --fix changes nothing) and keep the handle.
 */
function namedFilesOf(platform: ControlPlane, tenantId: string): Set<string> | undefined {
  let db: TenantDatabase;
  try {
    db = openTenantFile(platform.config.dataDir, tenantId, 'serve', { source: platform.tenantSource });
  } catch (error) {
    if (error instanceof TenantUnavailableError) return undefined;
    throw error;
  }
  try {
    return namedFiles(db);
  } finally {
    db.close();
  }
}
