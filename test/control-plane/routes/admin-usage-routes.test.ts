import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { makeItem } from '../../support/content';
import { postForm, signIn, type Agent } from '../../support/http-agent';
import { UsageRollupStore } from '../../../control-plane/usage/usage-rollup-store';

describe('the console usage pages', () => {
  let t: TestPlatform;
  let root: Agent;
  let member: Agent;

  beforeAll(async () => {
    t = await createTestPlatform();
    const app = createApp(t.platform).app;
    const limits = { calm: 100, busy: 5, full: 2, free: null };
    for (const [slug, items] of Object.entries(limits)) {
      const tenant = await makeTenant(t.platform, slug, `${slug} workspace`);
      t.platform.plans.setTenantOverrides(tenant.id, { limits: { items } });
      for (let i = 0; i < 4; i++) await makeItem(t.platform, tenant);
    }
    root = await signIn(app, (await makeUser(t.platform, { superAdmin: true })).email);
    const user = await makeUser(t.platform);
    await addMember(t.platform, user, t.platform.tenants.findBySlug('busy')!, 'owner');
    member = await signIn(app, user.email);
  });
  afterAll(() => t.cleanup());

  it('runs the roll-up from its button', async () => {
    expect((await root.get('/admin/usage')).text).toContain('Nothing rolled up yet');
    const res = await postForm(root, '/admin/usage/rollup', {});
    expect(res.status).toBe(303);
    expect(new UsageRollupStore(t.platform.db).scans().size).toBe(4);
  });

  it('lists tenants closest to a limit first, those without limits last', async () => {
    const page = await root.get('/admin/usage');
    expect(page.status).toBe(200);
    const order = [...page.text.matchAll(/<code>(calm|busy|full|free)<\/code>/g)].map((m) => m[1]);
    expect(order).toEqual(['full', 'busy', 'calm', 'free']);
    expect(page.text).toMatch(/200 %[\s\S]*80 %[\s\S]*4 %[\s\S]*no limit/);
  });

  it('pages through the list', async () => {
    const page = await root.get('/admin/usage?page=2');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Nothing rolled up yet');
    expect((await root.get('/admin/usage?page=0')).status).toBe(400);
  });

  it("shows a tenant's limits with their charts, from the roll-up", async () => {
    const page = await root.get('/admin/usage/busy');
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/Content items<\/td>\s*<td class="num">4<\/td>\s*<td class="num">5<\/td>/);
    expect(page.text).toContain('<title id="usage-items-title">Content items, last 30 days</title>');
  });

  it('lists the tenants near or over a limit on the dashboard', async () => {
    const page = await root.get('/admin');
    const section = page.text.slice(page.text.indexOf('class="near-limits"'), page.text.indexOf('Recent fleet migrations'));
    expect([...section.matchAll(/<code>(\w+)<\/code>/g)].map((m) => m[1])).toEqual(['full', 'busy']);
  });

  it('is for super admins only', async () => {
    expect((await member.get('/admin/usage')).status).toBe(404);
    expect((await member.get('/admin/usage/busy')).status).toBe(404);
    expect((await postForm(member, '/admin/usage/rollup', {})).status).toBe(404);
  });
});
