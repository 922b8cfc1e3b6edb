import fs from 'node:fs';
import path from 'node:path';
import type { ControlPlane } from '../control-plane';
import { isProcessAlive } from '../../core/ops/process-alive';
import { recoverInterruptedProvisioning, CLAIM_SUFFIX } from '../transfer/provisioning-claim';
import { provisioningRoot } from '../provisioning/provisioning-paths';
import { TENANT_ID_PATTERN } from '../../tenant-runtime/tenant-paths';
import { exportsWorkRoot } from '../transfer/export-tenant';
import { importsWorkRoot } from '../transfer/import-tenant';
import { recoverInterruptedRestores, restoreRunning, type RestoreJournal } from './restore-recovery';
import { operationsRoot, readJson } from './operation-workspace';
import { BackupStateRepository } from './backup-state';

export interface Recovered {
  restores: number;
  /** Clones and imports undone before their tenant became active. */
  provisioning: number;
  /** Work folders of exports and imports whose process is gone. */
  workFolders: number;
  /** Backup runs left marked running by a process that is gone, now marked interrupted. */
  backupRuns: number;
}

/** Whether the process that recorded `pid` is gone (this process's own work is never cut off). */
function gone(pid: number | undefined): boolean {
  return !pid || (pid !== process.pid && !isProcessAlive(pid));
}

function entries(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

/** One operation a crash or a kill cut off, as the doctor reports it. */
export interface CutOffOperation {
  kind: 'restore' | 'clone or import' | 'work folder' | 'backup run';
  /** Its folder or file, under DATA_DIR/tenants/. */
  subject: string;
}

/**
 * What recoverFleetOperations would resolve now, without touching anything: restores, clones
 * and imports, work folders and backup runs whose process is gone (by the same rules).
 */
export function cutOffFleetOperations(platform: ControlPlane): CutOffOperation[] {
  const { dataDir } = platform.config;
  const restoring = operationsRoot(dataDir, 'restoring');
  const restores = entries(restoring)
    .filter((id) => {
      const journal = readJson<RestoreJournal>(path.join(restoring, id, 'journal.json'));
      return TENANT_ID_PATTERN.test(id) && !(journal && restoreRunning(journal));
    })
    .map((id): CutOffOperation => ({ kind: 'restore', subject: `.restoring/${id}` }));
  const claims = entries(provisioningRoot(dataDir))
    .filter((name) => name.endsWith(CLAIM_SUFFIX) && gone(readJson<{ pid: number }>(path.join(provisioningRoot(dataDir), name))?.pid))
    .map((name): CutOffOperation => ({ kind: 'clone or import', subject: `.provisioning/${name}` }));
  const work = [importsWorkRoot(dataDir), exportsWorkRoot(dataDir)].flatMap((root) =>
    entries(root)
      .filter((name) => gone(Number(/-(\d+)$/.exec(name)?.[1]) || undefined))
      .map((name): CutOffOperation => ({ kind: 'work folder', subject: `${path.basename(root)}/${name}` })),
  );
  const runs = new BackupStateRepository(platform.db)
    .cutOffRuns()
    .map((run): CutOffOperation => ({ kind: 'backup run', subject: `backup run ${run.id} (${run.trigger})` }));
  return [...restores, ...claims, ...work, ...runs];
}

/** Removes `<random>-<pid>` work folders whose process is gone. */
function sweepWorkFolders(root: string): number {
  let names: string[];
  try {
    names = fs.readdirSync(root);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    const pid = Number(/-(\d+)$/.exec(name)?.[1]);
    if (!pid || pid === process.pid || isProcessAlive(pid)) continue;
    fs.rmSync(path.join(root, name), { recursive: true, force: true });
    removed++;
  }
  return removed;
}

/**
 * Resolves what operations cut off by a crash or a kill left behind: restores are rolled back
 * (or finished, once committed), clones and imports that did not make their tenant active are
 * undone (row, folders), export and import work folders are removed, and backup runs still
 * marked running are marked interrupted. Part of the one repair
 * of interrupted work (control-plane/doctor/fleet-operations-check.ts: server start-up, the
 * lifecycle timer, CLI commands on tenants, `tenantry doctor --fix`); restores, clones and imports
 * run their part first too. Work of a process still running is left alone.
 */
export function recoverFleetOperations(platform: ControlPlane): Recovered {
  const { dataDir } = platform.config;
  return {
    restores: recoverInterruptedRestores(platform),
    provisioning: recoverInterruptedProvisioning(platform),
    workFolders: sweepWorkFolders(importsWorkRoot(dataDir)) + sweepWorkFolders(exportsWorkRoot(dataDir)),
    backupRuns: new BackupStateRepository(platform.db).markCutOffRuns(),
  };
}
