import fs from 'node:fs';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { runAndKillAt } from '../../support/killed-command';
import { cliFor } from '../../support/cli-runner';
import { repairInterruptedWork } from '../../../control-plane/doctor/run-doctor';
import { archiveRoot, tenantPaths } from '../../../tenant-runtime/tenant-paths';
import { locksDir } from '../../../control-plane/lifecycle/tenant-lock';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';

/**
 * Archive, restore and purge are killed (SIGKILL, a real child process) right after they
 * record the operation and before they move or delete files. The next start finishes what
 * the operator asked for: the tenant ends where the command would have left it.
 */
describe.each([
  ['tenants archive', 'archive:marked', ['tenants', 'archive', 'acme', '--yes'], { status: 'archived', live: false, archived: true }],
  ['tenants restore', 'restore:marked', ['tenants', 'restore', 'acme'], { status: 'active', live: true, archived: false }],
  ['tenants purge', 'purge:marked', ['tenants', 'purge', 'acme', '--yes'], { status: 'purged', live: false, archived: false }],
  ['tenants purge', 'purge:renamed', ['tenants', 'purge', 'acme', '--yes'], { status: 'purged', live: false, archived: false }],
  ['tenants purge', 'purge:folder-removed', ['tenants', 'purge', 'acme', '--yes'], { status: 'purged', live: false, archived: false }],
  // The restore window's end, as the lifecycle timer (and doctor --fix) purges it.
  ['the purge of a restore window that ended', 'purge:due-marked', ['doctor', '--fix'], { status: 'purged', live: false, archived: false }],
] as const)('%s killed half-way', (_label, point, args, expected) => {
  let t: TestPlatform;
  let acme: TenantRecord;
  let memberId: string;

  beforeAll(async () => {
    t = await createTestPlatform();
    acme = await makeTenant(t.platform, 'acme');
    const member = await makeUser(t.platform);
    memberId = member.id;
    await addMember(t.platform, member, acme, 'editor');
    if (point !== 'archive:marked') await cliFor(t.dataDir)(['tenants', 'archive', 'acme', '--yes']);
    if (point === 'purge:due-marked') t.platform.db.run('update tenants set status_until = 1 where id = ?', [acme.id]);
    const run = await runAndKillAt(t.dataDir, point, [...args]);
    expect(run).toMatchObject({ pausedAt: point, signal: 'SIGKILL' });
  }, 40_000);
  afterAll(() => t.cleanup());

  it('leaves the operation recorded on the row', () => {
    expect(t.platform.tenants.findById(acme.id)?.pending_operation).toBe(point.split(':')[0]);
  });

  it('is finished by the next start, with its files where the command puts them', async () => {
    await repairInterruptedWork(t.platform);
    expect(fs.readdirSync(archiveRoot(t.dataDir)).filter((entry) => entry.startsWith('.'))).toEqual([]);
    expect(t.platform.tenants.findById(acme.id)).toMatchObject({ status: expected.status, pending_operation: null });
    expect(fs.existsSync(tenantPaths(t.dataDir, acme.id).database)).toBe(expected.live);
    expect(fs.existsSync(tenantPaths(t.dataDir, acme.id, 'archive').database)).toBe(expected.archived);
    expect(Boolean(t.platform.memberships.findActive(memberId, acme.id))).toBe(expected.status !== 'purged');
    expect(fs.readdirSync(locksDir(t.dataDir))).toEqual([]);
    expect((await cliFor(t.dataDir)(['doctor'])).code).toBe(0);
  });
});
