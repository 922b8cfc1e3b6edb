import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import http from 'node:http';
import net from 'node:net';
import request from 'supertest';
import BetterSqlite3 from 'better-sqlite3';
import { errorHandler } from '../../../core/http/error-handler';
import { formView } from '../../../core/http/form-view';
import { ConflictError, DiskFullError, LimitReachedError, NotFoundError, SessionReplacedError, ValidationError } from '../../../core/errors/app-errors';
import { TenantClosedError, TenantUnavailableError } from '../../../core/errors/tenant-unavailable-errors';
import { createLogger } from '../../../core/logging/logger';

describe('the error handler re-showing a form', () => {
  let views: string;
  const lines: string[] = [];

  beforeAll(() => {
    views = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-views-'));
    fs.writeFileSync(path.join(views, 'echo.ejs'), '<form><%= JSON.stringify(values) %></form>');
    fs.writeFileSync(path.join(views, 'broken.ejs'), '<form><%= values.missing.field %></form>');
    fs.writeFileSync(path.join(views, 'shape.ejs'), '<form><%= Array.isArray(Object.getPrototypeOf(values)) %> <%= values.length %></form>');
  });
  afterAll(() => fs.rmSync(views, { recursive: true, force: true }));
  beforeEach(() => {
    lines.length = 0;
  });

  const appShowing = (view: string) => {
    const app = express();
    app.set('view engine', 'ejs');
    app.set('views', views);
    app.use(express.json());
    app.use(express.urlencoded({ extended: false }));
    app.post('/form', formView(view), () => {
      throw ValidationError.single('title', 'Enter a title.');
    });
    app.use(errorHandler(createLogger('info', { write: (line: string) => void lines.push(line) })));
    return app;
  };

  it('puts back only the text typed: strings and lists of strings, never a password or a structure', async () => {
    const res = await request(appShowing('echo'))
      .post('/form')
      .send({ title: 'kept', tags: ['a', 'b'], password: 'hunter2', nested: { a: 1 }, count: 3, mixed: ['a', { b: 1 }] });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text.replace(/^<form>|<\/form>$/g, '').replace(/&#34;/g, '"'))).toEqual({ title: 'kept', tags: ['a', 'b'] });
  });

  it('keeps a field named __proto__ from changing what the re-shown values are', async () => {
    const res = await request(appShowing('shape')).post('/form').type('json').send('{"__proto__": ["a", "b"], "title": "kept"}');
    expect(res.status).toBe(400);
    expect(res.text).toBe('<form>false </form>');
  });

  it('says a form of too many fields has too many fields, with a 413', async () => {
    const res = await request(appShowing('echo'))
      .post('/form')
      .set('Accept', 'application/json')
      .type('form')
      .send(Array.from({ length: 1001 }, (_v, i) => `f${i}=1`).join('&'));
    expect(res.status).toBe(413);
    expect(res.text).toContain('What you sent has too many fields.');
  });

  it('answers a plain 500 and logs the bug when the page itself cannot be rendered, never showing its stack', async () => {
    const res = await request(appShowing('broken')).post('/form').send({ title: 'x' });
    expect(res.status).toBe(500);
    expect(res.text).toBe('Something went wrong on our side. It has been logged.');
    expect(res.text).not.toMatch(/TypeError|\.ejs|at /);
    const logged = lines.map((line) => JSON.parse(line) as { level: number; msg: string; page?: string });
    expect(logged).toEqual([expect.objectContaining({ level: 50, msg: 'error page failed to render', page: 'broken' })]);
  });
});

describe('the error handler, when a form asks for what cannot be done now', () => {
  let views: string;
  beforeAll(() => {
    views = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-views-'));
    fs.mkdirSync(path.join(views, 'errors'));
    fs.writeFileSync(path.join(views, 'page.ejs'), '<h1><%= heading %></h1><p><%= errors.form %></p><form><%= JSON.stringify(values) %></form>');
    fs.writeFileSync(path.join(views, 'errors', 'error.ejs'), '<h1>Error</h1><p><%= message %></p>');
    fs.writeFileSync(path.join(views, 'errors', 'not-found.ejs'), '<h1>Not found</h1>');
    fs.writeFileSync(path.join(views, 'errors', 'tenant-closed.ejs'), '<h1>Closed</h1><p><%= notice.tenantName %></p>');
  });
  afterAll(() => fs.rmSync(views, { recursive: true, force: true }));

  const refusing = (error: Error, withForm = true) => {
    const app = express();
    app.set('view engine', 'ejs');
    app.set('views', views);
    app.use(express.urlencoded({ extended: false }));
    const form = withForm ? [formView('page', () => ({ heading: 'The page of the form' }))] : [];
    app.post('/form', ...form, () => {
      throw error;
    });
    app.use(errorHandler(createLogger('silent')));
    return app;
  };
  const busy = () => new ConflictError('Another operation is running on this tenant right now. Try again in a moment.');

  it("shows the form's page again with the refusal and what was typed, keeping the 409", async () => {
    const res = await request(refusing(busy())).post('/form').type('form').send({ name: 'Acme Two', revision: '7', password: 'hunter2' });
    expect(res.status).toBe(409);
    expect(res.text).toBe(
      '<h1>The page of the form</h1><p>Another operation is running on this tenant right now. Try again in a moment.</p><form>{&#34;name&#34;:&#34;Acme Two&#34;,&#34;revision&#34;:&#34;7&#34;}</form>',
    );
  });

  it("shows a plan's limit reached (403) on the form's page too", async () => {
    const limit = new LimitReachedError('Limit reached: Storage. This workspace uses 2 MB of 1 MB.', { limit: 'storage_bytes', used: 2, max: 1 });
    const res = await request(refusing(limit)).post('/form').type('form').send({});
    expect(res.status).toBe(403);
    expect(res.text).toContain('<h1>The page of the form</h1><p>Limit reached: Storage. This workspace uses 2 MB of 1 MB.</p>');
  });

  it('answers JSON as before to a client that asks for it', async () => {
    const res = await request(refusing(busy())).post('/form').set('Accept', 'application/json').send({ name: 'x' });
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ error: { code: 'conflict', message: 'Another operation is running on this tenant right now. Try again in a moment.' } });
  });

  it('keeps the error page for a request without a form, a thing not found, a closed workspace and a replaced session', async () => {
    expect((await request(refusing(busy(), false)).post('/form')).text).toBe(
      '<h1>Error</h1><p>Another operation is running on this tenant right now. Try again in a moment.</p>',
    );
    expect((await request(refusing(new NotFoundError())).post('/form')).text).toBe('<h1>Not found</h1>');
    const closed = new TenantClosedError({ state: 'suspended', tenantName: 'Acme', reason: null, until: null, contacts: [] });
    expect((await request(refusing(closed)).post('/form')).text).toBe('<h1>Closed</h1><p>Acme</p>');
    const replaced = await request(refusing(new SessionReplacedError())).post('/form');
    expect([replaced.status, replaced.text]).toEqual([
      409,
      '<h1>Error</h1><p>Your session changed a moment ago (a second click, or another tab): reload the page.</p>',
    ]);
  });
});

