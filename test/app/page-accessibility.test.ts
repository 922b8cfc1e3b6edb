import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../support/test-platform';
import { createApp } from '../../app/create-app';
import { addMember, makeTenant, makeUser } from '../support/factories';
import { postForm, signIn, type Agent } from '../support/http-agent';

/** What every page gives people who use a keyboard or a screen reader, in each language. */
describe('the pages for keyboards and screen readers', () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let owner: Agent;

  beforeEach(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    const acme = await makeTenant(t.platform, 'acme', 'Acme Studio');
    const user = await makeUser(t.platform, { email: 'owner@example.com', name: 'Olive Owner' });
    await addMember(t.platform, user, acme, 'owner');
    owner = await signIn(app, user.email);
  });
  afterEach(() => t.cleanup());

  /** The body's first link, and whether the page's <main> is where it leads. */
  function skipLinkOf(html: string) {
    const body = html.slice(html.indexOf('<body>'));
    const first = /<a\b[^>]*href="([^"]*)"[^>]*>([^<]*)<\/a>/.exec(body);
    return { href: first?.[1], text: first?.[2], mainIsTarget: /<main\b[^>]*\bid="main"/.test(html) };
  }

  it('lets a keyboard skip the header to the main content, first thing on every page', async () => {
    for (const page of ['/t/acme', '/t/acme/items', '/tenants', '/account']) {
      const res = await owner.get(page);
      expect({ page, ...skipLinkOf(res.text) }).toEqual({ page, href: '#main', text: 'Skip to main content', mainIsTarget: true });
    }
    const signInPage = await request(app).get('/login');
    expect(skipLinkOf(signInPage.text)).toEqual({ href: '#main', text: 'Skip to main content', mainIsTarget: true });
  });

  it('names the skip link in French on a French page', async () => {
    const saved = await postForm(owner, '/account/language', { language: 'fr' }, '/account');
    expect(saved.status).toBe(303);
    expect(skipLinkOf((await owner.get('/t/acme/items')).text)).toEqual({ href: '#main', text: 'Aller au contenu principal', mainIsTarget: true });
  });
});
