import fs from 'node:fs';
import { pausePoint } from '../../core/process/pause-point';
import { openTenantFile } from '../../tenant-runtime/open-tenant-file';
import type { ProvisioningStep } from '../provisioning/provisioning-context';
import { runTenantMigrations } from '../provisioning/run-tenant-migrations';
import { promoteDatabase } from '../provisioning/promote-database';
import { markTenantActive } from '../provisioning/mark-tenant-active';
import { ScheduleHints } from '../schedule/schedule-hints';
import { noteCopiedSchedule } from '../schedule/note-copied-schedule';
import { recountItemStatuses } from '../tenants/item-status-counts';

/**
 * The provisioning pipeline for a tenant made from existing data (a clone, an import) instead of
 * the template: `prepare` fills the temp folder with tenant.sqlite and files/, pending migrations
 * run (an older export catches up), the items of each status are counted again, then the folder
 * is renamed into place and the tenant marked active with the rows that belong to it. Pause points `<operation>:placed` and
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
  // The counts a copy brings are figures, not facts: an archive's may have been edited by hand (its
  // schema and triggers are checked, its rows are not), a clone's are its source's, drift and all.
  // Counted from the items (one grouped count) before anyone reads them (decision 057).
  const counts: ProvisioningStep = {
    name: 'count-items',
    run(ctx) {
      if (!ctx.file) throw new Error('no database open');
      recountItemStatuses(ctx.file);
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
  return [place, runTenantMigrations, counts, schedule, promoteDatabase, promoted, markTenantActive];
}
