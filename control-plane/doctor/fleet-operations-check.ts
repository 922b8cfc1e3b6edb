import { cutOffFleetOperations, recoverFleetOperations } from '../backups/recover-operations';
import type { DoctorCheck, Finding } from './finding';

const FIX: Record<string, string> = {
  restore: 'roll it back (or finish it, if it had committed)',
  'clone or import': 'remove the half-made tenant (row and folders) and free its slug',
  'work folder': 'remove it',
  'backup run': 'mark it interrupted',
};

/**
 * Restores from a backup, clones, imports and exports cut off by a crash or a kill (their process
 * is gone): rolled back, or finished once committed; backup runs they cut off: marked interrupted. First of the repairs, so a half-made clone or
 * import is undone by its own rule before the provisioning check would look at its row.
 */
export const fleetOperationsCheck: DoctorCheck = async ({ platform, fix }) => {
  const found = cutOffFleetOperations(platform);
  if (fix && found.length) recoverFleetOperations(platform);
  return found.map((op): Finding => ({
    check: 'fleet operations',
    subject: op.subject,
    problem: `a ${op.kind === 'work folder' ? 'work folder of an import or export' : op.kind === 'backup run' ? 'backup run still marked running' : op.kind} whose process stopped`,
    fix: FIX[op.kind],
    fixed: fix,
    needsHuman: false,
  }));
};