describe('the error handler, when a form cannot be done for now', () => {
  let views: string;
  beforeAll(() => {
    views = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-views-'));
    fs.mkdirSync(path.join(views, 'errors'));
    fs.writeFileSync(path.join(views, 'page.ejs'), '<h1>The page of the form</h1><p><%= errors.form %></p><form><%= JSON.stringify(values) %></form>');
    fs.writeFileSync(path.join(views, 'errors', 'error.ejs'), '<h1>Error</h1><p><%= message %></p>');
  });
  afterAll(() => fs.rmSync(views, { recursive: true, force: true }));

  const failing = (error: Error) => {
    const app = express();
    app.set('view engine', 'ejs');
    app.set('views', views);
    app.use(express.urlencoded({ extended: false }));
    app.post('/form', formView('page'), () => {
      throw error;
    });
    app.use(errorHandler(createLogger('silent')));
    return app;
  };
  const send = (error: Error) => request(failing(error)).post('/form').type('form').send({ title: 'Typed title', password: 'hunter2' });
  const typed = '<form>{&#34;title&#34;:&#34;Typed title&#34;}</form>';

  it("shows the page again on a full disk (507), from the disk-full error or SQLite's own, with what was typed", async () => {
    for (const error of [new DiskFullError(), new BetterSqlite3.SqliteError('database or disk is full', 'SQLITE_FULL')]) {
      const res = await send(error);
      expect(res.status).toBe(507);
      expect(res.text).toBe(`<h1>The page of the form</h1><p>${new DiskFullError().message}</p>${typed}`);
    }
  });

  it('shows the page again when another process kept the database locked (503 busy), keeping its Retry-After', async () => {
    const res = await send(new BetterSqlite3.SqliteError('database is locked', 'SQLITE_BUSY'));
    expect([res.status, res.headers['retry-after']]).toEqual([503, '5']);
    expect(res.text).toBe(`<h1>The page of the form</h1><p>The service is busy with another task. Try again in a few seconds.</p>${typed}`);
  });

  it('keeps the error page for a workspace being moved or restored (503): its page cannot be read', async () => {
    const res = await send(new TenantUnavailableError('This workspace is being restored. Try again in a moment.', { retryAfterSeconds: 10 }));
    expect([res.status, res.headers['retry-after']]).toEqual([503, '10']);
    expect(res.text).toBe('<h1>Error</h1><p>This workspace is being restored. Try again in a moment.</p>');
  });
});

