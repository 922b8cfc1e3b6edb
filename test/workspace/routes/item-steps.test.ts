import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeTenant } from '../../support/factories';
import { makeItem } from '../../support/content';
import { bearer, ownerToken } from '../../support/api-tokens';
import { addEndpoint } from '../../support/webhooks';
import fs from 'node:fs';
import { freePort, killServerAt, startServerProcess } from '../../support/server-process';
import { addMember, makeUser } from '../../support/factories';
import { outboxDir } from '../../../core/mail/mailer';
import { outboxMails } from '../../support/outbox';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import { withTenantDb } from '../files/file-fixtures';

describe('a workflow step whose server is killed right after the step commits', () => {
  let t: TestPlatform;
  let tenant: TenantRecord;
  let token: string;

  beforeEach(async () => {
    t = await createTestPlatform({ WEBHOOKS_ALLOW_PRIVATE: '1' });
    tenant = await makeTenant(t.platform, 'acme');
    token = await ownerToken(t.platform, tenant);
  });
  afterEach(() => t.cleanup());

  it('leaves the scheduled item and its webhook delivery with the hints that bring the scheduler and the dispatcher to them', async () => {
    const item = await makeItem(t.platform, tenant, { status: 'approved' });
    await addEndpoint(t.platform, tenant, 'http://127.0.0.1:9/hook', ['item.scheduled']);
    t.platform.router.closeAll();
    const publishAt = Date.now() + 3_600_000;
    const schedule = (base: string) =>
      fetch(`${base}/api/v1/t/acme/items/${item.id}/schedule`, {
        method: 'POST',
        headers: { ...bearer(token), 'content-type': 'application/json' },
        body: JSON.stringify({ publish_at: new Date(publishAt).toISOString() }),
      });

    await killServerAt(t.dataDir, 'item-step:committed', schedule);

    const stored = withTenantDb(t.platform, tenant, (db) => ({
      status: db.get<{ status: string }>('select status from items where id = ?', [item.id])?.status,
      deliveries: db.get<{ n: number }>("select count(*) as n from webhook_deliveries where state = 'pending'")?.n,
    }));
    expect(await stored).toEqual({ status: 'scheduled', deliveries: 1 });
    expect(t.platform.scheduleHints.get(tenant.id)).toBeLessThanOrEqual(publishAt);
    expect(t.platform.webhookHints.get(tenant.id)).toBeLessThanOrEqual(Date.now());
  }, 60_000);

  it('leaves its workflow mail queued, and the next start sends it, once', async () => {
    const approver = await makeUser(t.platform, { email: 'approver@example.com', name: 'Approver' });
    await addMember(t.platform, approver, tenant, 'approver');
    const item = await makeItem(t.platform, tenant, { title: 'Survives a kill' });
    t.platform.router.closeAll();
    fs.rmSync(outboxDir(t.dataDir), { recursive: true, force: true });
    const submit = (base: string) =>
      fetch(`${base}/api/v1/t/acme/items/${item.id}/submit`, { method: 'POST', headers: { ...bearer(token), 'content-type': 'application/json' }, body: '{}' });

    await killServerAt(t.dataDir, 'item-step:committed', submit);
    expect(outboxMails(t.dataDir)).toEqual([]);
    expect(t.platform.mailHints.get(tenant.id)?.next_due_at).toBeLessThanOrEqual(Date.now());

    const server = startServerProcess(t.dataDir, await freePort());
    try {
      await server.serving;
      const deadline = Date.now() + 15_000;
      while (outboxMails(t.dataDir).length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      await new Promise((resolve) => setTimeout(resolve, 300));
    } finally {
      server.child.kill('SIGKILL');
      await server.exited;
    }
    expect(outboxMails(t.dataDir).map((m) => [m.to, m.subject])).toEqual([['approver@example.com', 'Waiting for your review: Survives a kill']]);
    expect(await withTenantDb(t.platform, tenant, (db) => db.all('select id from workflow_mails'))).toEqual([]);
  }, 60_000);
});
