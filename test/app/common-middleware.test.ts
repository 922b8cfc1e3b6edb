import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../support/test-platform';
import { installCommonMiddleware, installErrorHandlers } from '../../app/create-app';

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
