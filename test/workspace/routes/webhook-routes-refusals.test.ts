import { ownerOfAlpha } from '../../support/owner-of-alpha';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { postForm, type Agent } from '../../support/http-agent';
import { inTenant } from '../../support/content';
import { attemptsOf, deliveriesOf, plantEndpoint } from '../../support/webhooks';
import { auditOf } from '../../support/team';
import { queueEvent } from '../../../workspace/webhooks/webhook-outbox';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';

/** A delivery's Redeliver refused as it stands (it is already waiting to go out) is said on its endpoint's page. */
describe("a webhook delivery's refused redelivery", () => {
  let t: TestPlatform;
  let alpha: TenantRecord;
  let beta: TenantRecord;
  let owner: Agent;

  beforeEach(async () => {
    t = await createTestPlatform();
    ({ alpha, beta, owner } = await ownerOfAlpha(t));
  });
  afterEach(() => t.cleanup());

  /** An endpoint of the tenant with one delivery of an item.submitted event, in the given state. */
  async function endpointWithDelivery(tenant: TenantRecord, url: string, state: 'pending' | 'failed') {
    const endpoint = await plantEndpoint(t.platform, tenant, url);
    await inTenant(t.platform, tenant, (db) =>
      db.write(() => {
        queueEvent(db, 'item.submitted', { item: { id: 1 } });
        db.run("update webhook_deliveries set state = ?, next_attempt_at = case when ? = 'pending' then next_attempt_at end", [state, state]);
      }),
    );
    const [delivery] = await deliveriesOf(t.platform, tenant);
    return { endpoint, delivery: delivery.id };
  }
  const logOf = async (tenant: TenantRecord) => ({ deliveries: await deliveriesOf(t.platform, tenant), attempts: await attemptsOf(t.platform, tenant) });
  const alert = (message: string) => `<div class="alert" role="alert">\n    <p>${message}</p>`;

  it("answers the redelivery of a delivery already waiting (409) on its endpoint's page, queueing nothing again", async () => {
    const { endpoint, delivery } = await endpointWithDelivery(alpha, 'https://hooks.example/alpha', 'pending');
    const before = await logOf(alpha);
    const res = await postForm(owner, `/t/alpha/webhooks/${endpoint}/deliveries/${delivery}/redeliver`, {});
    expect(res.status).toBe(409);
    expect(res.text).toContain('<h1>https://hooks.example/alpha</h1>');
    expect(res.text).toContain(alert('This delivery is already waiting to be sent.'));
    expect(await logOf(alpha)).toEqual(before);
    expect(auditOf(t.platform, 'webhook.redeliver')).toEqual([]);
  });

  it("answers 404 to a member redelivering another workspace's delivery, by its ids under their own workspace or under the other's slug, changing nothing", async () => {
    const own = await endpointWithDelivery(alpha, 'https://hooks.example/alpha', 'failed');
    const theirs = await endpointWithDelivery(beta, 'https://hooks.example/beta-secret', 'failed');
    const before = await logOf(beta);
    for (const path of [
      `/t/alpha/webhooks/${own.endpoint}/deliveries/${theirs.delivery}/redeliver`,
      `/t/alpha/webhooks/${theirs.endpoint}/deliveries/${theirs.delivery}/redeliver`,
      `/t/beta/webhooks/${theirs.endpoint}/deliveries/${theirs.delivery}/redeliver`,
    ]) {
      const res = await postForm(owner, path, {});
      expect([path, res.status]).toEqual([path, 404]);
      expect(res.text).not.toContain('beta-secret');
    }
    expect(await logOf(beta)).toEqual(before);
    expect(auditOf(t.platform, 'webhook.redeliver')).toEqual([]);
  });
});
