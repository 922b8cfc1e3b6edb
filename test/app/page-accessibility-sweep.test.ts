import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../support/test-platform';
import { codeFor, keyOnPage } from '../support/two-step';
import { createApp } from '../../app/create-app';
import { FEATURE_KEYS } from '../../tenant-runtime/plan-catalogue';
import { SetupToken } from '../../control-plane/setup/setup-token';
import { addMember, makeTenant, makeUser, TEST_PASSWORD } from '../support/factories';
import { csrfFrom, postForm, signIn, type Agent } from '../support/http-agent';
import { personalToken, serviceToken } from '../support/api-tokens';
import { invite, makeCustomRole, roleId } from '../support/team';
import { fillTenant } from '../support/tenant-data';
import { inTenant, postMultipart } from '../support/content';
import { suspendTenant } from '../../control-plane/lifecycle/suspend-tenant';
import { CLI_OPERATOR } from '../../control-plane/audit/operator';
import type { TenantRecord } from '../../control-plane/tenants/tenant-record';
import { addEndpoint } from '../support/webhooks';
import { outboxMails } from '../support/outbox';
import { declaredRoutes, type Route } from '../support/declared-routes';
import { accessibilityFaults, type Fault } from '../support/page-accessibility';
import { allViews } from '../support/translation-keys';
import type { UserRecord } from '../../control-plane/users/user-record';

/** GET routes that answer no page: files, feeds, JSON, a redirect, the API. */
const NOT_PAGES = /^\/api\/|\/api\/|\.(csv|json)$|^\/(metrics|healthz)$|\/files\/:fileId$|\/settings\/logo$/;
/** Pages shown once after the form that makes what they show: reached by posting that form. */
const SHOWN_ONCE = /\/(created|owner-invited)$/;
/** Pages for someone not signed in (a signed-in person is sent on from them). */
const SIGNED_OUT = new Set(['/setup', '/login', '/password/forgot', '/password/reset/:token', '/email/confirm/:token']);
/** Forms that end the session they are sent in. */
/** Forms that take no input and work a second or more (a whole export, a backup): nothing to refuse. */
const SLOW_WITHOUT_INPUT = new Set(['/t/:slug/export', '/admin/tenants/:slug/backups']);
const ENDS_SESSION = new Set([
  '/logout',
  '/account/sessions/revoke',
  '/account/sessions/revoke-others',
  '/account/leave',
  '/admin/users/:id/impersonate',
  '/impersonation/stop',
]);
/** Pages whose lists are only in the console's language. */
const ENGLISH_ONLY = /^\/(admin|setup|docs)(\/|$|\?)/;

// Each sweep renders a hundred pages or more: a few seconds alone, several times that on a busy machine.
jest.setTimeout(90_000);

/**
 * Every page of the app, as a super admin who owns a workspace with something of everything sees
 * it, the signed-out pages, and forms refused for their input: each checked for what a keyboard
 * or a screen reader needs (test/support/page-accessibility.ts).
 */
