import fs from 'node:fs';
import path from 'node:path';
import { TENANT_ID_PATTERN, archiveRoot, tenantPaths, tenantsRoot } from '../../tenant-runtime/tenant-paths';
import { PURGING_PREFIX, moveToArchive } from '../lifecycle/tenant-folders';
import { LIVE_STATUSES } from '../lifecycle/tenant-transitions';
import { entriesOf } from './debris-check';
import { tryFix, type DoctorCheck, type Finding } from './finding';
import { statusWords } from '../tenants/tenant-record';

const WORK_FOLDERS = ['.provisioning', '.restoring', '.importing', '.exporting'];

/** data/orphans/: folders nobody's row accounts for are moved here, never deleted. */
export function orphansRoot(dataDir: string): string {
  return path.resolve(dataDir, 'orphans');
}

function quarantine(dataDir: string, dir: string): string {
  const target = path.join(orphansRoot(dataDir), `${path.basename(dir)}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  fs.mkdirSync(orphansRoot(dataDir), { recursive: true });
  fs.renameSync(dir, target);
  return target;
}

/**
 * Rows and folders that disagree, both ways. A folder in the live tree or the archive that no
 * row accounts for may be someone's data: it is moved to data/orphans/ (never deleted) and left
 * for a human. A failed tenant's folder (never active) is removed; an archive whose move was cut
 * off is finished. A row whose folder is missing is reported (the files check marks live ones
 * damaged).
 */
export const foldersCheck: DoctorCheck = async ({ platform, fix }) => {
  const { dataDir } = platform.config;
  const findings: Finding[] = [];
  const rel = (p: string) => path.relative(dataDir, p);
  const add = (finding: Finding, repair?: () => void) => findings.push(fix && repair ? tryFix(finding, repair) : finding);

  for (const entry of entriesOf(tenantsRoot(dataDir))) {
    // Work folders of provisioning, restores, imports and exports: their own checks handle them.
    if (WORK_FOLDERS.includes(entry)) continue;
    const dir = path.join(tenantsRoot(dataDir), entry);
    if (!TENANT_ID_PATTERN.test(entry)) {
      add({ check: 'folders', subject: rel(dir), problem: 'an entry in the tenants folder that is not a tenant', needsHuman: true });
      continue;
    }
    const row = platform.tenants.findById(entry);
    if (row && (LIVE_STATUSES.includes(row.status) || row.status === 'provisioning' || row.pending_operation)) continue;
    if (row?.status === 'archived') {
      const both = fs.existsSync(tenantPaths(dataDir, entry, 'archive').dir);
      if (both) add({ check: 'folders', subject: row.slug, problem: 'archived, with a folder both in the live tree and in the archive', needsHuman: true });
      else
        add(
          {
            check: 'folders',
            subject: row.slug,
            problem: 'archived, but its folder is still in the live tree',
            fix: 'finish the move to the archive',
            needsHuman: false,
          },
          () => moveToArchive(dataDir, entry),
        );
    } else if (row?.status === 'failed') {
      add(
        {
          check: 'folders',
          subject: row.slug,
          problem: 'a failed tenant with a folder in the live tree (never active)',
          fix: 'remove the folder',
          needsHuman: false,
        },
        () => fs.rmSync(dir, { recursive: true, force: true }),
      );
    } else {
      const whose = row ? `the ${row.status} tenant ${row.slug}` : 'no tenant';
      add(
        {
          check: 'folders',
          subject: rel(dir),
          problem: `an orphan folder in the live tree (its id belongs to ${whose})`,
          fix: 'move it to data/orphans/ for a human to look at',
          needsHuman: true,
        },
        () => quarantine(dataDir, dir),
      );
    }
  }

  for (const entry of entriesOf(archiveRoot(dataDir))) {
    const dir = path.join(archiveRoot(dataDir), entry);
    if (entry.startsWith(PURGING_PREFIX)) {
      const row = platform.tenants.findById(entry.slice(PURGING_PREFIX.length));
      if (row?.pending_operation === 'purge') continue;
      add({ check: 'folders', subject: rel(dir), problem: 'the rest of a purge that stopped', fix: 'remove it', needsHuman: false }, () =>
        fs.rmSync(dir, { recursive: true, force: true }),
      );
      continue;
    }
    const row = TENANT_ID_PATTERN.test(entry) ? platform.tenants.findById(entry) : undefined;
    if (row && (row.status === 'archived' || row.pending_operation)) continue;
    add(
      {
        check: 'folders',
        subject: rel(dir),
        problem: `an archive folder no archived tenant accounts for${row ? ` (${row.slug} is ${statusWords(row.status)})` : ''}`,
        fix: 'move it to data/orphans/',
        needsHuman: true,
      },
      () => quarantine(dataDir, dir),
    );
  }

  for (const row of platform.tenants.listByStatus(['archived'])) {
    if (row.pending_operation) continue;
    if (!fs.existsSync(tenantPaths(dataDir, row.id, 'archive').dir) && !fs.existsSync(tenantPaths(dataDir, row.id).dir)) {
      add({ check: 'folders', subject: row.slug, problem: 'archived, but its archived folder is missing: it cannot be restored', needsHuman: true });
    }
  }
  return findings;
};
