import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../support/test-platform';
import { createApp } from '../../app/create-app';
import { addMember, makeTenant, makeUser } from '../support/factories';
import { postForm, signIn, type Agent } from '../support/http-agent';
import { allViews, read } from '../support/translation-keys';

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

  it('ties the reasons of a refused form to the select or group they are about', async () => {
    const invitation = await postForm(owner, '/t/acme/invitations', { emails: 'new@example.com', role_id: '999999' }, '/t/acme/invitations');
    expect(invitation.status).toBe(400);
    expect(invitation.text).toMatch(/<select id="role_id" name="role_id" aria-invalid="true" aria-describedby="role_id-error" autofocus>/);
    expect(invitation.text).toContain('<p class="field-error" id="role_id-error">');

    const token = await postForm(owner, '/t/acme/tokens', { name: 'Script', expires_in_days: '12' }, '/t/acme/tokens');
    expect(token.status).toBe(400);
    expect(token.text).toContain('<fieldset aria-describedby="scopes-error">');
    expect(token.text).toContain('<p class="field-error" id="scopes-error">');
    expect(token.text).toContain('<select id="expires_in_days" name="expires_in_days" aria-invalid="true" aria-describedby="expires_in_days-error" autofocus>');
    expect(token.text).toContain('<p class="field-error" id="expires_in_days-error">');
  });
});

describe('the focus after a refused form', () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let owner: Agent;

  beforeEach(async () => {
    t = await createTestPlatform({ SELF_SERVICE_WORKSPACES: 'true' });
    app = createApp(t.platform).app;
    const acme = await makeTenant(t.platform, 'acme', 'Acme Studio');
    const user = await makeUser(t.platform, { email: 'owner@example.com', name: 'Olive Owner', superAdmin: true });
    await addMember(t.platform, user, acme, 'owner');
    owner = await signIn(app, user.email);
  });
  afterEach(() => t.cleanup());

  /** The opening tag of each control that asks for the focus. */
  function focused(html: string): string[] {
    return [...html.matchAll(/<(?:input|select|textarea|button)\b[^>]*>/g)].map(([tag]) => tag).filter((tag) => /\sautofocus\b/.test(tag));
  }
  const idOf = (tag: string) => /\bid="([^"]+)"/.exec(tag)?.[1];

  it('puts it on the first invalid field of a refused invitation, and on no other', async () => {
    const refused = await postForm(owner, '/t/acme/invitations', { emails: 'not an address', role_id: '999999' }, '/t/acme/invitations');
    expect(refused.status).toBe(400);
    expect(focused(refused.text).map(idOf)).toEqual(['emails']);
  });

  it('puts it on the first invalid field of a refused new tenant or workspace, wherever that field stands', async () => {
    const both = await postForm(owner, '/admin/tenants', { name: '', slug: 'X' }, '/admin/tenants/new');
    expect(both.status).toBe(400);
    expect(focused(both.text).map(idOf)).toEqual(['name']);

    const second = await postForm(owner, '/tenants/new', { name: 'North', slug: 'X' }, '/tenants/new');
    expect(second.status).toBe(400);
    expect(focused(second.text).map(idOf)).toEqual(['slug']);
  });

  it('leaves a fresh form as it is, and moves the sign-in pages’ own focus to the field refused', async () => {
    expect(focused((await owner.get('/t/acme/invitations')).text)).toEqual([]);
    const fresh = request.agent(app);
    expect(focused((await fresh.get('/password/forgot')).text).map(idOf)).toEqual(['email']);
    const refused = await postForm(fresh, '/password/forgot', { email: 'nobody' }, '/password/forgot');
    expect(refused.status).toBe(400);
    expect(focused(refused.text).map(idOf)).toEqual(['email']);
  });
});

/** Errors about a hidden field (which session or workspace a button was for, a choice made on the step before): nothing to tie them to; they stand out on their own. */
const ERRORS_OF_HIDDEN_FIELDS = new Set([
  'views/account/account.ejs session',
  'views/account/account.ejs tenant_id',
  'views/tenant/item-import-preview.ejs on_invalid',
]);

/** The ids a template's controls (or fieldsets) name in aria-describedby, as the template writes them. */
function describedIds(template: string): Set<string> {
  const ids = [...template.matchAll(/aria-describedby="([^"]+)"/g)].map((m) => m[1]);
  // settings.ejs's invalid('name') helper writes aria-describedby="name-error"; tenant-detail.ejs builds it from the row's name.
  if (template.includes(`aria-describedby="' + name + '-error"`)) {
    ids.push(...[...template.matchAll(/\binvalid\('(\w+)'\)/g)].map((m) => `${m[1]}-error`), '<%= name %>-error');
  }
  return new Set(ids);
}

describe('the templates', () => {
  it.each(allViews())('%s ties each field error to its control (an id the control or its fieldset names)', (view) => {
    const template = read(view);
    const described = describedIds(template);
    const untied: string[] = [];
    for (const m of template.matchAll(/<p class="field-error"([^>]*)><%= fieldLabel\(\s*([^,]+),/g)) {
      const name = m[2].replace(/^'|'$/g, '');
      if (ERRORS_OF_HIDDEN_FIELDS.has(`${view} ${name}`)) continue;
      const id = /\bid="([^"]+)"/.exec(m[1])?.[1];
      if (id === undefined || !described.has(id)) untied.push(name);
    }
    expect({ view, untied }).toEqual({ view, untied: [] });
  });
});

describe('the tables', () => {
  it.each(allViews())('%s gives every header cell its scope and a name', (view) => {
    const cells = [...read(view).matchAll(/<th\b([^>]*)>([\s\S]*?)<\/th>/g)];
    const unscoped = cells.filter(([, attributes]) => !/\bscope="(col|row)"/.test(attributes)).map(([cell]) => cell);
    const unnamed = cells.filter(([, , content]) => !content.trim()).map(([cell]) => cell);
    expect({ view, unscoped, unnamed }).toEqual({ view, unscoped: [], unnamed: [] });
  });
});