describe('every page, for keyboards and screen readers', () => {
  let t: TestPlatform;
  let parts: ReturnType<typeof createApp>;
  let admin: UserRecord;
  let owner: Agent;
  let routes: Route[];
  const params: Record<string, string> = {};
  /** The views the sweep saw rendered. */
  const rendered = new Set<string>();
  function recordViews(app: ReturnType<typeof createApp>['app']) {
    const render = app.render.bind(app);
    app.render = ((view: string, ...rest: Parameters<typeof render> extends [string, ...infer R] ? R : never) => {
      rendered.add(view);
      return (render as (...a: unknown[]) => void)(view, ...rest);
    }) as typeof app.render;
  }

  beforeAll(async () => {
    t = await createTestPlatform({ WEBHOOKS_ALLOW_PRIVATE: '1', SELF_SERVICE_WORKSPACES: 'true' });
    parts = createApp(t.platform, { passwordResetLimits: { perIp: 1000, perEmail: 1000 } });
    recordViews(parts.app);
    admin = await makeUser(t.platform, { email: 'admin@example.com', name: 'Ada Admin', superAdmin: true });
    const acme = await makeTenant(t.platform, 'acme', 'Acme Studio');
    await addMember(t.platform, admin, acme, 'owner');
    t.platform.plans.setTenantOverrides(acme.id, { features: Object.fromEntries(FEATURE_KEYS.map((k) => [k, true])) });
    await fillTenant(t, acme);
    const item = await inTenant(t.platform, acme, (db) => db.get<{ id: number }>('select id from items order by id limit 1'));
    const file = await inTenant(t.platform, acme, (db) => db.get<{ id: string }>('select id from attachments limit 1'));
    personalToken(t.platform, admin);
    serviceToken(t.platform, admin, acme, ['content.view']);
    const endpoint = await addEndpoint(t.platform, acme, 'http://127.0.0.1:9/hooks', ['item.submitted']);
    const invitation = invite(t.platform, acme, 'new@example.com');
    Object.assign(params, {
      slug: 'acme',
      tenant: 'acme',
      itemId: String(item?.id),
      fileId: String(file?.id),
      webhookId: endpoint.id,
      roleId: String(makeCustomRole(t.platform, acme, 'Reviewer', ['content.approve'])),
      userId: admin.id,
      key: t.platform.plans.list()[0].key,
      invitation: invitation.token,
    });
    owner = await signIn(parts.app, admin.email);
    const commented = await postForm(owner, `/t/acme/items/${params.itemId}/comments`, { comment: 'Looks good' }, `/t/acme/items/${params.itemId}`);
    if (commented.status !== 303) throw new Error(`the comment was refused: ${commented.status}`);
    routes = declaredRoutes(parts.app, t.platform).filter((r) => r.method === 'get' && !NOT_PAGES.test(r.path) && !SHOWN_ONCE.test(r.path));
  });
  afterAll(() => t.cleanup());

  /** The route's path with the records made above; undefined when the route needs one there is none of. */
  function fill(path: string): string | undefined {
    let missing = false;
    const filled = path.replace(/:(\w+)/g, (_m, name: string) => {
      const value =
        name === 'id'
          ? path.includes('/items/')
            ? params.itemId
            : path.includes('/webhooks/')
              ? params.webhookId
              : path.includes('/roles/')
                ? params.roleId
                : path.includes('/users/')
                  ? params.userId
                  : undefined
          : name === 'token'
            ? path.startsWith('/invitations/')
              ? params.invitation
              : undefined
            : params[name];
      if (value === undefined) missing = true;
      return value ?? '';
    });
    return missing ? undefined : filled;
  }

  /** The page's faults, each as `page [language] kind: detail`. */
  function faultsOf(page: string, language: string, res: { status: number; text: string; headers: Record<string, string> }): string[] {
    if (!/^text\/html/.test(res.headers['content-type'] ?? '')) throw new Error(`${page} answered ${res.status} ${res.headers['content-type']}`);
    const faults: Fault[] = accessibilityFaults(res.text, language);
    return faults.map((f) => `${page} [${language}] ${f.kind}: ${f.detail}`);
  }

  it.each(['en', 'fr'])('in %s, finds nothing wrong on any page a signed-in super admin and owner opens', async (language) => {
    if (language !== 'en') expect((await postForm(owner, '/account/language', { language }, '/account')).status).toBe(303);
    const opened: string[] = [];
    const faults: string[] = [];
    for (const route of routes) {
      const page = fill(route.path);
      if (page === undefined || SIGNED_OUT.has(route.path)) continue;
      const res = await owner.get(page).redirects(2);
      expect({ page, status: res.status }).toEqual({ page, status: 200 });
      // Where a redirect ended (the super admin's home is the console).
      const shown = new URL(res.redirects.at(-1) ?? page, 'http://x').pathname;
      faults.push(...faultsOf(shown === page ? page : `${page} -> ${shown}`, ENGLISH_ONLY.test(shown) ? 'en' : language, res));
      opened.push(route.path);
    }
    // A page that is missing is a page that escaped: the sweep must reach the lists it was given records for.
    expect(opened).toEqual(
      expect.arrayContaining(['/t/:slug/items/:id', '/t/:slug/webhooks/:id', '/t/:slug/roles/:id', '/admin/users/:id', '/admin/plans/:key']),
    );
    expect(opened.length).toBeGreaterThanOrEqual(40);
    const missing = await owner.get('/t/acme/items/999999');
    expect(missing.status).toBe(404);
    faults.push(...faultsOf('/t/acme/items/999999', language, missing));
    expect(faults).toEqual([]);
  });

  it.each(['en', 'fr'])('in %s, finds nothing wrong on the pages of someone not signed in', async (language) => {
    const visitor = request.agent(parts.app).set('Accept-Language', language);
    expect((await postForm(visitor, '/password/forgot', { email: admin.email }, '/password/forgot')).status).toBe(200);
    await parts.background.idle();
    const reset = /\/password\/reset\/[\w-]{43}/.exec(outboxMails(t.dataDir).at(-1)?.text ?? '')?.[0];
    const asked = await postForm(owner, '/account/email', { new_email: `ada.${language}@example.com`, password: TEST_PASSWORD }, '/account');
    expect(asked.status).toBe(303);
    const emailChange = /\/email\/confirm\/[\w-]{43}/.exec(outboxMails(t.dataDir).at(-1)?.text ?? '')?.[0];
    const faults: string[] = [];
    const setup = new SetupToken();
    const empty = await createTestPlatform();
    try {
      const firstRunApp = createApp(empty.platform, { setupToken: setup }).app;
      recordViews(firstRunApp);
      const firstRun = request(firstRunApp);
      const pages: Array<[string, string, Promise<request.Response>]> = [
        ['/setup', 'en', firstRun.get(`/setup?key=${setup.value}`).set('Accept-Language', language)],
        ['/', language, firstRun.get('/').set('Accept-Language', language)],
      ];
      for (const [page, lang, res] of pages) {
        expect({ page, status: (await res).status }).toEqual({ page, status: 200 });
        faults.push(...faultsOf(page, lang, await res));
      }
    } finally {
      await empty.cleanup();
    }
    for (const page of ['/login', '/password/forgot', String(reset), String(emailChange), `/invitations/${params.invitation}`, '/no-such-page']) {
      const res = await visitor.get(page);
      expect({ page, status: res.status }).toEqual({ page, status: page === '/no-such-page' ? 404 : 200 });
      faults.push(...faultsOf(page, language, res));
    }
    expect(faults).toEqual([]);
  });

  it('finds nothing wrong on any form refused for its input', async () => {
    const posts = declaredRoutes(parts.app, t.platform).filter(
      (r) => r.method === 'post' && !r.path.startsWith('/api/') && !ENDS_SESSION.has(r.path) && !SLOW_WITHOUT_INPUT.has(r.path),
    );
    expect((await postForm(owner, '/account/language', { language: 'fr' }, '/account')).status).toBe(303);
    const _csrf = await csrfFrom(owner, '/account');
    // What an empty form may change is another person's and another workspace's.
    const bob = await makeUser(t.platform, { email: 'bob@example.com', name: 'Bob' });
    await makeTenant(t.platform, 'beta', 'Beta');
    Object.assign(params, { userId: bob.id, tenant: 'beta' });
    let refused = 0;
    const faults: string[] = [];
    for (const route of posts) {
      const page = fill(route.path);
      if (page === undefined) continue;
      const res = await owner.post(page).type('form').send({ _csrf });
      if (res.status === 400) refused++;
      if (/^text\/html/.test(res.headers['content-type'] ?? '')) faults.push(...faultsOf(`POST ${page}`, ENGLISH_ONLY.test(page) ? 'en' : 'fr', res));
    }
    // Values of the wrong shape, beside the empty forms above.
    const bad: Array<[string, Record<string, string>]> = [
      ['/t/acme/invitations', { emails: 'not an address', role_id: '999999' }],
      ['/t/acme/items', { title: 'x'.repeat(500), scheduled_at: 'tomorrow-ish' }],
      ['/t/acme/webhooks', { url: 'ftp://nowhere', events: 'no.such.event' }],
      ['/account/password', { current_password: 'wrong', password: 'short', password_confirm: 'other' }],
      ['/admin/tenants', { name: 'N', slug: 'Not A Slug' }],
    ];
    for (const [page, body] of bad) {
      const res = await owner
        .post(page)
        .type('form')
        .send({ ...body, _csrf });
      expect({ page, status: res.status }).toEqual({ page, status: 400 });
      faults.push(...faultsOf(`POST ${page} (bad values)`, ENGLISH_ONLY.test(page) ? 'en' : 'fr', res));
    }
    const forged = await owner.post('/t/acme/items').type('form').send({ title: 'No token' });
    expect(refused).toBeGreaterThan(30);
    expect(forged.status).toBe(403);
    faults.push(...faultsOf('POST /t/acme/items (no form token)', 'fr', forged));
    expect(faults).toEqual([]);
  });

  it('finds nothing wrong on the pages that follow an accepted form: what is shown once, a preview, a closed workspace', async () => {
    const faults: string[] = [];
    const shown = async (page: string, res: request.Response) => {
      const followed = res.status === 302 || res.status === 303 ? await owner.get(String(res.headers.location)) : res;
      expect({ page, status: followed.status }).toEqual({ page, status: 200 });
      faults.push(...faultsOf(page, ENGLISH_ONLY.test(page) ? 'en' : 'fr', followed));
    };
    await shown('/admin/tenants (created)', await postForm(owner, '/admin/tenants', { name: 'Gamma', slug: 'gamma' }, '/admin/tenants/new'));
    await shown(
      '/admin/tenants/beta/owners (invited)',
      await postForm(owner, '/admin/tenants/beta/owners', { email: 'owner2@example.com' }, '/admin/tenants/beta'),
    );
    await shown(
      '/t/acme/invitations (sent)',
      await postForm(owner, '/t/acme/invitations', { emails: 'later@example.com', role_id: String(roleId(t.platform, 'viewer')) }, '/t/acme/invitations'),
    );
    await shown(
      '/t/acme/tokens (made)',
      await postForm(owner, '/t/acme/tokens', { name: 'Script', scopes: 'content.view', expires_in_days: '30' }, '/t/acme/tokens'),
    );
    await shown(
      '/account/tokens (made)',
      await postForm(owner, '/account/tokens', { name: 'Mine', scopes: 'content.view', tenant: '', expires_in_days: '30' }, '/account/tokens'),
    );
    await shown(
      '/t/acme/webhooks (made)',
      await postForm(owner, '/t/acme/webhooks', { url: 'http://127.0.0.1:9/other', events: 'item.submitted' }, '/t/acme/webhooks'),
    );
    // Two-step sign-in: the key shown once, the recovery codes shown once, and the code page of sign-in, refused too.
    const careful = await makeUser(t.platform, { email: 'careful@example.com' });
    const carefulAgent = await signIn(parts.app, careful.email);
    const _csrf = await csrfFrom(carefulAgent, '/account');
    expect((await carefulAgent.post('/account/two-step/start').type('form').send({ _csrf })).status).toBe(303);
    const enrol = await carefulAgent.get('/account/two-step/enrol');
    faults.push(...faultsOf('/account/two-step/enrol', 'en', enrol));
    const enabled = await carefulAgent
      .post('/account/two-step/enable')
      .type('form')
      .send({ two_step_password: TEST_PASSWORD, two_step_code: codeFor(keyOnPage(enrol.text)), _csrf });
    expect(enabled.status).toBe(200);
    faults.push(...faultsOf('/account/two-step/enable (recovery codes)', 'en', enabled));
    const visitor = request.agent(parts.app);
    expect((await postForm(visitor, '/login', { email: careful.email, password: TEST_PASSWORD }, '/login')).status).toBe(303);
    faults.push(...faultsOf('/login/code', 'en', await visitor.get('/login/code')));
    const wrongCode = await postForm(visitor, '/login/code', { code: '12' }, '/login/code');
    expect(wrongCode.status).toBe(401);
    faults.push(...faultsOf('/login/code (wrong code)', 'en', wrongCode));
    const csv = 'Title,Body,Channel,Tags,When\nLaunch,Hello,blog,,\n,No title,,,\n';
    const mapping = { map_title: '0', map_body: '1', map_channel: '2', map_tags: '3', map_scheduled_at: '4', on_duplicate: 'skip' };
    await shown('/t/acme/items/import (columns)', await postMultipart(owner, '/t/acme/items/import', { csv }));
    await shown('/t/acme/items/import/preview', await postMultipart(owner, '/t/acme/items/import/preview', { csv, ...mapping }));
    const beta = t.platform.tenants.findBySlug('beta') as TenantRecord;
    const member = await makeUser(t.platform, { email: 'member@example.com' });
    await addMember(t.platform, member, beta, 'editor');
    suspendTenant(t.platform, beta.id, { reason: 'Unpaid invoice' }, CLI_OPERATOR);
    const closed = await (await signIn(parts.app, member.email)).get('/t/beta/items');
    expect(closed.text).toContain('Unpaid invoice');
    faults.push(...faultsOf('/t/beta/items (suspended)', 'en', closed));
    expect(faults).toEqual([]);
  });

  it('has rendered every page template of the app', () => {
    const partOfOthers = new Set(['tenant/item-status', 'tenant/item-fields', 'admin/plan-fields', 'admin/owner-invitation-mail']);
    const views = allViews()
      .map((file) => file.replace(/^views\//, '').replace(/\.ejs$/, ''))
      .filter((view) => !view.startsWith('partials/') && !partOfOthers.has(view));
    expect(views.filter((view) => !rendered.has(view))).toEqual([]);
  });
});

/** The check the sweep relies on, given a page with one fault of each kind it knows, then the same page made right. */
describe('the page check', () => {
  const page = (head: string, body: string) => `<!doctype html><html lang="en"><head><title>${head}</title></head><body>${body}</body></html>`;
  const good = [
    '<a class="skip-link" href="#main">Skip</a><header><nav><a href="/">Home</a></nav></header>',
    '<main id="main"><h1>Items</h1><div class="alert" role="alert">Please fix the fields marked below.</div>',
    '<form><p class="required-note">Fields marked * are required.</p>',
    '<label for="title">Title <span class="required-mark" aria-hidden="true">*</span></label><input id="title" name="title" required aria-invalid="true" aria-describedby="title-error">',
    '<p class="field-error" id="title-error">Title is required</p>',
    '<label>Body <textarea name="body"></textarea></label><select name="s" aria-label="Status"></select>',
    '<input type="hidden" name="_csrf" value="x"><button type="submit">Save</button></form>',
    '<img src="/logo.png" alt=""><table aria-label="People"><tr><th scope="col">Name</th></tr><tr><td>x</td></tr></table>',
    '<fieldset><legend>Events</legend><label><input type="checkbox" name="e" value="a"> A</label><label><input type="checkbox" name="e" value="b"> B</label></fieldset>',
    '</main>',
  ];
  const kinds = (html: string, language = 'en') => [...new Set(accessibilityFaults(html, language).map((f) => f.kind))].sort();

  it('finds nothing on a page made right', () => {
    expect(accessibilityFaults(page('Items', good.join('')), 'en')).toEqual([]);
  });

  it('finds nothing on a page of many small forms that says once, before the first, what the mark means', () => {
    const restore = (n: number) =>
      `<form><label for="confirm-${n}">Type the slug <span class="required-mark" aria-hidden="true">*</span></label><input id="confirm-${n}" name="confirm" required><button type="submit">Restore</button></form>`;
    const forms = `<p class="required-note">Fields marked * are required.</p><table aria-label="Backups"><tr><th scope="col">Restore</th></tr>${[1, 2, 3].map((n) => `<tr><td>${restore(n)}</td></tr>`).join('')}</table>`;
    expect(accessibilityFaults(page('Items', good.join('').replace('</main>', `${forms}</main>`)), 'en')).toEqual([]);
  });

  it.each<[string, (html: string) => string, string]>([
    ['a page in French that says it is English', (h) => h, 'language'],
    ['an empty title', (h) => h.replace('<title>Items</title>', '<title> </title>'), 'title'],
    ['two h1', (h) => h.replace('</main>', '<h1>Again</h1></main>'), 'h1'],
    ['no main', (h) => h.replace('<main id="main">', '<div id="main">').replace('</main>', '</div>'), 'main'],
    ['a field with no label', (h) => h.replace(/<label for="title">.*?<\/label>/, ''), 'unnamed control'],
    ['a select with an empty aria-label', (h) => h.replace('aria-label="Status"', 'aria-label=""'), 'unnamed control'],
    ['an id twice', (h) => h.replace('<h1>', '<h1 id="title">'), 'duplicate id'],
    ['a label for no field', (h) => h.replace('<label for="title">', '<label for="titel">'), 'dangling reference'],
    ['an error not tied to its field', (h) => h.replace(' aria-invalid="true" aria-describedby="title-error"', ''), 'untied error'],
    ['an invalid field without its reason', (h) => h.replace(' aria-describedby="title-error"', '').replace(' id="title-error"', ''), 'untied error'],
    ['an image without alt', (h) => h.replace(' alt=""', ''), 'image without alt'],
    ['an empty button', (h) => h.replace('>Save<', '><'), 'unnamed button or link'],
    ['a header cell without scope', (h) => h.replace(' scope="col"', ''), 'table headers'],
    ['a table without header cells', (h) => h.replace('<th scope="col">Name</th>', '<td>Name</td>'), 'table headers'],
    ['navigation before any skip link', (h) => h.replace('<a class="skip-link" href="#main">Skip</a>', ''), 'skip link'],
    ['checkboxes of one question without a legend', (h) => h.replace('<legend>Events</legend>', ''), 'unnamed group'],
    ['a table with no caption or label', (h) => h.replace(' aria-label="People"', ''), 'unnamed table'],
    ['a table labelled by an empty caption', (h) => h.replace(' aria-label="People">', '><caption> </caption>'), 'unnamed table'],
    ['no header outside the main content', (h) => h.replace('<header>', '').replace('</header>', ''), 'banner'],
    ['a refused field with no alert saying so', (h) => h.replace(' role="alert"', ''), 'unannounced error'],
    ['a field refused as empty but not marked required', (h) => h.replace(' required aria-invalid', ' aria-invalid'), 'unmarked required field'],
    [
      'a required field whose label shows no mark',
      (h) => h.replace(' <span class="required-mark" aria-hidden="true">*</span>', ''),
      'required field not shown',
    ],
    ['a required mark read out as well as `required`', (h) => h.replace(' aria-hidden="true">*', '>*'), 'required field not shown'],
    [
      'a page with required fields that does not say what the mark means',
      (h) => h.replace('<p class="required-note">Fields marked * are required.</p>', ''),
      'required fields not explained',
    ],
    [
      'a page that says what the mark means only after its first required field',
      (h) =>
        h
          .replace('<p class="required-note">Fields marked * are required.</p>', '')
          .replace('</main>', '<p class="required-note">Fields marked * are required.</p></main>'),
      'required fields not explained',
    ],
    [
      'a page that says what the mark means only where nobody sees it',
      (h) => h.replace('<p class="required-note">', '<p class="required-note" hidden>'),
      'required fields not explained',
    ],
    ['a link that acts', (h) => h.replace('<a href="/">Home</a>', '<a href="/">Home</a><a href="#" data-method="post">Delete</a>'), 'link as button'],
  ])('finds %s', (_name, spoil, kind) => {
    const html = spoil(page('Items', good.join('')));
    expect(kinds(html, kind === 'language' ? 'fr' : 'en')).toContain(kind);
  });
});
