import request from 'supertest';
import type { Express } from 'express';
import { createTestPlatform, type TestPlatform } from '../support/test-platform';
import { createApp } from '../../app/create-app';
import { TEST_PASSWORD, addMember, makeTenant, makeUser } from '../support/factories';
import { DAY, itemSnapshot, makeItem, tenantContent } from '../support/content';
import { HostBrowser, cookieDomainOf, setCookieNamed } from '../support/host-browser';
import type { TenantRecord } from '../../control-plane/tenants/tenant-record';
import { SESSION_COOKIE } from '../../control-plane/auth/session-cookie';
import { TRANSITION_ACTIONS } from '../../workspace/workflow/transition-table';
import { zonedClock } from '../../core/time/zoned-clock';
import { mainOf } from '../support/page-main';

/** Form values as a browser in a UTC workspace sends them. */
const toDateTimeLocal = zonedClock('UTC').input;

const SUBDOMAINS = { BASE_URL: 'http://example.test', BASE_DOMAIN: 'example.test' };
const BARE = 'http://example.test';
const ALPHA = 'http://alpha.example.test';
const BRAVO = 'http://bravo.example.test';
const ALICE = 'alice@example.com';

interface TwoTenants {
  t: TestPlatform;
  app: Express;
  alpha: TenantRecord;
  bravo: TenantRecord;
}

/**
 * Alice owns alpha, Bob owns bravo. Alpha holds item 1; bravo holds items 1-3, so ids 2 and 3
 * exist only in bravo.
 */
async function twoTenants(env: Record<string, string> = SUBDOMAINS): Promise<TwoTenants> {
  const t = await createTestPlatform(env);
  const app = createApp(t.platform).app;
  const alpha = await makeTenant(t.platform, 'alpha', 'Alpha Team');
  const bravo = await makeTenant(t.platform, 'bravo', 'Bravo Team');
  await makeItem(t.platform, alpha, { title: 'alpha item', status: 'draft' });
  await makeItem(t.platform, bravo, { title: 'bravo secret', status: 'in_review', tags: ['bravo-tag'], scheduledAt: Date.now() + 2 * DAY });
  await makeItem(t.platform, bravo, { title: 'bravo approved', status: 'approved' });
  await makeItem(t.platform, bravo, { title: 'bravo draft', status: 'draft' });
  await addMember(t.platform, await makeUser(t.platform, { email: ALICE }), alpha, 'owner');
  await addMember(t.platform, await makeUser(t.platform, { email: 'bob@example.com' }), bravo, 'owner');
  return { t, app, alpha, bravo };
}

