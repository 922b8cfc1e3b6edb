import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { signIn, type Agent } from '../../support/http-agent';
import { submitFrom } from '../../support/accounts';
import type { UserRecord } from '../../../control-plane/users/user-record';

describe('an impersonation session', () => {
  let t: TestPlatform;
  let root: UserRecord;
  let admin: Agent;

  beforeEach(async () => {
    t = await createTestPlatform({ IMPERSONATION_MINUTES: '20' });
    const { app } = createApp(t.platform);
    const acme = await makeTenant(t.platform, 'acme', 'Acme Studio');
    root = await makeUser(t.platform, { superAdmin: true, email: 'root@example.com', name: 'Root Admin' });
    const alice = await makeUser(t.platform, { email: 'alice@acme.test', name: 'Alice Archer' });
    await addMember(t.platform, alice, acme, 'owner');
    admin = await signIn(app, root.email);
    await submitFrom(admin, `/admin/users/${alice.id}`, `/admin/users/${alice.id}/impersonate`, { reason: 'Ticket 4711: a missing button' });
  });
  afterEach(() => t.cleanup());

  it('that has expired refuses a request that is no page, saying the day and time it ended in UTC as everywhere else', async () => {
    const endedAt = Date.UTC(2025, 2, 1, 9, 30, 45);
    t.platform.db.connection().prepare("update sessions set data = json_set(data, '$.impersonation.expiresAt', ?) where user_id = ?").run(endedAt, root.id);

    const res = await admin.get('/t/acme/items').set('Accept', 'application/json');

    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe(
      "Your impersonation ended at 2025-03-01 09:30 UTC; nothing was done. Start it again from the user's page if you still need it.",
    );
  });
});
