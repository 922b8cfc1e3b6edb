import fs from 'node:fs';
import type { ProvisioningStep } from './provisioning-context';
import { copiesInFile } from '../tenants/settings-copies';

/**
 * Seals the staged file (its header switched to WAL, the connection closed, the file flushed
 * once: tenant-runtime/tenant-database.ts), then renames the temp folder into place in one step.
 * Its display name and language (seeded, or a clone's or an import's own) are read just before,
 * for the control plane's copies of them (markTenantActive writes them).
 */
export const promoteDatabase: ProvisioningStep = {
  name: 'promote-database',
  run(ctx) {
    if (!ctx.file) throw new Error('no database open');
    const file = ctx.file;
    ctx.file = undefined;
    ctx.settingsCopies = copiesInFile(file);
    file.sealStagedFile();
    if (fs.existsSync(ctx.finalDir)) throw new Error('tenant folder already exists');
    fs.renameSync(ctx.tempDir, ctx.finalDir);
    ctx.promoted = true;
  },
};
