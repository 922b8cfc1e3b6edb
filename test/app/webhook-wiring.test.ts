import { createTestPlatform, type TestPlatform } from '../support/test-platform';
import { addMember, makeTenant, makeUser } from '../support/factories';
import { postForm, signIn } from '../support/http-agent';
import { membershipOf } from '../support/team';
import { addEndpoint, deliveriesOf } from '../support/webhooks';
import { freePort, killServerAt, startServerProcess } from '../support/server-process';
import type { TenantRecord } from '../../control-plane/tenants/tenant-record';
import type { UserRecord } from '../../control-plane/users/user-record';
import { deleteUser } from '../../control-plane/users/delete-user';
import { CLI_OPERATOR } from '../../control-plane/audit/operator';
import { applyTransition } from '../../control-plane/lifecycle/apply-transition';
import { LifecycleSweep } from '../../control-plane/lifecycle/lifecycle-sweep';
import { recoverTenant } from '../../control-plane/lifecycle/recover-tenant';
import { bringBack, takeOffline } from '../../control-plane/backups/take-offline';

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

describe('a member event for a tenant in maintenance or damaged', () => {
  let t: TestPlatform;
  let tenant: TenantRecord;
  let member: UserRecord;
  beforeEach(async () => {
    t = await createTestPlatform({ WEBHOOKS_ALLOW_PRIVATE: '1' });
    tenant = await makeTenant(t.platform, 'acme');
    member = await makeUser(t.platform, { email: 'gone@example.test' });
    await addMember(t.platform, await makeUser(t.platform), tenant, 'owner');
    await addMember(t.platform, member, tenant, 'editor');
    await addEndpoint(t.platform, tenant, 'http://127.0.0.1:9/hook', ['member.removed']);
  });
  afterEach(() => t.cleanup());

  const outboxed = () => t.platform.db.get<{ n: number }>('select count(*) as n from tenant_event_outbox')?.n ?? 0;
  // The lifecycle timer hands on what waited over a minute: the event is made that old.
  const aMinuteLater = () => t.platform.db.run('update tenant_event_outbox set created_at = created_at - 120000');

  it.each([
    ['damaged', 'mark-damaged', 'recover'],
    ['in maintenance', 'take-offline', 'bring-back'],
  ] as const)('waits while it is %s and is queued for its webhooks once when it is back', async (_status, away, back) => {
    applyTransition(t.platform, tenant.id, away, { actorUserId: null, by: 'system', failure: 'test' });
    deleteUser(t.platform, { destroyAllForUser: () => 0 }, member.id, { confirm: member.email }, CLI_OPERATOR);
    await t.platform.background.idle();
    aMinuteLater();
    const sweep = new LifecycleSweep(t.platform);
    await sweep.tick();
    await t.platform.background.idle();
    expect(outboxed()).toBe(1);
    expect(t.platform.tenantEvents.waiting(Date.now())).toEqual([]);

    applyTransition(t.platform, tenant.id, back, { actorUserId: null, by: back === 'recover' ? 'operator' : 'system' });
    await sweep.tick();
    await t.platform.background.idle();
    await sweep.tick();
    await t.platform.background.idle();
    expect(outboxed()).toBe(0);
    expect(await deliveriesOf(t.platform, tenant)).toEqual([expect.objectContaining({ event_type: 'member.removed', state: 'pending' })]);
  });
  it.each([
    ['damaged, once rechecked,', 'mark-damaged', () => recoverTenant(t.platform, tenant.id, CLI_OPERATOR)],
    [
      'in maintenance, once a restore brings it back,',
      'take-offline',
      () => bringBack(t.platform, tenant.id, { actorUserId: null, auditAction: 'tenant.restore.finished', replaced: true }),
    ],
  ] as const)('that waited while it was %s is queued for its webhooks at once, not at the lifecycle timer’s next pass', async (_status, away, back) => {
    if (away === 'take-offline') takeOffline(t.platform, tenant.id, { actorUserId: null, reason: 'test', auditAction: 'tenant.restore.started' });
    else applyTransition(t.platform, tenant.id, away, { actorUserId: null, by: 'system', failure: 'test' });
    deleteUser(t.platform, { destroyAllForUser: () => 0 }, member.id, { confirm: member.email }, CLI_OPERATOR);
    await t.platform.background.idle();
    expect(outboxed()).toBe(1);

    back();
    await t.platform.background.idle();
    expect(outboxed()).toBe(0);
    expect(await deliveriesOf(t.platform, tenant)).toEqual([expect.objectContaining({ event_type: 'member.removed', state: 'pending' })]);
  });
});
