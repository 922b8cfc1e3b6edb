import { createTestPlatform, type TestPlatform } from '../support/test-platform';
import { addMember, makeTenant, makeUser } from '../support/factories';
import { postForm, signIn } from '../support/http-agent';
import { membershipOf } from '../support/team';
import { addEndpoint, deliveriesOf } from '../support/webhooks';
import { freePort, killServerAt, startServerProcess } from '../support/server-process';
import type { TenantRecord } from '../../control-plane/tenants/tenant-record';
import type { UserRecord } from '../../control-plane/users/user-record';

describe('a member event whose server is killed between the control plane’s commit and the webhook queue', () => {
  let t: TestPlatform;
  let tenant: TenantRecord;
  let owner: UserRecord;
  let member: UserRecord;
  beforeEach(async () => {
    t = await createTestPlatform({ WEBHOOKS_ALLOW_PRIVATE: '1' });
    tenant = await makeTenant(t.platform, 'acme');
    owner = await makeUser(t.platform);
    member = await makeUser(t.platform);
    await addMember(t.platform, owner, tenant, 'owner');
    await addMember(t.platform, member, tenant, 'editor');
    await addEndpoint(t.platform, tenant, 'http://127.0.0.1:9/hook', ['member.removed']);
    t.platform.router.closeAll();
  });
  afterEach(() => t.cleanup());

  const outboxed = () => t.platform.db.get<{ n: number }>('select count(*) as n from tenant_event_outbox')?.n ?? 0;

  it.each([
    ['before it was queued', 'tenant-event:committed'],
    ['once queued, before it left the control plane’s outbox', 'tenant-event:queued'],
  ])(
    'killed %s, is queued for the tenant’s webhooks once, when the server starts again',
    async (_when, point) => {
      const { membership_id: membershipId } = membershipOf(t.platform, member, tenant);
      await killServerAt(t.dataDir, point, async (url) =>
        postForm(await signIn(url, owner.email), `/t/acme/members/${membershipId}/remove`, { confirmed: 'yes' }),
      );
      expect(t.platform.memberships.findMemberOfUser(member.id, tenant.id)).toBeUndefined();
      expect(outboxed()).toBe(1);

      for (let start = 0; start < 2; start++) {
        const server = startServerProcess(t.dataDir, await freePort());
        try {
          await server.serving;
          const deadline = Date.now() + 10_000;
          // Until the event has left the control plane's outbox: queued, or it never will be.
          while (outboxed() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        } finally {
          server.child.kill('SIGKILL');
          await server.exited;
        }
      }
      expect(await deliveriesOf(t.platform, tenant)).toEqual([expect.objectContaining({ event_type: 'member.removed', state: 'pending' })]);
      expect(t.platform.webhookHints.get(tenant.id)).toBeLessThanOrEqual(Date.now());
    },
    90_000,
  );
});
