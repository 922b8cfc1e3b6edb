import fs from 'node:fs';
import type { ProvisioningStep } from './provisioning-context';

/**
 * Closes the file (closing the last connection checkpoints the WAL into the main file with a
 * sync and removes it), then renames the temp folder into place in one step.
 */
export const promoteDatabase: ProvisioningStep = {
  name: 'promote-database',
  run(ctx) {
    if (!ctx.file) throw new Error('no database open');
    ctx.file.close();
    ctx.file = undefined;
    if (fs.existsSync(ctx.finalDir)) throw new Error('tenant folder already exists');
    fs.renameSync(ctx.tempDir, ctx.finalDir);
    ctx.promoted = true;
  },
};
