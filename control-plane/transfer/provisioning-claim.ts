import fs from 'node:fs';
import path from 'node:path';
import type { ControlPlane } from '../control-plane';
import { isProcessAlive } from '../../core/ops/process-alive';
import { tenantPaths, tenantsRoot, TENANT_ID_PATTERN } from '../../tenant-runtime/tenant-paths';
import { readJson, writeJsonAtomically } from '../backups/operation-workspace';

interface Claim {
  pid: number;
  operation: 'clone' | 'import';
  slug: string;
}

/** A claim file's name: `<tenant-id>.owner`, beside the tenant's provisioning folder. */
export const CLAIM_SUFFIX = '.owner';

function claimFile(dataDir: string, tenantId: string): string {
  return path.join(tenantsRoot(dataDir), '.provisioning', `${tenantId}${CLAIM_SUFFIX}`);
}

/**
 * Marks a tenant being made by a clone or an import as this process's, beside its provisioning
 * folder (not inside it: that folder is renamed into place), before its row is written. Until
 * released, a crash or a kill is recognised by the next start and undone.
 */
export function claimProvisioning(dataDir: string, tenantId: string, operation: Claim['operation'], slug: string): void {
  fs.mkdirSync(path.dirname(claimFile(dataDir, tenantId)), { recursive: true });
  writeJsonAtomically(claimFile(dataDir, tenantId), { pid: process.pid, operation, slug } satisfies Claim);
}

export function releaseProvisioning(dataDir: string, tenantId: string): void {
  fs.rmSync(claimFile(dataDir, tenantId), { force: true });
}

/**
 * Removes a tenant a clone or an import was making, if it never became active: its row (with its
 * audit record), its folder and its temp folder, so the slug is free again and nothing half-made
 * is left. Returns whether there was anything to undo.
 */
export function undoClaimedTenant(platform: ControlPlane, tenantId: string, operation: string): boolean {
  const { dataDir } = platform.config;
  const tenant = platform.tenants.findById(tenantId);
  if (tenant && tenant.status !== 'provisioning' && tenant.status !== 'failed') return false;
  fs.rmSync(path.join(tenantsRoot(dataDir), '.provisioning', tenantId), { recursive: true, force: true });
  fs.rmSync(tenantPaths(dataDir, tenantId).dir, { recursive: true, force: true });
  if (!tenant) return false;
  platform.db.write(() => {
    platform.db.run("delete from tenants where id = ? and status in ('provisioning', 'failed')", [tenantId]);
    platform.audit.record({
      action: `tenant.${operation}.undone`,
      actorUserId: null,
      tenantId,
      targetType: 'tenant',
      targetId: tenantId,
      after: { slug: tenant.slug, reason: tenant.failure_reason ?? 'interrupted' },
    });
  });
  platform.changes.tenantChanged(tenant.slug);
  return true;
}

/**
 * Undoes clones and imports whose process is gone (killed, crashed) before their tenant became
 * active. Runs with every repair of interrupted work (backups/recover-operations.ts) and before every clone and import.
 */
export function recoverInterruptedProvisioning(platform: ControlPlane): number {
  const dir = path.join(tenantsRoot(platform.config.dataDir), '.provisioning');
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((name) => name.endsWith(CLAIM_SUFFIX) && TENANT_ID_PATTERN.test(name.slice(0, -CLAIM_SUFFIX.length)));
  } catch {
    return 0;
  }
  let undone = 0;
  for (const name of names) {
    const tenantId = name.slice(0, -CLAIM_SUFFIX.length);
    const claim = readJson<Claim>(path.join(dir, name));
    if (claim && (claim.pid === process.pid || isProcessAlive(claim.pid))) continue;
    if (undoClaimedTenant(platform, tenantId, claim?.operation ?? 'provisioning')) undone++;
    fs.rmSync(path.join(dir, name), { force: true });
  }
  return undone;
}
