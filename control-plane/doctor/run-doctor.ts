import type { ControlPlane } from '../control-plane';
import { endDueStatuses } from '../lifecycle/end-due-statuses';
import { backupDebrisCheck, debrisCheck, uploadTempCheck } from './debris-check';
import { filesCheck, statusCheck } from './files-check';
import type { DoctorCheck, DoctorContext, Finding } from './finding';
import { foldersCheck } from './folders-check';
import { operationsCheck, ownerMailCheck, provisioningCheck } from './provisioning-check';
import { fleetOperationsCheck } from './fleet-operations-check';
import { storedFilesCheck } from './stored-files-check';
import { tenantEventsCheck } from './tenant-events-check';
import { mailQueueCheck } from './mail-queue-check';
import { itemCountsCheck } from './item-counts-check';

/**
 * What interrupted work leaves behind, in the order it must be repaired: restores from a
 * backup, clones, imports and exports (their own journals and claims), then provisioning and
 * file operations (they own their temp folders and locks), then leftovers, then rows and
 * folders that disagree. Safe to run while a server runs: work in progress holds its
 * tenant's lock and is left alone. The server runs these at start-up and every CLI command
 * that touches tenants runs them first.
 */
/** The repairs of work in progress when a process stopped: also run by the lifecycle timer. */
export const INTERRUPTED_WORK_CHECKS: DoctorCheck[] = [fleetOperationsCheck, provisioningCheck, operationsCheck];

/**
 * Start-up, CLI commands and `doctor --fix` also mail first owners' invitations a stopped process
 * never mailed (not the timer: while mail cannot be sent, each try makes a new link, and a
 * minute's retries would fill the audit trail). First: a provisioning finished in the same run
 * whose mail fails is tried again by the next run, not twice in this one. Last: member and
 * invitation events a stopped process never queued for the tenant's webhooks.
 */
export const AUTOMATIC_CHECKS: DoctorCheck[] = [ownerMailCheck, ...INTERRUPTED_WORK_CHECKS, debrisCheck, foldersCheck, tenantEventsCheck];

/**
 * `tenantry doctor` adds the tenant files (quick or deep), upload temp files, stored files no row
 * names (and rows naming a missing file), backups cut off, the tenants waiting for a decision,
 * workflow mails waiting too long and counts of items by status that differ from the items.
 */
export const ALL_CHECKS: DoctorCheck[] = [
  ...AUTOMATIC_CHECKS,
  uploadTempCheck,
  backupDebrisCheck,
  filesCheck,
  storedFilesCheck,
  statusCheck,
  mailQueueCheck,
  itemCountsCheck,
];

export interface DoctorReport {
  findings: Finding[];
  /** Findings left for a human (including fixes that failed and, without --fix, everything fixable). */
  unresolved: Finding[];
}

export async function runDoctor(ctx: DoctorContext, checks: DoctorCheck[] = ALL_CHECKS): Promise<DoctorReport> {
  const findings: Finding[] = [];
  if (ctx.fix) {
    for (const outcome of await endDueStatuses(ctx.platform)) {
      findings.push({
        check: 'lifecycle',
        subject: outcome.slug,
        problem: outcome.action === 'resume' ? 'its suspension has ended' : 'its restore window has ended',
        fix: outcome.action === 'resume' ? 'resume it' : 'purge it',
        fixed: !outcome.error,
        needsHuman: Boolean(outcome.error),
        error: outcome.error,
      });
    }
  }
  const run: DoctorContext = { ...ctx, storedFiles: ctx.storedFiles ?? new Map(), itemCounts: ctx.itemCounts ?? new Map() };
  for (const check of checks) findings.push(...(await check(run)));
  return { findings, unresolved: findings.filter((f) => f.needsHuman || (f.fix !== undefined && !f.fixed)) };
}

/**
 * The repairs run without asking (server start-up, CLI commands on tenants, the lifecycle
 * timer): interrupted work is finished or rolled back, due statuses end. What still needs a
 * human is logged.
 */
export async function repairInterruptedWork(platform: ControlPlane): Promise<DoctorReport> {
  const report = await runDoctor({ platform, fix: true, deep: false }, AUTOMATIC_CHECKS);
  for (const f of report.findings) {
    const line = { check: f.check, subject: f.subject, problem: f.problem, fix: f.fix, error: f.error };
    if (f.needsHuman) platform.logger.warn(line, 'needs a human: run "tenantry doctor"');
    else platform.logger.info(line, 'repaired what an interrupted operation left');
  }
  return report;
}
