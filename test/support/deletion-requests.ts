import fs from 'node:fs';
import type { Platform } from '../../app/create-platform';
import type { TenantRecord } from '../../control-plane/tenants/tenant-record';
import type { UserRecord } from '../../control-plane/users/user-record';
import { outboxDir } from '../../core/mail/mailer';
import { makeTenant, makeUser } from './factories';
import { setRole } from './team';
import type { TestPlatform } from './test-platform';

export interface DeletionRequestCast {
  alpha: TenantRecord;
  bravo: TenantRecord;
  users: Record<'alice' | 'adam' | 'bob' | 'root', UserRecord>;
}

/**
 * Two workspaces and the people who ask to delete them or decline it: Alice owns alpha and Adam
 * is its admin, Bob owns bravo, Root is a super admin.
 */
export async function deletionRequestCast(platform: Platform): Promise<DeletionRequestCast> {
  const alpha = await makeTenant(platform, 'alpha');
  const bravo = await makeTenant(platform, 'bravo');
  const users = {} as DeletionRequestCast['users'];
  for (const name of ['alice', 'adam', 'bob'] as const)
    users[name] = await makeUser(platform, { email: `${name}@example.com`, name: name[0].toUpperCase() + name.slice(1) });
  users.root = await makeUser(platform, { email: 'root@example.com', name: 'Root', superAdmin: true });
  await setRole(platform, users.alice, alpha, 'owner');
  await setRole(platform, users.adam, alpha, 'admin');
  await setRole(platform, users.bob, bravo, 'owner');
  return { alpha, bravo, users };
}

/** No deletion request, no audit of one and no mail left from the test before (its mail written first). */
export async function forgetDeletionRequests(t: TestPlatform): Promise<void> {
  await t.platform.background.idle();
  t.platform.db.run('delete from tenant_deletion_requests');
  t.platform.db.run("delete from audit_events where action like 'tenant.deletion.%'");
  fs.rmSync(outboxDir(t.dataDir), { recursive: true, force: true });
}
