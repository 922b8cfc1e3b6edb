import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { inTenant, makeItem } from '../../support/content';
import { makeCustomRole, setRole } from '../../support/team';
import { bearer, personalToken } from '../../support/api-tokens';
import { postForm, signIn, type Agent } from '../../support/http-agent';
import { formatPercent } from '../../../core/i18n/format-percent';
import { usageRollupDeps } from '../../../app/usage-wiring';
import { rollUpUsage } from '../../../control-plane/usage/roll-up-usage';
import { recordUsage } from '../../../workspace/usage/usage-meter';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import type { UserRecord } from '../../../control-plane/users/user-record';
import { mainOnly } from '../../support/page-main';

describe('the usage page and the usage API', () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let alpha: TenantRecord;
  let bravo: TenantRecord;
  let alice: UserRecord;
  let owner: Agent;
  let viewer: Agent;
  let noUsage: Agent;
  let noUsageUser: UserRecord;

  beforeAll(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    alpha = await makeTenant(t.platform, 'alpha', 'Alpha');
    bravo = await makeTenant(t.platform, 'bravo', 'Bravo');
    alice = await makeUser(t.platform, { email: 'alice@alpha.test' });
    await addMember(t.platform, alice, alpha, 'owner');
    owner = await signIn(app, alice.email);
    const vic = await makeUser(t.platform);
    await addMember(t.platform, vic, alpha, 'viewer');
    viewer = await signIn(app, vic.email);
    noUsageUser = await makeUser(t.platform);
    await addMember(t.platform, noUsageUser, alpha, 'viewer');
    await setRole(t.platform, noUsageUser, alpha, makeCustomRole(t.platform, alpha, 'Reader', ['content.view']));
    noUsage = await signIn(app, noUsageUser.email);
    const bob = await makeUser(t.platform);
    await addMember(t.platform, bob, bravo, 'owner');

    t.platform.plans.setTenantOverrides(alpha.id, { limits: { items: 4, items_published_per_day: 20 } });
    t.platform.plans.setTenantOverrides(bravo.id, { limits: { items: 1000 } });
    for (let i = 0; i < 3; i++) await makeItem(t.platform, alpha);
    await inTenant(t.platform, alpha, (db) => recordUsage(db, 'items_published', 5));
    for (let i = 0; i < 7; i++) await makeItem(t.platform, bravo, { title: 'Bravo secret' });
  });
  afterAll(() => t.cleanup());

  it('shows each limit with its use, its limit, the share used and an accessible chart', async () => {
    const page = await viewer.get('/t/alpha/usage');
    expect(page.status).toBe(200);
    const row = (key: string) => new RegExp(`<tr class="limit-${key}">([\\s\\S]*?)</tr>`).exec(page.text)?.[1] ?? '';
    expect(row('items')).toMatch(/>3<[\s\S]*>4<[\s\S]*>75%</);
    expect(row('items_published_per_day')).toMatch(/>5<[\s\S]*>20<[\s\S]*>25%</);
    expect(row('members')).toContain('unlimited');
    expect(row('items')).toMatch(/<svg [^>]*role="img"[\s\S]*<title id="usage-items-title">Content items, last 30 days<\/title><desc /);
    // Server-rendered: the page itself needs no script.
    expect(mainOnly(page.text)).not.toContain('<script');
  });

  it('is in French for a French reader, shares written the French way (75 %, with a no-break space), on the usage page and the settings page', async () => {
    t.platform.users.update(alice.id, { language: 'fr' });
    try {
      const page = await owner.get('/t/alpha/usage');
      expect(page.text).toContain('<h1 id="page-title">Utilisation</h1>');
      expect(page.text).toContain('Éléments de contenu, 30 derniers jours');
      expect(page.text).toMatch(/<tr class="limit-items">[\s\S]*?>75[\u00a0\u202f]%<\/strong>/);
      t.platform.plans.setTenantOverrides(alpha.id, { limits: { items: 4, items_published_per_day: 20, storage_bytes: 1024 * 1024 * 1024 } });
      const settings = await owner.get('/t/alpha/settings');
      expect(settings.text).toMatch(/sur 1,0 Go \(\d+[\u00a0\u202f]%\)/);
    } finally {
      t.platform.users.update(alice.id, { language: null });
      t.platform.plans.setTenantOverrides(alpha.id, { limits: { items: 4, items_published_per_day: 20 } });
    }
  });

  it('is linked from the workspace navigation for members with usage.view only', async () => {
    expect((await viewer.get('/t/alpha')).text).toContain('href="/t/alpha/usage"');
    expect((await noUsage.get('/t/alpha')).text).not.toContain('href="/t/alpha/usage"');
  });

  it('refuses a member without usage.view, on the page and over the API', async () => {
    expect((await noUsage.get('/t/alpha/usage')).status).toBe(403);
    const res = await request(app)
      .get('/api/v1/t/alpha/usage')
      .set(bearer(personalToken(t.platform, noUsageUser)));
    expect(res.status).toBe(403);
    expect(JSON.stringify(res.body)).not.toMatch(/"used"/);
  });

  it('answers 404 to a member of another workspace asking for its usage, and shows nothing of it', async () => {
    const page = await owner.get('/t/bravo/usage');
    expect(page.status).toBe(404);
    expect(page.text).not.toMatch(/Bravo|>7</);
    const api = await request(app)
      .get('/api/v1/t/bravo/usage')
      .set(bearer(personalToken(t.platform, alice)));
    expect(api.status).toBe(404);
    expect(JSON.stringify(api.body)).not.toMatch(/used|1000/);
  });

  it('answers every limit with its use, limit and share over the API', async () => {
    const res = await request(app)
      .get('/api/v1/t/alpha/usage')
      .set(bearer(personalToken(t.platform, alice)));
    expect(res.status).toBe(200);
    expect(res.body.data).toContainEqual({ key: 'items', used: 3, limit: 4, percent: 75 });
    expect(res.body.data).toContainEqual({ key: 'items_published_per_day', used: 5, limit: 20, percent: 25 });
    expect(res.body.data).toContainEqual({ key: 'members', used: 3, limit: null, percent: null });
  });

  it('shows owners and admins a banner on every workspace page once a limit is at 80% or more, and others none', async () => {
    await makeItem(t.platform, alpha);
    await rollUpUsage(usageRollupDeps(t.platform));
    // The banner reads a board cached for 30 s; a fresh app reads it now.
    const fresh = createApp(t.platform).app;
    const ownerNow = await signIn(fresh, alice.email);
    const viewerNow = await signIn(fresh, (await makeUser(t.platform).then(async (u) => (await addMember(t.platform, u, alpha, 'viewer'), u))).email);
    for (const path of ['/t/alpha', '/t/alpha/items']) {
      const page = await ownerNow.get(path);
      expect(page.text).toMatch(/class="access-banner usage-banner"[\s\S]*Content items: the limit is reached \(100%\)/);
    }
    expect((await viewerNow.get('/t/alpha')).text).not.toContain('usage-banner');
    const bobAgent = await signIn(fresh, (await makeUser(t.platform).then(async (u) => (await addMember(t.platform, u, bravo, 'owner'), u))).email);
    expect((await bobAgent.get('/t/bravo')).text).not.toContain('usage-banner');
  });

  it("writes the banner's share as the page's language writes a percent: in French, a no-break space before the sign", async () => {
    await rollUpUsage(usageRollupDeps(t.platform));
    const fresh = createApp(t.platform).app;
    const ownerNow = await signIn(fresh, alice.email);
    expect((await postForm(ownerNow, '/account/language', { language: 'fr' }, '/account')).status).toBe(303);
    try {
      const banner = /class="access-banner usage-banner"[\s\S]*?<\/div>/.exec((await ownerNow.get('/t/alpha')).text)?.[0] ?? '';
      expect(banner).toContain(`la limite est atteinte (${formatPercent(100, 'fr')})`);
      expect(banner).toMatch(/\(100[\u00a0\u202f]%\)/);
    } finally {
      await postForm(ownerNow, '/account/language', { language: 'en' }, '/account');
    }
  });
});
