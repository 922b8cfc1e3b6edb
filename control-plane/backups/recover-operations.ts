import fs from 'node:fs';
import path from 'node:path';
import type { ControlPlane } from '../control-plane';
import { isProcessAlive } from '../../core/ops/process-alive';
import { recoverInterruptedProvisioning } from '../transfer/provisioning-claim';
import { exportsWorkRoot } from '../transfer/export-tenant';
import { importsWorkRoot } from '../transfer/import-tenant';
import { recoverInterruptedRestores } from './restore-recovery';

export interface Recovered {
  restores: number;
  /** Clones and imports undone before their tenant became active. */
  provisioning: number;
  /** Work folders of exports and imports whose process is gone. */
  workFolders: number;
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
 * undone (row, folders), and export and import work folders are removed. Runs when the server
 * starts; commands that would trip over them run their part first too. Work of a process still
 * running is left alone.
 */
export function recoverFleetOperations(platform: ControlPlane): Recovered {
  const { dataDir } = platform.config;
  return {
    restores: recoverInterruptedRestores(platform),
    provisioning: recoverInterruptedProvisioning(platform),
    workFolders: sweepWorkFolders(importsWorkRoot(dataDir)) + sweepWorkFolders(exportsWorkRoot(dataDir)),
  };
}