describe('the error handler, when the client has gone', () => {
  it('logs no bug when a download is given up before it goes out (the client closed the connection)', async () => {
    const lines: string[] = [];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-download-'));
    fs.writeFileSync(path.join(dir, 'archive.tar.gz'), 'x'.repeat(1000));
    let handled: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (handled = resolve));
    const app = express();
    // As the export does: the archive takes a while to build (here: until the client has gone), then goes out as a download.
    app.post('/export', (req, res, next) => {
      req.socket.once('close', () =>
        res.download(path.join(dir, 'archive.tar.gz'), (error) => {
          if (error && !res.headersSent) next(error);
          handled();
        }),
      );
    });
    app.use(errorHandler(createLogger('info', { write: (line: string) => void lines.push(line) })));
    const server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const socket = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
    socket.write('POST /export HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n', () => socket.destroy());
    await done;
    await new Promise((resolve) => server.close(resolve));
    fs.rmSync(dir, { recursive: true, force: true });
    expect(lines.filter((line) => /"level":(50|60)/.test(line))).toEqual([]);
  });
});

describe('the error handler, when another process kept a database locked past the busy timeout', () => {
  it('answers 503 with Retry-After and says the service is busy, instead of a 500', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-busy-'));
    const holder = new BetterSqlite3(path.join(dir, 'platform.sqlite'));
    const waiter = new BetterSqlite3(path.join(dir, 'platform.sqlite'), { timeout: 0 });
    try {
      holder.exec('create table t (x); begin immediate');
      const app = express();
      app.post('/write', () => {
        waiter.exec('begin immediate');
      });
      app.use(errorHandler(createLogger('silent')));

      const json = await request(app).post('/write').set('Accept', 'application/json');
      expect(json.status).toBe(503);
      expect(json.headers['retry-after']).toBe('5');
      expect(json.body).toEqual({ error: { code: 'busy', message: 'The service is busy with another task. Try again in a few seconds.' } });
    } finally {
      waiter.close();
      holder.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
