import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { signIn, type Agent } from '../../support/http-agent';
import { createApp } from '../../../app/create-app';
import { suspendTenant } from '../../../control-plane/lifecycle/suspend-tenant';
import { CLI_OPERATOR } from '../../../control-plane/lifecycle/operator';
import { OFFLINE_RETRY_AFTER_SECONDS } from '../../../control-plane/tenants/tenant-offline';
import { takeOffline } from '../../../control-plane/backups/take-offline';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';

describe('the membership gate decides who enters a tenant', () => {
  let t: TestPlatform;
  let acme: TenantRecord;
  let member: Agent;
  let outsider: Agent;
  let superAdmin: Agent;

  beforeEach(async () => {
    t = await createTestPlatform();
    const { app } = createApp(t.platform);
    acme = await makeTenant(t.platform, 'acme', 'Acme Studio');
    const globex = await makeTenant(t.platform, 'globex');
    const memberUser = await makeUser(t.platform, { email: 'editor@acme.test' });
    await addMember(t.platform, memberUser, acme, 'editor');
    const outsiderUser = await makeUser(t.platform, { email: 'someone@globex.test' });
    await addMember(t.platform, outsiderUser, globex, 'owner');
    member = await signIn(app, memberUser.email);
    outsider = await signIn(app, outsiderUser.email);
    superAdmin = await signIn(app, (await makeUser(t.platform, { email: 'root@tenantry.test', superAdmin: true })).email);
  });
  afterEach(() => t.cleanup());

  it('lets a member of an active tenant in', async () => {
    expect((await member.get('/t/acme')).status).toBe(200);
  });

  describe('while the tenant is in maintenance (a restore)', () => {
    beforeEach(() => {
      takeOffline(t.platform, acme.id, { actorUserId: null, reason: 'restoring a backup', auditAction: 'tenant.restore.started' });
    });

    it('answers its members 503 with Retry-After on pages and JSON routes, without opening its file', async () => {
      const page = await member.get('/t/acme/items');
      expect(page.status).toBe(503);
      expect(page.headers['retry-after']).toBe(String(OFFLINE_RETRY_AFTER_SECONDS));
      expect(page.text).toContain('being restored');
      const api = await member.get('/t/acme/api/items/1');
      expect(api.status).toBe(503);
      expect(api.headers['retry-after']).toBe(String(OFFLINE_RETRY_AFTER_SECONDS));
      expect(api.body.error).toMatchObject({ code: 'tenant_unavailable' });
      expect(t.platform.router.isOpen(acme.id)).toBe(false);
    });

    it('answers everyone else the same 404 as an unknown tenant, with no Retry-After', async () => {
      const unknown = await outsider.get('/t/no-such-tenant');
      for (const agent of [outsider, superAdmin]) {
        const res = await agent.get('/t/acme');
        expect(res.status).toBe(404);
        expect(res.headers['retry-after']).toBeUndefined();
        expect(res.text).not.toMatch(/restored/);
      }
      expect((await outsider.get('/t/acme')).text).toBe(unknown.text);
      expect((await outsider.get('/t/acme/api/items/1')).status).toBe(404);
    });
  });

  describe('while the tenant is suspended', () => {
    beforeEach(() => {
      suspendTenant(t.platform, acme.id, { reason: 'Invoice 2024-117 is unpaid' }, CLI_OPERATOR);
    });

    it('shows its members the 403 notice page, never a 503', async () => {
      const res = await member.get('/t/acme');
      expect(res.status).toBe(403);
      expect(res.headers['retry-after']).toBeUndefined();
      expect(res.text).toContain('Acme Studio is suspended');
      expect(res.text).toContain('Invoice 2024-117 is unpaid');
    });

    it('answers a non-member the 404 of an unknown tenant', async () => {
      const unknown = await outsider.get('/t/no-such-tenant');
      const res = await outsider.get('/t/acme');
      expect(res.status).toBe(404);
      expect(res.text).toBe(unknown.text);
    });
  });
});
