import { diagnoseTenantFile } from '../../tenant-runtime/open-tenant-file';
import type { TenantDatabase } from '../../tenant-runtime/tenant-database';
import { applyTransition } from '../lifecycle/apply-transition';
import type { DoctorCheck, Finding } from './finding';
import { tryFix } from './finding';
import { storedFilesReader } from './stored-files-check';
import { itemCountsReader } from './item-counts-check';

/**
 * Every live tenant's file: the open checks and quick_check (integrity_check with --deep); while
 * a sound file is open, what the stored-files and item-counts checks read in it too.
 * A sound file of a damaged tenant (repaired by hand) is brought back online; a damaged file of
 * a live tenant is marked damaged (it answers members 503 and is never migrated) and left for a
 * human: restore it from a backup or repair it.
 */
export const filesCheck: DoctorCheck = async (ctx) => {
  const { platform, fix, deep, onFileChecked } = ctx;
  const { dataDir } = platform.config;
  const tenants = platform.tenants.listByStatus(['active', 'suspended', 'damaged']).filter((t) => !t.pending_operation);
  const findings: Finding[] = [];
  let done = 0;
  for (const tenant of tenants) {
    const readers = [storedFilesReader(ctx, tenant), itemCountsReader(ctx, tenant)].filter((r) => r !== undefined);
    const whileSound = readers.length ? (db: TenantDatabase) => readers.forEach((read) => read(db)) : undefined;
    const problem = diagnoseTenantFile(dataDir, tenant.id, { deep, whileSound });
    onFileChecked?.(++done, tenants.length);
    if (tenant.status === 'damaged') {
      if (problem) {
        findings.push({ check: 'files', subject: tenant.slug, problem: `damaged: ${problem}`, needsHuman: true });
      } else {
        const finding: Finding = {
          check: 'files',
          subject: tenant.slug,
          problem: 'marked damaged, but its file now passes every check',
          fix: 'bring it back online',
          needsHuman: false,
        };
        findings.push(
          fix
            ? tryFix(finding, () =>
                applyTransition(platform, tenant.id, 'recover', { actorUserId: null, by: 'operator', reason: 'its file passes its checks again' }),
              )
            : finding,
        );
      }
    } else if (problem) {
      const finding: Finding = {
        check: 'files',
        subject: tenant.slug,
        problem,
        fix: 'mark it damaged (members get a 503; it is never migrated)',
        needsHuman: true,
      };
      findings.push(fix ? tryFix(finding, () => platform.health.reportDamaged(tenant.id, problem, 'tenantry doctor')) : finding);
    }
  }
  return findings;
};

/** Tenants waiting for a decision: failed ones (retry or discard), and active ones with nobody to own them. */
export const statusCheck: DoctorCheck = async ({ platform }) => {
  const findings: Finding[] = platform.tenants.listByStatus(['failed']).map((t) => ({
    check: 'status',
    subject: t.slug,
    problem: `provisioning failed (${t.failure_reason ?? 'no reason recorded'}): retry it (tenantry tenants retry ${t.slug}) or discard it (tenantry tenants discard ${t.slug} --yes)`,
    needsHuman: true,
  }));
  const ownerless = platform.db.all<{ slug: string }>(
    `select t.slug from tenants t where t.status = 'active'
        and not exists (select 1 from memberships m join roles r on r.id = m.role_id
                         where m.tenant_id = t.id and m.status = 'active' and r.tenant_id is null and r.key = 'owner')
        and not exists (select 1 from invitations i join roles r on r.id = i.role_id
                         where i.tenant_id = t.id and i.state = 'pending' and i.expires_at > ? and r.tenant_id is null and r.key = 'owner')
      order by t.slug`,
    [Date.now()],
  );
  for (const t of ownerless) {
    findings.push({
      check: 'status',
      subject: t.slug,
      problem: `has no owner and no pending owner invitation (add one: tenantry tenants add-owner ${t.slug} --email <email>)`,
      needsHuman: false,
    });
  }
  return findings;
};
