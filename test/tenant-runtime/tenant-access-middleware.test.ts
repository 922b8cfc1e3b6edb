import { createTestPlatform, type TestPlatform } from '../support/test-platform';
import { createApp } from '../../app/create-app';
import { addMember, makeTenant, makeUser } from '../support/factories';
import { signIn, type Agent } from '../support/http-agent';
import type { TenantRecord } from '../../control-plane/tenants/tenant-record';

/** The router lease taken for a tenant request: held for the response, released when it is done. */
describe('tenant access and the router lease', () => {
  let t: TestPlatform;
  let acme: TenantRecord;
  let globex: TenantRecord;
  let agent: Agent;
  beforeEach(async () => {
    // One open handle at most: a second tenant waits until the first is released.
    t = await createTestPlatform({ TENANT_CACHE_SIZE: '1' });
    acme = await makeTenant(t.platform, 'acme');
    globex = await makeTenant(t.platform, 'globex');
    const user = await makeUser(t.platform);
    await addMember(t.platform, user, acme);
    await addMember(t.platform, user, globex);
    agent = await signIn(createApp(t.platform).app, user.email);
  });
  afterEach(() => t.cleanup());

  it('releases the lease once each response is done', async () => {
    for (const slug of ['acme', 'globex', 'acme']) {
      const res = await agent.get(`/t/${slug}`);
      expect(res.status).toBe(200);
      expect(t.platform.router.stats().inUse).toBe(0);
    }
  });

  it('waits for a handle when every one is in use, then answers', async () => {
    const held = await t.platform.router.acquire(globex.id);
    let answered = false;
    const pending = agent.get('/t/acme').then((res) => {
      answered = true;
      return res;
    });
    // The request reaches the router and waits there (however long the way to it takes on a busy machine).
    for (const deadline = Date.now() + 10_000; t.platform.router.stats().waits === 0 && Date.now() < deadline;)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(t.platform.router.stats().waits).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(answered).toBe(false);
    held.release();
    const res = await pending;
    expect(res.status).toBe(200);
    expect(t.platform.router.isOpen(acme.id)).toBe(true);
    expect(t.platform.router.stats()).toMatchObject({ inUse: 0, waits: 1 });
  });
});
