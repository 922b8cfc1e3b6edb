import fs from 'node:fs';
import path from 'node:path';
import type { ControlPlane } from '../control-plane';
import { tenantPaths, tenantsRoot } from '../../tenant-runtime/tenant-paths';
import { DemoFixtures } from './demo-fixtures';
import { removeArchived } from '../lifecycle/tenant-folders';

/**
 * Removes what `tenantry demo` made, and only that: its tenant (row, memberships, roles, grants,
 * files, live or archived) and its users (with their sessions). Killable at any point: the rows go in one
 * transaction, the tenant's fixture record stays until its folder is gone, and the next run
 * finishes what a killed one left (a folder without a row, users without a tenant).
 */
export function removeDemo(platform: ControlPlane, actorUserId: string | null): { tenants: number; users: number } {
  const fixtures = new DemoFixtures(platform.db);
  // A demo tenant whose provisioning was killed: held under its slug, never marked active.
  const unfinished = fixtures
    .list('slug')
    .map((f) => platform.tenants.findBySlug(f.id))
    .filter((t) => t && (t.status === 'provisioning' || t.status === 'failed'))
    .map((t) => (t as { id: string }).id);
  for (const id of unfinished) fixtures.add('tenant', id, 'unfinished');
  const tenantIds = fixtures.list('tenant').map((f) => f.id);
  const userIds = fixtures.list('user').map((f) => f.id);
  let tenants = 0;
  platform.db.write(() => {
    for (const id of tenantIds) {
      const tenant = platform.tenants.findById(id);
      if (!tenant) continue;
      platform.router.closeTenant(id);
      // Memberships, custom roles, invitations, grants and schedule hints go with it (foreign keys).
      platform.db.run('delete from tenants where id = ?', [id]);
      tenants++;
      platform.audit.record({ action: 'demo.remove', actorUserId, tenantId: id, targetType: 'tenant', targetId: id, before: { slug: tenant.slug } });
    }
    for (const id of userIds) {
      platform.users.delete(id);
      fixtures.remove('user', id);
    }
    for (const f of fixtures.list('slug')) fixtures.remove('slug', f.id);
  });
  if (tenants) platform.changes.tenantChanged();
  platform.changes.membershipsChanged();
  for (const id of tenantIds) {
    if (platform.tenants.findById(id)) continue;
    fs.rmSync(tenantPaths(platform.config.dataDir, id).dir, { recursive: true, force: true });
    // A demo a super admin archived has its folder in the archive (a purge's way of removing it).
    removeArchived(platform.config.dataDir, id);
    fs.rmSync(path.join(tenantsRoot(platform.config.dataDir), '.provisioning', id), { recursive: true, force: true });
    fixtures.remove('tenant', id);
  }
  return { tenants, users: userIds.length };
}

/**
 * What a killed run may have left: tenant folders whose row is gone, a demo tenant whose
 * provisioning never finished, users of a demo that no longer exists.
 */
export function sweepDemoLeftovers(platform: ControlPlane): void {
  const fixtures = new DemoFixtures(platform.db);
  const live = fixtures.list('tenant').filter((f) => isMade(platform.tenants.findById(f.id)?.status));
  if (!live.length) removeDemo(platform, null);
}

/** A demo tenant that was made (whatever a super admin did to it since), as opposed to one whose making never finished. */
export function isMade(status: string | undefined): boolean {
  return status !== undefined && status !== 'provisioning' && status !== 'failed';
}