const hrefsOf = (html: string) => [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
const actionsOf = (html: string) => [...html.matchAll(/<form[^>]*action="([^"]*)"/g)].map((m) => m[1]);
const tenantNavOf = (html: string) => /<nav class="tenant-nav"[\s\S]*?<\/nav>/.exec(html)?.[0] ?? '';
const switcherOf = (html: string) => /<nav class="switcher"[\s\S]*?<\/nav>/.exec(html)?.[0] ?? '';
/** A page below its header: the header's workspace switcher reflects the user's own tenants. */

describe('tenant pages on a subdomain of BASE_DOMAIN', () => {
  let fx: TwoTenants;
  let alice: HostBrowser;

  beforeAll(async () => {
    fx = await twoTenants();
    alice = await HostBrowser.signedIn(fx.app, ALICE, BARE);
  });
  afterAll(() => fx.t.cleanup());

  it("serves the tenant's home page at the root of its subdomain", async () => {
    const res = await alice.get(`${ALPHA}/`);
    expect(res.status).toBe(200);
    expect(tenantNavOf(res.text)).toContain('Alpha Team');
  });

  it.each(['/items', '/items/1'])("serves the tenant's page %s on its subdomain", async (path) => {
    const res = await alice.get(`${ALPHA}${path}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('alpha item');
  });

  it("serves the tenant's JSON API on its subdomain", async () => {
    const res = await alice.get(`${ALPHA}/api/items/1`);
    expect(res.status).toBe(200);
    expect(res.body.item).toMatchObject({ id: 1, title: 'alpha item' });
  });

  it('serves the same tenant for an upper-case host and a host with a port', async () => {
    for (const host of ['ALPHA.EXAMPLE.TEST', 'Alpha.Example.Test:8443']) {
      const res = await alice.get(`${ALPHA}/items/1`, host);
      expect(res.status).toBe(200);
      expect(res.text).toContain('alpha item');
    }
  });

  it('keeps the tenant nav and the forms of a subdomain page on the subdomain', async () => {
    const res = await alice.get(`${ALPHA}/items/1`);
    const nav = hrefsOf(tenantNavOf(res.text));
    expect(nav).toEqual(expect.arrayContaining(['/', '/items', '/members', '/settings']));
    expect(nav.every((href) => href.startsWith('/') && !href.startsWith('/t/'))).toBe(true);
    expect(actionsOf(res.text)).toEqual(expect.arrayContaining(['/items/1', '/items/1/submit', '/items/1/comments']));
    expect(res.text).not.toContain('/t/alpha');
  });

  it('keeps /t/alpha links on a page requested through /t/alpha, on the same app', async () => {
    const res = await alice.get(`${BARE}/t/alpha/items/1`);
    expect(res.status).toBe(200);
    const nav = hrefsOf(tenantNavOf(res.text));
    expect(nav).toEqual(expect.arrayContaining(['/t/alpha', '/t/alpha/items', '/t/alpha/members']));
    expect(nav.every((href) => href.startsWith('/t/alpha'))).toBe(true);
    expect(actionsOf(res.text)).toEqual(expect.arrayContaining(['/t/alpha/items/1', '/t/alpha/items/1/submit']));
  });

  it('redirects after a POST on the subdomain to a subdomain-relative path', async () => {
    const created = await alice.postForm(`${ALPHA}/items`, { title: 'made on the subdomain', body: '' }, `${ALPHA}/items/new`);
    expect(created.status).toBe(303);
    expect(created.headers.location).toMatch(/^\/items\/\d+$/);
    const id = created.headers.location.split('/').pop();

    const edited = await alice.postForm(`${ALPHA}/items/${id}`, { title: 'edited on the subdomain', body: '' }, `${ALPHA}/items/${id}`);
    expect(edited.status).toBe(303);
    expect(edited.headers.location).toBe(`/items/${id}`);

    const deleted = await alice.postForm(`${ALPHA}/items/${id}/delete`, { confirmed: 'yes' }, `${ALPHA}/items/${id}`);
    expect(deleted.status).toBe(303);
    expect(deleted.headers.location).toBe('/items');
  });

  it('redirects after a POST through /t/alpha to a /t/alpha path, on the same app', async () => {
    const created = await alice.postForm(`${BARE}/t/alpha/items`, { title: 'made through the path', body: '' }, `${BARE}/t/alpha/items/new`);
    expect(created.status).toBe(303);
    expect(created.headers.location).toMatch(/^\/t\/alpha\/items\/\d+$/);
  });

  it("switches from the workspace switcher of a tenant page to the tenant's subdomain", async () => {
    const res = await alice.get(`${ALPHA}/items`);
    expect(switcherOf(res.text)).toContain('action="/tenants/switch"');
    expect(switcherOf(res.text)).not.toContain('/t/alpha');
    const switched = await alice.postForm(`${ALPHA}/tenants/switch`, { tenant: 'alpha' }, `${ALPHA}/items`);
    expect(switched.status).toBe(303);
    expect(switched.headers.location).toBe('http://alpha.example.test/');
  });

  it.each([['the account page', `${BARE}/account`]])("links %s to the tenant's subdomain", async (_label, url) => {
    const res = await alice.get(url);
    expect(res.status).toBe(200);
    expect(mainOf(res.text)).toContain('href="http://alpha.example.test/"');
    expect(res.text).not.toContain('/t/alpha');
  });

  it("links the super admin's tenant list to the subdomain of each tenant they belong to", async () => {
    const rootUser = await makeUser(fx.t.platform, { email: 'root@example.com', superAdmin: true });
    for (const slug of ['alpha', 'bravo']) await addMember(fx.t.platform, rootUser, fx.t.platform.tenants.findBySlug(slug)!, 'viewer');
    const root = await HostBrowser.signedIn(fx.app, 'root@example.com', BARE);
    const res = await root.get(`${BARE}/admin/tenants`);
    expect(res.status).toBe(200);
    expect(hrefsOf(mainOf(res.text))).toEqual(expect.arrayContaining(['http://alpha.example.test/', 'http://bravo.example.test/']));
  });

  it("sends a member who signs in on the bare domain to her tenant's subdomain", async () => {
    const res = await new HostBrowser(fx.app).signIn(ALICE, BARE);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('http://alpha.example.test/');
  });

  it("sends a signed-in member from the bare domain's start page to her tenant's subdomain", async () => {
    const res = await alice.get(`${BARE}/`);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('http://alpha.example.test/');
  });
});

describe('paths that are not tenant pages, on a subdomain host', () => {
  let fx: TwoTenants;
  let alice: HostBrowser;

  beforeAll(async () => {
    fx = await twoTenants();
    alice = await HostBrowser.signedIn(fx.app, ALICE, BARE);
  });
  afterAll(() => fx.t.cleanup());

  it.each([ALPHA, 'http://nowhere.example.test', 'http://www.example.test'])('still serves the sign-in page and static files on %s', async (origin) => {
    const visitor = new HostBrowser(fx.app);
    expect((await visitor.get(`${origin}/login`)).status).toBe(200);
    const css = await visitor.get(`${origin}/static/style.css`);
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toMatch(/text\/css/);
  });

  it('still serves the account page to a signed-in user on a subdomain', async () => {
    const res = await alice.get(`${ALPHA}/account`);
    expect(res.status).toBe(200);
    expect(res.text).toContain(ALICE);
  });

  it('sends an anonymous visitor of a subdomain page to sign in on that host, and back to the page after', async () => {
    const visitor = new HostBrowser(fx.app);
    const res = await visitor.get(`${ALPHA}/items/1`);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/login?next=%2Fitems%2F1');
    const signedIn = await visitor.postForm(`${ALPHA}/login`, { email: ALICE, password: TEST_PASSWORD, next: '/items/1' }, `${ALPHA}${res.headers.location}`);
    expect(signedIn.status).toBe(302);
    expect(signedIn.headers.location).toBe('/items/1');
    expect((await visitor.get(`${ALPHA}/items/1`)).status).toBe(200);
  });
});

describe('session and CSRF cookies with BASE_DOMAIN', () => {
  let fx: TwoTenants;

  beforeAll(async () => {
    fx = await twoTenants();
  });
  afterAll(() => fx.t.cleanup());

  it('name the base domain, so they reach every subdomain', async () => {
    const browser = new HostBrowser(fx.app);
    const page = await browser.get(`${BARE}/login`);
    expect(cookieDomainOf(setCookieNamed(page, 'tenantry.csrf') ?? '')).toBe('example.test');
    const signedIn = await browser.signIn(ALICE, BARE);
    expect(cookieDomainOf(setCookieNamed(signedIn, SESSION_COOKIE) ?? '')).toBe('example.test');
  });

  it("let one sign-in on the bare domain open pages on the tenant's subdomain", async () => {
    const alice = await HostBrowser.signedIn(fx.app, ALICE, BARE);
    expect(alice.cookieNamesFor('alpha.example.test')).toContain(SESSION_COOKIE);
    const res = await alice.get(`${ALPHA}/items`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('alpha item');
  });

  it('let one sign-in on a subdomain hold on the bare domain and on other subdomains', async () => {
    const alice = await HostBrowser.signedIn(fx.app, ALICE, ALPHA);
    expect((await alice.get(`${BARE}/tenants`)).status).toBe(200);
    expect(alice.cookieNamesFor('bravo.example.test')).toContain(SESSION_COOKIE);
  });

  it('let a form on a subdomain carry the token of a page on the bare domain', async () => {
    const alice = await HostBrowser.signedIn(fx.app, ALICE, BARE);
    const res = await alice.postForm(`${ALPHA}/items`, { title: 'token from the bare domain', body: '' }, `${BARE}/tenants`);
    expect(res.status).toBe(303);
  });

  it('are cleared for the base domain when signing out on a subdomain', async () => {
    const alice = await HostBrowser.signedIn(fx.app, ALICE, BARE);
    const res = await alice.postForm(`${ALPHA}/logout`, {}, `${ALPHA}/items`);
    expect(res.status).toBe(302);
    const cleared = setCookieNamed(res, SESSION_COOKIE) ?? '';
    expect(cleared).toMatch(/Expires=Thu, 01 Jan 1970/);
    expect(cookieDomainOf(cleared)).toBe('example.test');
    expect(alice.cookieNamesFor('example.test')).not.toContain(SESSION_COOKIE);
    expect((await alice.get(`${ALPHA}/items`)).status).toBe(302);
  });
});

describe('session and CSRF cookies without BASE_DOMAIN', () => {
  let t: TestPlatform;

  beforeAll(async () => {
    t = await createTestPlatform();
    await makeUser(t.platform, { email: ALICE });
  });
  afterAll(() => t.cleanup());

  it('stay host-only (no Domain attribute)', async () => {
    const browser = new HostBrowser(createApp(t.platform).app);
    const page = await browser.get('http://localhost/login');
    const signedIn = await browser.signIn(ALICE, 'http://localhost');
    const csrf = setCookieNamed(page, 'tenantry.csrf');
    const sid = setCookieNamed(signedIn, SESSION_COOKIE);
    expect(csrf).toBeDefined();
    expect(sid).toBeDefined();
    expect(cookieDomainOf(csrf ?? '')).toBeUndefined();
    expect(cookieDomainOf(sid ?? '')).toBeUndefined();
  });
});

describe('cookies with an https BASE_URL', () => {
  /** The login page's cookies, as a browser reaching the app through an https proxy gets them. */
  async function loginPageCookies(env: Record<string, string>) {
    const t = await createTestPlatform({ BASE_URL: 'https://example.test', TRUST_PROXY: 'true', ...env });
    try {
      return await request(createApp(t.platform).app).get('/login').set('Host', 'example.test').set('X-Forwarded-Proto', 'https');
    } finally {
      await t.cleanup();
    }
  }

  it('names the CSRF cookie __Secure- and shares it with the subdomains when BASE_DOMAIN is set', async () => {
    const res = await loginPageCookies({ BASE_DOMAIN: 'example.test' });
    const csrf = setCookieNamed(res, '__Secure-tenantry.csrf');
    expect(csrf).toBeDefined();
    expect(csrf).toMatch(/;\s*Secure/);
    expect(cookieDomainOf(csrf ?? '')).toBe('example.test');
    expect(setCookieNamed(res, '__Host-tenantry.csrf')).toBeUndefined();
    const sid = setCookieNamed(res, SESSION_COOKIE);
    expect(sid).toMatch(/;\s*Secure/);
    expect(cookieDomainOf(sid ?? '')).toBe('example.test');
  });

  it('names the CSRF cookie __Host- and keeps it host-only without BASE_DOMAIN', async () => {
    const res = await loginPageCookies({});
    const csrf = setCookieNamed(res, '__Host-tenantry.csrf');
    expect(csrf).toBeDefined();
    expect(csrf).toMatch(/;\s*Secure/);
    expect(csrf).toMatch(/;\s*Path=\//);
    expect(cookieDomainOf(csrf ?? '')).toBeUndefined();
  });
});

describe('hosts under BASE_DOMAIN that name no tenant open to the user', () => {
  let fx: TwoTenants;
  let alice: HostBrowser;
  let reference: { html: string; json: unknown };

  beforeAll(async () => {
    fx = await twoTenants();
    const charlie = await makeTenant(fx.t.platform, 'charlie', 'Charlie Team');
    const aliceUser = fx.t.platform.users.findByEmail(ALICE);
    if (!aliceUser) throw new Error('no alice');
    await addMember(fx.t.platform, aliceUser, charlie, 'owner');
    // Archived: offline, and out of its members' reach like any tenant that is not theirs.
    fx.t.platform.tenants.update(charlie.id, { status: 'archived' });
    alice = await HostBrowser.signedIn(fx.app, ALICE, BARE);
    // What the path resolver answers for a tenant that does not exist.
    const html = await alice.get(`${BARE}/t/nowhere/items/1`);
    const json = await alice.get(`${BARE}/t/nowhere/api/items/1`);
    expect([html.status, json.status]).toEqual([404, 404]);
    reference = { html: mainOf(html.text), json: json.body };
  });
  afterAll(() => fx.t.cleanup());

  const hosts = [
    ['an unknown tenant', 'nowhere.example.test'],
    ['the reserved word www', 'www.example.test'],
    ['the reserved word admin', 'admin.example.test'],
    ['a label with a double hyphen', 'a--b.example.test'],
    ['two labels before the base domain', 'a.b.example.test'],
    ['a tenant she is not a member of', 'bravo.example.test'],
    ['an archived tenant she is a member of', 'charlie.example.test'],
  ];

  it.each(hosts)("answers the path resolver's 404 for %s (%s), on its home page and an item", async (_label, host) => {
    for (const path of ['/', '/items', '/items/1']) {
      const res = await alice.get(`http://${host}${path}`);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(mainOf(res.text)).toBe(reference.html);
    }
  });

  it.each(hosts)("answers the path resolver's JSON 404 for %s (%s)", async (_label, host) => {
    const res = await alice.get(`http://${host}/api/items/1`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual(reference.json);
  });

  it('shows the notice of a suspended tenant she is a member of on its subdomain, not the 404', async () => {
    const charlie = fx.t.platform.tenants.findBySlug('charlie');
    fx.t.platform.tenants.update(charlie!.id, { status: 'suspended', status_reason: 'Paused by the agency' });
    try {
      const res = await alice.get('http://charlie.example.test/items');
      expect(res.status).toBe(403);
      expect(res.text).toContain('Charlie Team is suspended');
      expect(res.text).toContain('Paused by the agency');
    } finally {
      fx.t.platform.tenants.update(charlie!.id, { status: 'archived', status_reason: null });
    }
  });

  it("answers 404 on alpha's host to a path naming bravo, showing nothing of bravo", async () => {
    for (const path of ['/t/bravo', '/t/bravo/items', '/t/bravo/items/1', '/t/bravo/api/items/1']) {
      const res = await alice.get(`${ALPHA}${path}`);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(res.text).not.toContain('bravo secret');
    }
  });

  it("hands out no handle of bravo's database to a non-member on bravo's subdomain", async () => {
    fx.t.platform.router.closeAll();
    const opens = fx.t.platform.router.stats().opens;
    await alice.get(`${BRAVO}/items/1`);
    expect(fx.t.platform.router.isOpen(fx.bravo.id)).toBe(false);
    expect(fx.t.platform.router.stats().opens).toBe(opens);
  });

  it("records a refused read on bravo's subdomain in bravo's audit trail", async () => {
    // Alice's earlier refusals on bravo would have this one counted into theirs (one record per window).
    fx.t.platform.db.run("delete from audit_events where action = 'access.refused'");
    await alice.get(`${BRAVO}/items/2`);
    const refused = "select tenant_id, target_id from audit_events where action = 'access.refused' and target_id = '/items/2'";
    const rows = fx.t.platform.db.connection().prepare(refused).all();
    expect(rows).toContainEqual({ tenant_id: fx.bravo.id, target_id: '/items/2' });
  });
});

/**
 * Alice owns alpha only and works on alpha's subdomain. Every read and write of bravo, by
 * bravo-only id on alpha's host, on bravo's host, and by path on alpha's host, answers 404 and
 * leaves bravo as it was.
 */
describe('cross-tenant access through the subdomain resolver', () => {
  let fx: TwoTenants;
  let alice: HostBrowser;

  beforeAll(async () => {
    fx = await twoTenants();
    alice = await HostBrowser.signedIn(fx.app, ALICE, BARE);
  });
  afterAll(() => fx.t.cleanup());

  const reads = [
    `${ALPHA}/items/2`,
    `${ALPHA}/items/3`,
    `${ALPHA}/api/items/3`,
    `${BRAVO}/`,
    `${BRAVO}/items`,
    `${BRAVO}/items?q=bravo`,
    `${BRAVO}/items/1`,
    `${BRAVO}/api/items/1`,
    `${BRAVO}/items.csv`,
    `${BRAVO}/workflow`,
    `${BRAVO}/settings`,
    `${BRAVO}/members`,
    `${ALPHA}/t/bravo/items/1`,
    `${ALPHA}/t/bravo/api/items/1`,
  ];

  it.each(reads)('answers 404 to a member of alpha reading %s, showing nothing of bravo', async (url) => {
    const res = await alice.get(url);
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('bravo secret');
    expect(res.text).not.toContain('bravo-tag');
  });

  const schedule = { publish_at: toDateTimeLocal(Date.now() + 3 * DAY), note: 'n' };
  const writes: Array<[string, Record<string, string>]> = [
    // ids that exist only in bravo, through alpha's own subdomain
    [`${ALPHA}/items/2`, { title: 'renamed', body: '' }],
    [`${ALPHA}/items/3/delete`, { confirmed: 'yes' }],
    [`${ALPHA}/items/2/comments`, { comment: 'hi from alpha' }],
    ...TRANSITION_ACTIONS.map((action): [string, Record<string, string>] => [`${ALPHA}/items/2/${action}`, schedule]),
    // bravo's own subdomain
    [`${BRAVO}/items`, { title: 'planted', body: '' }],
    [`${BRAVO}/items/1`, { title: 'renamed', body: '' }],
    [`${BRAVO}/items/3/delete`, { confirmed: 'yes' }],
    [`${BRAVO}/items/1/comments`, { comment: 'hi from alpha' }],
    [`${BRAVO}/workflow`, { approvals_required: '1', channels: '' }],
    [`${BRAVO}/settings`, { display_name: 'Taken over', accent_color: '#000000', time_zone: 'UTC', language: 'en' }],
    ...TRANSITION_ACTIONS.map((action): [string, Record<string, string>] => [`${BRAVO}/items/1/${action}`, schedule]),
    // bravo by path, on alpha's subdomain
    [`${ALPHA}/t/bravo/items/1`, { title: 'renamed', body: '' }],
    [`${ALPHA}/t/bravo/items/3/delete`, { confirmed: 'yes' }],
  ];

  it.each(writes)('answers 404 to a member of alpha posting to %s, and bravo is unchanged', async (url, body) => {
    const before = await tenantContent(fx.t.platform, fx.bravo);
    const res = await alice.postForm(url, body, `${ALPHA}/items`);
    expect(res.status).toBe(404);
    expect(await tenantContent(fx.t.platform, fx.bravo)).toEqual(before);
  });
});

describe('a tenant named in a form field on a subdomain', () => {
  let fx: TwoTenants;
  let alice: HostBrowser;

  beforeAll(async () => {
    fx = await twoTenants();
    alice = await HostBrowser.signedIn(fx.app, ALICE, BARE);
  });
  afterAll(() => fx.t.cleanup());

  const namingBravo = () => ({ tenant: 'bravo', slug: 'bravo', tenant_id: fx.bravo.id });

  it("is ignored by an edit: it lands in the host's tenant, where membership was proven", async () => {
    const bravoBefore = await tenantContent(fx.t.platform, fx.bravo);
    const res = await alice.postForm(`${ALPHA}/items/1`, { title: 'renamed in alpha', body: '', ...namingBravo() }, `${ALPHA}/items/1`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/items/1');
    expect((await itemSnapshot(fx.t.platform, fx.alpha, 1)).item?.title).toBe('renamed in alpha');
    expect(await tenantContent(fx.t.platform, fx.bravo)).toEqual(bravoBefore);
  });

  it("is ignored by a new item: it is created in the host's tenant", async () => {
    const bravoBefore = await tenantContent(fx.t.platform, fx.bravo);
    const res = await alice.postForm(`${ALPHA}/items`, { title: 'created in alpha', body: '', ...namingBravo() }, `${ALPHA}/items/new`);
    expect(res.status).toBe(303);
    const id = Number(res.headers.location.split('/').pop());
    expect((await itemSnapshot(fx.t.platform, fx.alpha, id)).item?.title).toBe('created in alpha');
    expect(await tenantContent(fx.t.platform, fx.bravo)).toEqual(bravoBefore);
  });

  it("is ignored by a delete on alpha's host naming a bravo-only id: 404, bravo unchanged", async () => {
    const bravoBefore = await tenantContent(fx.t.platform, fx.bravo);
    const res = await alice.postForm(`${ALPHA}/items/3/delete`, namingBravo(), `${ALPHA}/items`);
    expect(res.status).toBe(404);
    expect(await tenantContent(fx.t.platform, fx.bravo)).toEqual(bravoBefore);
  });
});
