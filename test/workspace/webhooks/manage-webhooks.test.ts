import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeTenant } from '../../support/factories';
import { addEndpoint } from '../../support/webhooks';
import { NotFoundError } from '../../../core/errors/app-errors';
import { endpointOf, updateEndpoint } from '../../../workspace/webhooks/manage-webhooks';
import { WebhookRepository } from '../../../workspace/webhooks/webhook-repository';

describe('changing a webhook endpoint', () => {
  let t: TestPlatform;
  beforeEach(async () => {
    t = await createTestPlatform({ WEBHOOKS_ALLOW_PRIVATE: '1' });
  });
  afterEach(() => t.cleanup());

  it('answers not found, saving nothing, when the endpoint is deleted while its new URL is being checked', async () => {
    const tenant = await makeTenant(t.platform, 'hooked');
    const { id } = await addEndpoint(t.platform, tenant, 'http://127.0.0.1:9/hook', ['item.approved']);
    const lease = await t.platform.router.acquire(tenant.id);
    try {
      const repo = new WebhookRepository(lease.db);
      const endpoint = endpointOf(lease.db, id);
      // The other request (a delete) lands while this one awaits the address look-up.
      const resolve = async () => {
        lease.db.write(() => repo.deleteEndpoint(id));
        return [{ address: '127.0.0.1', family: 4 }];
      };
      const attempt = updateEndpoint(lease.db, { allowPrivate: true, resolve }, endpoint, { url: 'http://hooks.example.test/new', events: 'item.submitted' });
      await expect(attempt).rejects.toBeInstanceOf(NotFoundError);
      expect(repo.listEndpoints()).toEqual([]);
    } finally {
      lease.release();
    }
  });
});
