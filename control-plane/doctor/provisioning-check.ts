import { reconcileProvisioning } from '../provisioning/reconcile-provisioning';
import { finishInterruptedOperations } from '../lifecycle/finish-pending-operation';
import { mailOwedOwnerInvitations } from '../provisioning/owed-owner-mail';
import type { DoctorCheck, Finding } from './finding';

/** Rows left in `provisioning` by a process that died: finished or rolled back. */
export const provisioningCheck: DoctorCheck = async ({ platform, fix }) => {
  const repairs = await reconcileProvisioning(platform, { fix });
  return repairs
    .filter((r) => r.outcome !== 'in-progress')
    .map((r): Finding => ({
      check: 'provisioning',
      subject: r.slug,
      problem: 'left in provisioning by a process that stopped',
      fix: fix ? r.detail : r.outcome === 'finished' ? 'activate it (its file is complete) with its owner' : 'roll it back and free the slug',
      fixed: fix,
      needsHuman: false,
    }));
};

/** Archives, restores and purges cut off half-way: finished. */
export const operationsCheck: DoctorCheck = async ({ platform, fix }) => {
  if (!fix) {
    return platform.tenants.listPendingOperations().map((t) => ({
      check: 'operations',
      subject: t.slug,
      problem: `its ${t.pending_operation} was started and not finished (or is running now)`,
      fix: `finish the ${t.pending_operation}`,
      needsHuman: false,
    }));
  }
  return (await finishInterruptedOperations(platform)).map((r): Finding => ({
    check: 'operations',
    subject: r.slug,
    problem: 'a file operation was cut off',
    fix: r.done ?? 'finish it',
    fixed: !r.error,
    needsHuman: Boolean(r.error),
    error: r.error,
  }));
};

/**
 * Tenants made active whose first owner's invitation was never mailed (the process stopped
 * between the two, or a repair's mail failed): mailed with a new link.
 */
export const ownerMailCheck: DoctorCheck = async ({ platform, fix }) =>
  (await mailOwedOwnerInvitations(platform, { fix })).map((r): Finding => {
    const finding = { check: 'owner-mail', subject: r.slug, problem: `its first owner's invitation to ${r.email} was never mailed`, needsHuman: false };
    if (r.outcome === 'owed') return { ...finding, fix: 'mail them a new invitation link' };
    if (r.outcome === 'settled') return { ...finding, fix: 'nothing to mail: the invitation was accepted, revoked or replaced since', fixed: true };
    if (r.outcome === 'mailed') return { ...finding, fix: 'mailed them a new invitation link', fixed: true };
    return {
      ...finding,
      fix: 'mail them a new invitation link',
      fixed: false,
      needsHuman: true,
      error: `the mail could not be sent: the next start or tenantry doctor --fix tries again, or send one now with tenantry tenants add-owner ${r.slug} --email ${r.email}`,
    };
  });
