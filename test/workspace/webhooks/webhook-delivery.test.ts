import fs from 'node:fs';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { makeItem } from '../../support/content';
import { startReceiver } from '../../support/webhook-receiver';
import { addEndpoint, attemptsOf, deliveriesOf } from '../../support/webhooks';
import { createPlatform } from '../../../app/create-platform';
import { createLogger } from '../../../core/logging/logger';
import { outboxDir } from '../../../core/mail/mailer';
import { transitionItem } from '../../../workspace/workflow/transition-item';
import { workflowContext } from '../../../workspace/workflow/workflow-context';
import { ALL_PERMISSIONS } from '../../../tenant-runtime/permission-catalogue';
import { WebhookDispatcher } from '../../../workspace/webhooks/webhook-dispatcher';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import type { Platform } from '../../../app/create-platform';
import { resumeTenant, suspendTenant } from '../../../control-plane/lifecycle/suspend-tenant';
import { CLI_OPERATOR } from '../../../control-plane/lifecycle/operator';
import { archiveTenant } from '../../../control-plane/lifecycle/archive-tenant';

const FAST = { baseDelayMs: 1000, maxDelayMs: 60_000, maxAttempts: 3, disableAfter: 2 };

/** Submits an item the way the routes do, and moves the tenant's hint when deliveries were queued. */
async function submit(platform: Platform, tenant: TenantRecord, itemId: number, at: number) {
  const lease = await platform.router.acquire(tenant.id);
  try {
    const ctx = workflowContext(lease.db, { id: 'u-author', name: 'Author' }, new Set(ALL_PERMISSIONS));
    ctx.now = () => at;
    const result = transitionItem(ctx, itemId, 'submit');
    if (result.eventsQueued) platform.webhookHints.noteDue(tenant.id, at);
    return result;
  } finally {
    lease.release();
  }
}

