import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../support/test-platform';
import { createApp, installCommonMiddleware, installErrorHandlers } from '../../app/create-app';
import { addMember, makeTenant, makeUser } from '../support/factories';
import { csrfFrom, postForm, signIn, type Agent } from '../support/http-agent';

/** What every request goes through before a router: bodies are read only where one may change something. */
describe('the common middleware', () => {
  let t: TestPlatform;
  let app: express.Express;
  beforeEach(async () => {
    t = await createTestPlatform();
    app = express();
    installCommonMiddleware(app, t.platform);
    const probe: express.RequestHandler = (req, res) => void res.json({ body: req.body ?? null, csrfCookie: res.getHeader('set-cookie') ?? null });
    app.get('/probe', probe);
    app.options('/probe', probe);
    app.post('/probe', probe);
    installErrorHandlers(app, t.platform);
  });
  afterEach(() => t.cleanup());

  it('does not parse the body of a GET, a JSON one or a form', async () => {
    const json = await request(app).get('/probe').set('Content-Type', 'application/json').send('{"a":1}');
    expect(json.status).toBe(200);
    expect(json.body).toEqual({ body: null, csrfCookie: null });
    const form = await request(app).get('/probe').type('form').send('a=1');
    expect(form.body).toEqual({ body: null, csrfCookie: null });
  });

  it('does not parse the body of an OPTIONS request either', async () => {
    const res = await request(app).options('/probe').set('Content-Type', 'application/json').send('{"a":1}');
    expect(res.body).toEqual({ body: null, csrfCookie: null });
  });

  it('still parses a POST body, and still refuses it without a CSRF token', async () => {
    const res = await request(app).post('/probe').set('Content-Type', 'application/json').send('{"a":1}');
    expect(res.status).toBe(403);
    const broken = await request(app).post('/probe').set('Content-Type', 'application/json').send('{"a":');
    expect(broken.status).toBe(400);
  });
});

describe('page templates', () => {
  /** An app on the common middleware whose one page comes from a folder of the test's own. */
  async function pageApp(env: Record<string, string>) {
    const t = await createTestPlatform(env);
    const views = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-views-'));
    const app = express();
    installCommonMiddleware(app, t.platform);
    app.set('views', views);
    app.get('/page', (_req, res) => res.render('probe'));
    installErrorHandlers(app, t.platform);
    const write = (text: string) => fs.writeFileSync(path.join(views, 'probe.ejs'), text);
    const cleanup = () => {
      fs.rmSync(views, { recursive: true, force: true });
      t.cleanup();
    };
    return { app, write, cleanup };
  }

  it.each([
    ['are compiled once and kept, whatever NODE_ENV says', {}, '<p>first</p>'],
    ['are read again on every render with RELOAD_VIEWS=1', { RELOAD_VIEWS: '1' }, '<p>second</p>'],
  ])('%s', async (_name, env: Record<string, string>, secondRender) => {
    const { app, write, cleanup } = await pageApp(env);
    try {
      write('<p>first</p>');
      expect((await request(app).get('/page').expect(200)).text).toBe('<p>first</p>');
      write('<p>second</p>');
      expect((await request(app).get('/page').expect(200)).text).toBe(secondRender);
    } finally {
      cleanup();
    }
  });
});

/** A page form acts only on a body it read: a form or JSON, and a file only where a form uploads one. */
describe('bodies the pages do not read', () => {
  let t: TestPlatform;
  let agent: Agent;
  let csrf: string;
  const ticked = async () => [...(await agent.get('/t/acme/notifications')).text.matchAll(/name="kinds" value="(\w+)" checked/g)].map((m) => m[1]);

  beforeEach(async () => {
    t = await createTestPlatform();
    const { app } = createApp(t.platform);
    const acme = await makeTenant(t.platform, 'acme');
    const member = await makeUser(t.platform);
    await addMember(t.platform, member, acme, 'owner');
    agent = await signIn(app, member.email);
    csrf = await csrfFrom(agent, '/t/acme/notifications');
  });
  afterEach(() => t.cleanup());

  it('refuses a multipart or plain-text body to a form that takes no file with 415 and its error page, in the reader’s language, and changes nothing', async () => {
    expect((await postForm(agent, '/account/language', { language: 'fr' }, '/account')).status).toBe(303);
    const before = await ticked();
    expect(before).toHaveLength(3);
    const multipart = await agent
      .post(`/t/acme/notifications?_csrf=${encodeURIComponent(csrf)}`)
      .field('_csrf', csrf)
      .field('kinds', 'item_approved');
    const text = await agent.post('/t/acme/notifications').set('x-csrf-token', csrf).set('Content-Type', 'text/plain').send('kinds=item_approved');
    for (const res of [multipart, text]) {
      expect(res.status).toBe(415);
      expect(res.type).toBe('text/html');
      expect(res.text).toContain('Ce formulaire a été envoyé sous une forme que cette page ne sait pas lire');
    }
    expect(await ticked()).toEqual(before);
  });

  it('still refuses such a body with a missing or wrong CSRF token as an expired form (403)', async () => {
    const multipart = await agent.post('/t/acme/notifications?_csrf=wrong').field('kinds', 'item_approved');
    const text = await agent.post('/t/acme/notifications').set('Content-Type', 'text/plain').send('kinds=item_approved');
    for (const res of [multipart, text]) {
      expect(res.status).toBe(403);
      expect(res.text).toContain('The form expired or was sent from elsewhere');
    }
    expect(await ticked()).toHaveLength(3);
  });

  it('still takes a form with only its CSRF token, and a request without a body, as it did', async () => {
    const onlyToken = await agent.post('/t/acme/notifications').type('form').send({ _csrf: csrf });
    expect(onlyToken.status).toBe(303);
    expect(await ticked()).toEqual([]);
    const bodyless = await agent.post('/account/language').set('x-csrf-token', csrf);
    expect(bodyless.status).not.toBe(415);
  });

  it('still takes a JSON body from a script, and a file where a page form uploads one', async () => {
    const json = await agent
      .post('/t/acme/notifications')
      .set('x-csrf-token', csrf)
      .send({ kinds: ['item_approved'] });
    expect(json.status).toBe(303);
    expect(await ticked()).toEqual(['item_approved']);
    const upload = await agent.post(`/t/acme/items/import?_csrf=${encodeURIComponent(csrf)}`).attach('file', Buffer.from('title\nOne\n'), {
      filename: 'items.csv',
      contentType: 'text/csv',
    });
    expect(upload.status).toBe(200);
  });
});
