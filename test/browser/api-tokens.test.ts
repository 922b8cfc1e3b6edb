import { startBrowserSession, type BrowserSession } from './support/browser-session';
import { addMember, makeTenant, makeUser } from '../support/factories';
import { makeItem } from '../support/content';
import { SecretBox } from '../../core/crypto/secret-box';
import { WebhookRepository } from '../../workspace/webhooks/webhook-repository';

/**
 * A member makes an API token in a real browser, a script reads the workspace with it, and an
 * admin looks up the API docs and adds a webhook.
 */
describe('API tokens and webhooks in a real browser', () => {
  let s: BrowserSession;

  beforeAll(async () => {
    s = await startBrowserSession();
    const acme = await makeTenant(s.t.platform, 'acme', 'Acme Studio');
    await addMember(s.t.platform, await makeUser(s.t.platform, { email: 'avery@agency.test', name: 'Avery Agency' }), acme, 'owner');
    await makeItem(s.t.platform, acme, { title: 'Spring campaign post', status: 'in_review' });
  }, 60000);
  afterAll(() => s?.close());

  it('makes a token shown once on the account page, and a script reads items with it', async () => {
    const page = await s.newPage();
    await s.signIn(page, 'avery@agency.test');
    await page.goto('/account');
    await Promise.all([page.waitForURL('**/account/tokens'), page.click('main a[href="/account/tokens"]')]);
    await page.fill('#name', 'Publishing script');
    await page.selectOption('#tenant', 'acme');
    await page.check('input[name=scopes][value="content.view"]');
    await page.check('input[name=scopes][value="content.create"]');
    await page.click('main form[action="/account/tokens"] button[type=submit]');
    const token = (await page.textContent('#new-token'))?.trim() ?? '';
    expect(token).toMatch(/^tnt_[A-Za-z0-9_-]{43}$/);
    await s.screenshot(page, 'api-tokens');
    await page.goto('/account/tokens');
    expect(await page.locator('#new-token').count()).toBe(0);
    expect(await page.textContent('main table')).toContain(`tnt_…${token.slice(-4)}`);

    const res = await fetch(`${s.baseUrl}/api/v1/t/acme/items?status=in_review`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: Array<{ title: string }> }).data.map((i) => i.title)).toEqual(['Spring campaign post']);
  });

  it('shows the API docs page, refuses a webhook URL it cannot check (naming the field), and lists endpoints', async () => {
    const page = await s.newPage();
    await s.signIn(page, 'avery@agency.test');
    await page.goto('/docs/api');
    expect(await page.textContent('main')).toContain('POST /api/v1/t/{slug}/items/{id}/approve');
    await s.screenshot(page, 'api-docs');
    await page.goto('/t/acme/webhooks');
    await page.fill('#url', 'https://hooks.example.com/tenantry');
    await page.check('input[name=events][value="item.approved"]');
    await page.check('input[name=events][value="item.published"]');
    await page.click('main form[action$="/webhooks"] button[type=submit]');
    // Without WEBHOOKS_ALLOW_PRIVATE a host that does not resolve here is refused, naming the field.
    expect(await page.textContent('#url-error')).toMatch(/URL/);

    // An endpoint saved where the host resolved (written here directly: this machine has no DNS).
    const tenant = s.t.platform.tenants.findBySlug('acme');
    const lease = await s.t.platform.router.acquire(tenant?.id ?? '');
    try {
      new WebhookRepository(lease.db).insertEndpoint(new SecretBox(s.t.platform.config.secretsKey), {
        url: 'https://hooks.example.com/tenantry',
        description: 'Publishing calendar',
        events: ['item.approved', 'item.published'],
        secret: 'whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0',
        createdBy: null,
      });
    } finally {
      lease.release();
    }
    await page.goto('/t/acme/webhooks');
    expect(await page.textContent('main table')).toContain('https://hooks.example.com/tenantry');
    await s.screenshot(page, 'webhooks');
  });
});
