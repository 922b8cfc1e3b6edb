import fs from 'node:fs';
import type { ProvisioningStep } from './provisioning-context';

/**
 * Seals the staged file (its header switched to WAL, the connection closed, the file flushed
 * once: tenant-runtime/tenant-database.ts), then renames the temp folder into place in one step.
 */
export const promoteDatabase: ProvisioningStep = {
  name: 'promote-database',
  run(ctx) {
    if (!ctx.file) throw new Error('no database open');
    const file = ctx.file;
    ctx.file = undefined;
    file.sealStagedFile();
    if (fs.existsSync(ctx.finalDir)) throw new Error('tenant folder already exists');
    fs.renameSync(ctx.tempDir, ctx.finalDir);
    ctx.promoted = true;
  },
};
