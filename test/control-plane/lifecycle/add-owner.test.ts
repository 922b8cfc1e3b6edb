import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { makeUser } from '../../support/factories';
import { csrfFrom, signIn, type Agent } from '../../support/http-agent';
import { outboxMails } from '../../support/outbox';

describe('Add owner sent from the console right after the tenant was created', () => {
  let t: TestPlatform;
  let admin: Agent;
  let csrf: string;

  beforeEach(async () => {
    t = await createTestPlatform();
    const app = createApp(t.platform).app;
    admin = await signIn(app, (await makeUser(t.platform, { superAdmin: true })).email);
    csrf = await csrfFrom(admin, '/admin/tenants/new');
  });
  afterEach(() => t.cleanup());

  const post = (path: string, body: Record<string, string>) =>
    admin
      .post(path)
      .type('form')
      .send({ ...body, _csrf: csrf });
  const invitations = () =>
    t.platform.db.all<{ id: string; state: string }>("select id, state from invitations where email = 'boss@initech.test' order by rowid");
  const linkOn = async (path: string) => /value="(http:\/\/localhost:3000\/invitations\/[A-Za-z0-9_-]+)"/.exec((await admin.get(path)).text)?.[1];

  it('for the first owner the creation invited sends a new invitation (the creation’s stops working), not taken as a repeat', async () => {
    const created = await post('/admin/tenants', { name: 'Initech', slug: 'initech', owner_email: 'boss@initech.test' });
    expect(created.headers.location).toBe('/admin/tenants/initech/created');
    const added = await post('/admin/tenants/initech/owners', { email: 'boss@initech.test' });
    expect([added.status, added.headers.location]).toEqual([303, '/admin/tenants/initech/owner-invited']);
    expect(invitations().map((i) => i.state)).toEqual(['revoked', 'pending']);
    const link = await linkOn('/admin/tenants/initech/owner-invited');
    expect(link).toBeDefined();
    const mails = outboxMails(t.dataDir).filter((m) => m.to === 'boss@initech.test');
    expect(mails).toHaveLength(2);
    expect(mails[1].text).toContain(link);
  });

  it('twice sends one invitation: the second is that one’s repeat', async () => {
    await post('/admin/tenants', { name: 'Initech', slug: 'initech' });
    await post('/admin/tenants/initech/owners', { email: 'boss@initech.test' });
    const again = await post('/admin/tenants/initech/owners', { email: 'boss@initech.test' });
    expect(again.headers.location).toBe('/admin/tenants/initech/owner-invited');
    expect(invitations().map((i) => i.state)).toEqual(['pending']);
    expect(outboxMails(t.dataDir).filter((m) => m.to === 'boss@initech.test')).toHaveLength(1);
  });
});