describe('webhook delivery', () => {
  let t: TestPlatform;
  let tenant: TenantRecord;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let now: number;

  beforeEach(async () => {
    t = await createTestPlatform({ WEBHOOKS_ALLOW_PRIVATE: '1' });
    tenant = await makeTenant(t.platform, 'hooked');
    receiver = await startReceiver([200]);
    now = Date.now();
  });
  afterEach(async () => {
    await receiver.close();
    await t.cleanup();
  });

  it('signs each delivery as Standard Webhooks says, and a receiver verifies it with the secret it was shown', async () => {
    const endpoint = await addEndpoint(t.platform, tenant, receiver.url, ['item.submitted']);
    const item = await makeItem(t.platform, tenant, { title: 'Launch post' });
    expect((await submit(t.platform, tenant, item.id, now)).eventsQueued).toBe(1);

    const dispatcher = new WebhookDispatcher(t.platform, { now: () => now });
    await dispatcher.tick();

    expect(receiver.received).toHaveLength(1);
    const { headers, body } = receiver.received[0];
    const verified = new Webhook(endpoint.secret).verify(body, {
      'webhook-id': String(headers['webhook-id']),
      'webhook-timestamp': String(headers['webhook-timestamp']),
      'webhook-signature': String(headers['webhook-signature']),
    }) as { type: string; tenant: { id: string }; data: { item: { id: number; title: string; status: string }; from: string; to: string } };
    expect(verified).toMatchObject({
      type: 'item.submitted',
      tenant: { id: tenant.id },
      data: { item: { id: item.id, title: 'Launch post', status: 'in_review' }, from: 'draft', to: 'in_review' },
    });
    // Another secret does not verify it, nor does a changed body.
    expect(() => new Webhook(`whsec_${Buffer.alloc(24, 1).toString('base64')}`).verify(body, headers as Record<string, string>)).toThrow();
    expect(() => new Webhook(endpoint.secret).verify(body.replace('Launch', 'Lunch'), headers as Record<string, string>)).toThrow();
    expect(await deliveriesOf(t.platform, tenant)).toEqual([expect.objectContaining({ state: 'delivered', attempts: 1, last_status: 200 })]);
    expect(t.platform.webhookHints.get(tenant.id)).toBeUndefined();
  });

  it('lets the event loop run between two tenants it visits, even when a visit sends nothing', async () => {
    const others = [await makeTenant(t.platform, 'hooked-2'), await makeTenant(t.platform, 'hooked-3')];
    // Early hints (a delivery deleted since): each visit finds nothing to send and waits for no socket.
    for (const each of [tenant, ...others]) t.platform.webhookHints.noteDue(each.id, now);
    const order: string[] = [];
    const original = t.platform.router.acquire.bind(t.platform.router);
    jest.spyOn(t.platform.router, 'acquire').mockImplementation((tenantId: string) => {
      order.push('visit');
      return original(tenantId);
    });
    const pass = new WebhookDispatcher(t.platform, { now: () => now }).tick();
    setImmediate(() => order.push('request'));
    expect(await pass).toHaveLength(3);
    expect(order).toEqual(['visit', 'request', 'visit', 'visit']);
  });

  it('sends only the events an endpoint chose, and nothing while no endpoint exists', async () => {
    const item = await makeItem(t.platform, tenant);
    expect((await submit(t.platform, tenant, item.id, now)).eventsQueued).toBe(0);
    await addEndpoint(t.platform, tenant, receiver.url, ['item.published']);
    const other = await makeItem(t.platform, tenant);
    expect((await submit(t.platform, tenant, other.id, now)).eventsQueued).toBe(0);
    expect(await deliveriesOf(t.platform, tenant)).toEqual([]);
  });

  it('retries after the receiver fails, waiting longer each time, and keeps the message id across attempts', async () => {
    await addEndpoint(t.platform, tenant, receiver.url, ['item.submitted']);
    receiver.answer([500, 503, 200]);
    const item = await makeItem(t.platform, tenant);
    await submit(t.platform, tenant, item.id, now);
    const dispatcher = new WebhookDispatcher(t.platform, { now: () => now, policy: { ...FAST, maxAttempts: 5 } });

    await dispatcher.tick();
    let [delivery] = await deliveriesOf(t.platform, tenant);
    expect(delivery).toMatchObject({ state: 'pending', attempts: 1, last_status: 500 });
    const firstWait = (delivery.next_attempt_at as number) - now;
    expect(firstWait).toBeGreaterThanOrEqual(1000);
    expect(t.platform.webhookHints.get(tenant.id)).toBe(delivery.next_attempt_at);

    // Not due yet: nothing is sent.
    await dispatcher.tick();
    expect(receiver.received).toHaveLength(1);

    now = delivery.next_attempt_at as number;
    await dispatcher.tick();
    [delivery] = await deliveriesOf(t.platform, tenant);
    expect(delivery).toMatchObject({ state: 'pending', attempts: 2, last_status: 503 });
    expect((delivery.next_attempt_at as number) - now).toBeGreaterThan(firstWait);

    now = delivery.next_attempt_at as number;
    await dispatcher.tick();
    expect((await deliveriesOf(t.platform, tenant))[0]).toMatchObject({ state: 'delivered', attempts: 3, last_status: 200 });
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect((await attemptsOf(t.platform, tenant)).map((a) => a.status)).toEqual([500, 503, 200]);
  });

  it('tries a failing endpoint once per visit: the other deliveries wait, untouched, for the next one', async () => {
    await addEndpoint(t.platform, tenant, receiver.url, ['item.submitted']);
    receiver.answer([503]);
    for (const title of ['One', 'Two', 'Three']) await submit(t.platform, tenant, (await makeItem(t.platform, tenant, { title })).id, now);
    const outcomes = await new WebhookDispatcher(t.platform, { now: () => now, policy: FAST }).tick();
    expect(outcomes).toEqual([expect.objectContaining({ attempted: 1, delivered: 0 })]);
    expect(receiver.received).toHaveLength(1);
    expect((await deliveriesOf(t.platform, tenant)).map((d) => d.attempts).sort()).toEqual([0, 0, 1]);
    expect(t.platform.webhookHints.get(tenant.id)).toBe(now);
  });

  it("sends an endpoint's deliveries while another's backlog fails: the failing one's waiting deliveries do not take the visit's places", async () => {
    const down = await startReceiver([503]);
    try {
      await addEndpoint(t.platform, tenant, down.url, ['item.submitted']);
      // A backlog for the failing endpoint, as big as a visit's batch and older than anything else.
      for (const [i, title] of ['One', 'Two', 'Three'].entries())
        await submit(t.platform, tenant, (await makeItem(t.platform, tenant, { title })).id, now - 3000 + i);
      await addEndpoint(t.platform, tenant, receiver.url, ['item.submitted']);
      await submit(t.platform, tenant, (await makeItem(t.platform, tenant, { title: 'Four' })).id, now);

      const outcomes = await new WebhookDispatcher(t.platform, { now: () => now, policy: { ...FAST, batch: 3 } }).tick();

      expect(down.received).toHaveLength(1);
      expect(receiver.received).toHaveLength(1);
      expect(outcomes).toEqual([expect.objectContaining({ attempted: 2, delivered: 1 })]);
    } finally {
      await down.close();
    }
  });

  it('picks up its queue after a restart: a new process on the same data delivers what the last one could not', async () => {
    await addEndpoint(t.platform, tenant, receiver.url, ['item.submitted']);
    receiver.answer([500, 200]);
    const item = await makeItem(t.platform, tenant);
    await submit(t.platform, tenant, item.id, now);
    await new WebhookDispatcher(t.platform, { now: () => now, policy: FAST }).tick();
    expect((await deliveriesOf(t.platform, tenant))[0]).toMatchObject({ state: 'pending', attempts: 1 });
    t.platform.close();

    // The server starts again on the same data folder: the queue and the hint are on disk.
    const restarted = await createPlatform(t.config, { logger: createLogger('silent') });
    t.platform = restarted;
    now += 60_000;
    await new WebhookDispatcher(restarted, { now: () => now, policy: FAST }).tick();
    expect((await deliveriesOf(restarted, tenant))[0]).toMatchObject({ state: 'delivered', attempts: 2, last_status: 200 });
    expect(receiver.received).toHaveLength(2);
    restarted.close();
  });

  it('marks a delivery failed after its last attempt, disables an endpoint that keeps failing, and tells the owners', async () => {
    const owner = await makeUser(t.platform, { email: 'owner@hooked.test' });
    await addMember(t.platform, owner, tenant, 'owner');
    const endpoint = await addEndpoint(t.platform, tenant, receiver.url, ['item.submitted']);
    receiver.answer([500]);
    const dispatcher = new WebhookDispatcher(t.platform, { now: () => now, policy: FAST });
    for (const title of ['One', 'Two']) await submit(t.platform, tenant, (await makeItem(t.platform, tenant, { title })).id, now);
    // One attempt per endpoint per visit once it fails: two deliveries take twice the visits.
    for (let i = 0; i < FAST.maxAttempts * 2; i++) {
      await dispatcher.tick();
      now += FAST.maxDelayMs;
    }
    expect((await deliveriesOf(t.platform, tenant)).map((d) => d.state)).toEqual(['failed', 'failed']);
    const disabled = await inTenantEndpoint(t.platform, tenant, endpoint.id);
    expect(disabled).toMatchObject({ enabled: 0, failed_deliveries: 2 });
    expect(disabled?.disabled_reason).toMatch(/failed in a row/);
    const mails = fs.readdirSync(outboxDir(t.dataDir)).map((f) => fs.readFileSync(path.join(outboxDir(t.dataDir), f), 'utf8'));
    expect(mails.some((m) => m.includes('owner@hooked.test') && m.includes('was disabled'))).toBe(true);

    // A disabled endpoint gets no new deliveries.
    expect((await submit(t.platform, tenant, (await makeItem(t.platform, tenant)).id, now)).eventsQueued).toBe(0);
  });

  it('stops sending once the workspace is suspended during a visit: what is left goes out after it is resumed', async () => {
    await addEndpoint(t.platform, tenant, receiver.url, ['item.submitted']);
    for (const title of ['One', 'Two', 'Three']) await submit(t.platform, tenant, (await makeItem(t.platform, tenant, { title })).id, now);
    // The first delivery is on its way when an operator suspends the workspace.
    receiver.whenReceived((count) => {
      if (count === 1) suspendTenant(t.platform, tenant.id, { reason: 'Unpaid invoice' }, CLI_OPERATOR);
    });
    const dispatcher = new WebhookDispatcher(t.platform, { now: () => now });

    await dispatcher.tick();
    expect(receiver.received).toHaveLength(1);
    expect((await deliveriesOf(t.platform, tenant)).map((d) => d.state).sort()).toEqual(['delivered', 'pending', 'pending']);
    expect(t.platform.webhookHints.get(tenant.id)).toBe(now);

    await dispatcher.tick();
    expect(receiver.received).toHaveLength(1);

    resumeTenant(t.platform, tenant.id, CLI_OPERATOR);
    await dispatcher.tick();
    expect(receiver.received).toHaveLength(3);
    expect((await deliveriesOf(t.platform, tenant)).map((d) => d.state)).toEqual(['delivered', 'delivered', 'delivered']);
  });

  it('sends nothing more for a workspace archived during a visit, and the archive waits only for the delivery under way', async () => {
    await addEndpoint(t.platform, tenant, receiver.url, ['item.submitted']);
    for (const title of ['One', 'Two', 'Three']) await submit(t.platform, tenant, (await makeItem(t.platform, tenant, { title })).id, now);
    let archived: Promise<unknown> | undefined;
    receiver.whenReceived((count) => {
      if (count === 1) archived = archiveTenant(t.platform, tenant.id, { confirm: tenant.slug }, CLI_OPERATOR);
    });

    await new WebhookDispatcher(t.platform, { now: () => now }).tick();
    await archived;

    expect(receiver.received).toHaveLength(1);
    expect(t.platform.tenants.findById(tenant.id)).toMatchObject({ status: 'archived', pending_operation: null });
    expect(t.platform.webhookHints.due(now, 10)).toEqual([]);
  });

  it('sends nothing for a workspace archived while the visit waited for a free handle, and keeps no handle on its archived file', async () => {
    await addEndpoint(t.platform, tenant, receiver.url, ['item.submitted']);
    await submit(t.platform, tenant, (await makeItem(t.platform, tenant)).id, now);
    const lease = t.platform.router.acquire.bind(t.platform.router);
    jest.spyOn(t.platform.router, 'acquire').mockImplementationOnce(async (tenantId: string) => {
      await archiveTenant(t.platform, tenant.id, { confirm: tenant.slug }, CLI_OPERATOR);
      return lease(tenantId);
    });

    await new WebhookDispatcher(t.platform, { now: () => now }).tick();

    expect(receiver.received).toHaveLength(0);
    expect(t.platform.router.isOpen(tenant.id)).toBe(false);
    expect(t.platform.webhookHints.get(tenant.id)).toBe(now);
  });

  it("disables an endpoint whose signing secret this deployment's key cannot open (brought by an import), and the others still deliver", async () => {
    const foreign = await addEndpoint(t.platform, tenant, receiver.url, ['item.submitted']);
    const healthy = await addEndpoint(t.platform, tenant, receiver.url, ['item.submitted']);
    const lease = await t.platform.router.acquire(tenant.id);
    try {
      lease.db.run("update webhook_endpoints set secret_key_id = 'a0a0a0a0a0a0a0a0' where id = ?", [foreign.id]);
    } finally {
      lease.release();
    }
    await submit(t.platform, tenant, (await makeItem(t.platform, tenant)).id, now);
    await new WebhookDispatcher(t.platform, { now: () => now }).tick();

    expect(receiver.received).toHaveLength(1);
    const byEndpoint = new Map((await deliveriesOf(t.platform, tenant)).map((d) => [d.endpoint_id, d.state]));
    expect(byEndpoint.get(healthy.id)).toBe('delivered');
    expect(byEndpoint.get(foreign.id)).toBe('pending');
    const disabled = await inTenantEndpoint(t.platform, tenant, foreign.id);
    expect(disabled?.enabled).toBe(0);
    expect(disabled?.disabled_reason).toMatch(/signing secret cannot be read/);
  });
});

async function inTenantEndpoint(platform: Platform, tenant: TenantRecord, id: string) {
  const lease = await platform.router.acquire(tenant.id);
  try {
    return lease.db.get<{ enabled: number; failed_deliveries: number; disabled_reason: string | null }>('select * from webhook_endpoints where id = ?', [id]);
  } finally {
    lease.release();
  }
}
