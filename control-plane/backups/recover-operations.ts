import type { ControlPlane } from '../control-plane';
import { recoverInterruptedRestores } from './restore-recovery';

export interface Recovered {
  restores: number;
}

/**
 * Resolves what operations cut off by a crash or a kill left behind: restores are rolled back
 * (or finished, once committed). Runs when the server starts; commands that would trip over
 * them run it first too. Work of a process still running is left alone.
 */
export function recoverFleetOperations(platform: ControlPlane): Recovered {
  return { restores: recoverInterruptedRestores(platform) };
}
