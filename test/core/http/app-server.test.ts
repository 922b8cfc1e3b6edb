import http from 'node:http';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { AddressInfo } from 'node:net';
import express from 'express';
import request from 'supertest';
import { serveWithAppPrototypes } from '../../../core/http/app-server';
import { createApp } from '../../../app/create-app';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { addMember, makeTenant, makeUser, TEST_PASSWORD } from '../../support/factories';
import { postForm } from '../../support/http-agent';

function listening(app: express.Express): Promise<http.Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(0, '127.0.0.1', (error?: Error) => (error ? reject(error) : resolve(server)));
  });
}

describe("the app's own server", () => {
  it("makes each request and response with the app's prototypes before express sees them", async () => {
    const app = express();
    serveWithAppPrototypes(app);
    app.get('/', (_req, res) => void res.send('ok'));
    const server = await listening(app);
    const arrived: boolean[] = [];
    server.prependListener('request', (req, res) => arrived.push(Object.getPrototypeOf(req) === app.request, Object.getPrototypeOf(res) === app.response));
    try {
      await request(server).get('/').expect(200, 'ok');
      expect(arrived).toEqual([true, true]);
      // Still what node's server gives: the stream and message classes are below them.
      server.prependListener('request', (req, res) => arrived.push(req instanceof http.IncomingMessage, res instanceof http.ServerResponse));
      await request(server).get('/').expect(200);
      expect(arrived.slice(2)).toEqual([true, true, true, true]);
    } finally {
      server.close();
    }
  });

  it('keeps the requests and responses it makes as fast objects to the end of each request, through the whole app', async () => {
    // V8 answers property accesses on an object it made a dictionary with hash look-ups: a
    // response made by a constructor of its own that calls node's on `this` became one (every
    // access on it, express's and node's own, cost several times more).
    const child = path.join(__dirname, '../../support/children/object-shapes.ts');
    const { stdout } = await promisify(execFile)(process.execPath, ['--allow-natives-syntax', '--require', require.resolve('tsx/cjs'), child], {
      env: { ...process.env, LOG_LEVEL: 'silent' },
    });
    const { app, ownConstructor } = JSON.parse(stdout) as {
      app: Array<{ path: string; status: number; request: boolean; response: boolean }>;
      ownConstructor: boolean;
    };
    expect(app.map((s) => `${s.path} ${s.status}`)).toEqual([
      '/login 200',
      '/login 302',
      ...Array.from({ length: 3 }, () => ['/t/acme 200', '/t/acme/api/items/1 404']).flat(),
    ]);
    expect(app.filter((s) => !s.request || !s.response)).toEqual([]);
    // The check tells a dictionary from a fast object: the response made that other way is one.
    expect(ownConstructor).toBe(false);
  }, 60_000);

  it('tells the listen callback of an error, once, as express does', async () => {
    const taken = await listening(express());
    const app = express();
    serveWithAppPrototypes(app);
    const { port } = taken.address() as AddressInfo;
    try {
      const told: unknown[] = [];
      await new Promise<void>((resolve) => {
        app.listen(port, '127.0.0.1', (error?: Error) => {
          told.push(error);
          resolve();
        });
      });
      expect(told).toHaveLength(1);
      expect((told[0] as NodeJS.ErrnoException).code).toBe('EADDRINUSE');
    } finally {
      taken.close();
    }
  });

  describe('serving the whole app', () => {
    let t: TestPlatform;
    let server: http.Server;
    beforeAll(async () => {
      t = await createTestPlatform();
      const tenant = await makeTenant(t.platform, 'acme');
      await makeTenant(t.platform, 'other');
      const user = await makeUser(t.platform, { email: 'member@example.com' });
      await addMember(t.platform, user, tenant);
      server = await listening(createApp(t.platform).app);
    });
    afterAll(async () => {
      server.close();
      await t.cleanup();
    });

    it('signs a member in, serves their pages, JSON and files, and refuses another tenant and a forged form', async () => {
      const agent = request.agent(server);
      expect((await postForm(agent, '/login', { email: 'member@example.com', password: TEST_PASSWORD }, '/login')).status).toBe(302);
      const page = await agent.get('/t/acme').expect(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      expect(page.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      await agent.head('/t/acme').expect(200);
      const missing = await agent.get('/t/acme/api/items/999999').expect(404);
      expect(missing.headers['content-type']).toMatch(/json/);
      await agent.get('/t/other').expect(404);
      await agent.get('/static/style.css').expect(200);
      await agent.get('/no-such-page').expect(404);
      await agent.post('/t/acme/items').type('form').send({ title: 'No token' }).expect(403);
      const created = await postForm(agent, '/t/acme/items', { title: 'Made through the app server', body: '' }, '/t/acme/items/new');
      expect(created.status).toBe(303);
      expect((await agent.get('/t/acme/items').expect(200)).text).toContain('Made through the app server');
    });
  });
});
