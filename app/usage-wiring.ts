import type { ControlPlane } from '../control-plane/control-plane';
import type { RollupDeps } from '../control-plane/usage/roll-up-usage';
import { rollupReader } from '../workspace/usage/rollup-reader';

/** The usage roll-up (control plane) reading tenant files through the workspace's usage report. */
export function usageRollupDeps(platform: ControlPlane): RollupDeps {
  return { platform, reader: rollupReader };
}
