import fs from 'node:fs';
import path from 'node:path';
import { FileLock } from '../../core/process/file-lock';
import { TENANT_ID_PATTERN, tenantPaths, tenantsRoot } from '../../tenant-runtime/tenant-paths';
import type { ControlPlane } from '../control-plane';
import { locksDir, lockedTenantIds, tenantLockFile } from '../lifecycle/tenant-lock';
import { provisioningRoot } from '../provisioning/provisioning-paths';
import { TEMPLATE_TEMP_PREFIX, templatesDir } from '../provisioning/tenant-template';
import { tryFix, type DoctorCheck, type Finding } from './finding';
import { DELETING_PREFIX, tenantBackupsDir } from '../backups/backup-location';
import { backupLeftovers } from '../backups/prune-backups';

/** An upload is written to a temp file and renamed; one older than this was cut off. */
export const UPLOAD_TEMP_MAX_AGE_MS = 10 * 60_000;
const UPLOAD_TEMP_PREFIX = '.upload-';

export function entriesOf(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

function relative(platform: ControlPlane, target: string): string {
  return path.relative(platform.config.dataDir, target) || '.';
}

/** Whether some tenant is being provisioned right now (a `provisioning` row whose lock is held). */
function provisioningRunning(platform: ControlPlane): boolean {
  return platform.tenants.listByStatus(['provisioning']).some((t) => FileLock.isHeld(tenantLockFile(platform.config.dataDir, t.id)));
}

/**
 * What interrupted work leaves on disk: provisioning temp folders, template temp files and
 * lock files nobody holds. Each is removed only when no running process owns it.
 */
export const debrisCheck: DoctorCheck = async ({ platform, fix }) => {
  const { dataDir } = platform.config;
  const findings: Finding[] = [];
  const found = (subject: string, problem: string, fixText: string, repair: () => void) => {
    const finding: Finding = { check: 'debris', subject, problem, fix: fixText, needsHuman: false };
    findings.push(fix ? tryFix(finding, repair) : finding);
  };

  for (const entry of entriesOf(provisioningRoot(dataDir))) {
    // A clone's or an import's claim on its tenant id: undone with its tenant by the fleet recovery.
    if (entry.endsWith('.owner')) continue;
    const dir = path.join(provisioningRoot(dataDir), entry);
    if (TENANT_ID_PATTERN.test(entry)) {
      const row = platform.tenants.findById(entry);
      if (row?.status === 'provisioning' || FileLock.isHeld(tenantLockFile(dataDir, entry))) continue;
    }
    found(relative(platform, dir), 'a provisioning temp folder left by an attempt that stopped', 'remove it', () =>
      fs.rmSync(dir, { recursive: true, force: true }),
    );
  }

  const templateTemps = entriesOf(templatesDir(dataDir)).filter((e) => e.startsWith(TEMPLATE_TEMP_PREFIX));
  if (templateTemps.length && !provisioningRunning(platform)) {
    for (const entry of templateTemps) {
      const file = path.join(templatesDir(dataDir), entry);
      found(relative(platform, file), 'a tenant template temp file left by a build that stopped', 'remove it', () => fs.rmSync(file, { force: true }));
    }
  }

  for (const tenantId of lockedTenantIds(dataDir)) {
    const row = platform.tenants.findById(tenantId);
    if (row?.status === 'provisioning' || row?.pending_operation) continue; // the checks above finish those
    const lock = FileLock.tryHold(tenantLockFile(dataDir, tenantId));
    if (!lock) continue;
    lock.release();
    const file = tenantLockFile(dataDir, tenantId);
    found(relative(platform, file), 'a lock file nobody holds', 'remove it', () => {
      const again = FileLock.tryHold(file);
      again?.release({ remove: true });
    });
  }
  for (const entry of entriesOf(locksDir(dataDir)).filter((e) => e.endsWith('.lock-journal'))) {
    const lockFile = path.join(locksDir(dataDir), entry.replace(/-journal$/, ''));
    if (fs.existsSync(lockFile)) continue;
    found(relative(platform, path.join(locksDir(dataDir), entry)), 'a lock journal without its lock', 'remove it', () =>
      fs.rmSync(path.join(locksDir(dataDir), entry), { force: true }),
    );
  }
  return findings;
};

/** Upload temp files (`.upload-*`) in tenants' files folders, older than ten minutes: cut-off uploads. */
export const uploadTempCheck: DoctorCheck = async ({ platform, fix }) => {
  const { dataDir } = platform.config;
  const cutoff = Date.now() - UPLOAD_TEMP_MAX_AGE_MS;
  const findings: Finding[] = [];
  for (const entry of entriesOf(tenantsRoot(dataDir)).filter((e) => TENANT_ID_PATTERN.test(e))) {
    const files = tenantPaths(dataDir, entry).files;
    for (const name of entriesOf(files).filter((n) => n.startsWith(UPLOAD_TEMP_PREFIX))) {
      const file = path.join(files, name);
      const stat = fs.lstatSync(file, { throwIfNoEntry: false });
      if (!stat?.isFile() || stat.mtimeMs > cutoff) continue;
      const finding: Finding = {
        check: 'debris',
        subject: relative(platform, file),
        problem: 'an upload temp file left by an upload that stopped',
        fix: 'remove it',
        needsHuman: false,
      };
      findings.push(fix ? tryFix(finding, () => fs.rmSync(file, { force: true })) : finding);
    }
  }
  return findings;
};

/**
 * Copies of backups cut off by a crash or a kill (`.partial-<id>-<pid>` of a process that is
 * gone) and backups half-removed by retention, in every tenant's backup folder: each may be a
 * whole database. The tenant's next backup sweeps its own; the doctor sweeps them all.
 */
export const backupDebrisCheck: DoctorCheck = async ({ platform, fix }) => {
  const { backupDir } = platform.config;
  const findings: Finding[] = [];
  for (const tenantId of entriesOf(backupDir).filter((e) => TENANT_ID_PATTERN.test(e))) {
    for (const name of backupLeftovers(backupDir, tenantId)) {
      const target = path.join(tenantBackupsDir(backupDir, tenantId), name);
      const finding: Finding = {
        check: 'debris',
        subject: target,
        problem: name.startsWith(DELETING_PREFIX) ? 'a backup half-removed by retention' : 'a partial backup left by a backup that stopped',
        fix: 'remove it',
        needsHuman: false,
      };
      findings.push(fix ? tryFix(finding, () => fs.rmSync(target, { recursive: true, force: true })) : finding);
    }
  }
  return findings;
};
