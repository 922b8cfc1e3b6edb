import fs from 'node:fs';
import { pausePoint } from '../../core/process/pause-point';
import { openTenantFile } from '../../tenant-runtime/open-tenant-file';
import type { ProvisioningStep } from '../provisioning/provisioning-context';
import { runTenantMigrations } from '../provisioning/run-tenant-migrations';
import { promoteDatabase } from '../provisioning/promote-database';
import { markTenantActive } from '../provisioning/mark-tenant-active';
import { ScheduleHints } from '../schedule/schedule-hints';
import { noteCopiedSchedule } from '../schedule/note-copied-schedule';

/**
 * The provisioning pipeline for a tenant made from existing data (a clone, an import) instead of
 * the template: `prepare` fills the temp folder with tenant.sqlite and files/, pending migrations
 * run (an older export catches up), then the folder is renamed into place and the tenant marked
 * active with the rows that belong to it. Pause points `<operation>:placed` and
 * `<operation>:promoted` let tests kill the process between the steps.
 */
export function copiedTenantSteps(operation: string, prepare: (tempDir: string) => void): ProvisioningStep[] {
  const place: ProvisioningStep = {
    name: 'copy-data',
    run(ctx) {
      fs.mkdirSync(ctx.tempDir, { recursive: true });
      prepare(ctx.tempDir);
      ctx.file = openTenantFile(ctx.dataDir, ctx.tenantId, 'create', { file: ctx.tempFile });
      pausePoint(`${operation}:placed`);
    },
  };
  // Its scheduled items go out at their time in the new tenant too (the hint counts only once it is active).
  const schedule: ProvisioningStep = {
    name: 'note-schedule',
    run(ctx) {
      if (!ctx.file) throw new Error('no database open');
      noteCopiedSchedule(new ScheduleHints(ctx.db), ctx.tenantId, ctx.file);
    },
  };
  const promoted: ProvisioningStep = { name: 'promoted', run: () => pausePoint(`${operation}:promoted`) };
  return [place, runTenantMigrations, schedule, promoteDatabase, promoted, markTenantActive];
}
