import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import express from 'express';
import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createLogger } from '../../../core/logging/logger';
import { loggablePath, requestLog } from '../../../core/http/request-log';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser, TEST_PASSWORD } from '../../support/factories';
import { signIn } from '../../support/http-agent';
import { invite, linkPath } from '../../support/team';

describe('request logs', () => {
  let t: TestPlatform;
  const lines: Array<Record<string, unknown>> = [];
  const raw: string[] = [];
  beforeEach(async () => {
    lines.length = 0;
    raw.length = 0;
    const sink = new Writable({
      write(chunk, _enc, done) {
        raw.push(String(chunk));
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    t = await createTestPlatform({}, { logger: createLogger('info', sink) });
  });
  afterEach(() => t.cleanup());

  it('carry the request id, user id and tenant id, and no password or cookie', async () => {
    const tenant = await makeTenant(t.platform, 'acme');
    const user = await makeUser(t.platform);
    await addMember(t.platform, user, tenant);
    const agent = await signIn(createApp(t.platform).app, user.email);
    const res = await agent.get('/t/acme');
    expect(res.status).toBe(200);
    const entry = lines.find((l) => (l.req as { url?: string } | undefined)?.url === '/t/acme');
    expect(entry).toMatchObject({ userId: user.id, tenantId: tenant.id, req: { id: res.headers['x-request-id'] } });
    const all = raw.join('');
    expect(all).not.toContain(TEST_PASSWORD);
    expect(all).not.toContain('tenantry.sid=');
  });

  it('write one line per request once it is answered, without the query string', async () => {
    const res = await request(createApp(t.platform).app).get('/login?next=%2Ft%2Facme&token=secret-value');
    expect(res.status).toBe(200);
    const entries = lines.filter((l) => (l.req as { id?: string } | undefined)?.id === res.headers['x-request-id']);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ level: 30, msg: 'request completed', req: { method: 'GET', url: '/login' }, res: { statusCode: 200 } });
    expect(typeof entries[0].responseTime).toBe('number');
    expect(raw.join('')).not.toContain('secret-value');
  });

  it('never show an invitation link token, even with one of its characters sent percent-encoded (the link still works)', async () => {
    const tenant = await makeTenant(t.platform, 'acme');
    // A token with a - or _ well inside it: sent as %2D or %5F, it splits into two runs shorter than a token.
    const tokenOf = (i: number) =>
      linkPath(invite(t.platform, tenant, `new${i}@acme.test`).url)
        .split('/')
        .pop() ?? '';
    let token = tokenOf(0);
    for (let i = 1; !/^[^-_]{12,35}[-_]/.test(token); i++) token = tokenOf(i);
    const encoded = token.replace(/[-_]/, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    const res = await request(createApp(t.platform).app).get(`/invitations/${encoded}`);
    expect(res.status).toBe(200);
    expect(lines.find((l) => (l.req as { id?: string } | undefined)?.id === res.headers['x-request-id'])).toMatchObject({
      req: { url: '/invitations/[token]' },
    });
    expect(raw.join('')).not.toContain(encoded.slice(0, 12));
  });

  it('give static files a request id but no line', async () => {
    const res = await request(createApp(t.platform).app).get('/static/style.css');
    expect(res.status).toBe(200);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines.filter((l) => String((l.req as { url?: string } | undefined)?.url).startsWith('/static/'))).toEqual([]);
  });
});

describe('request ids', () => {
  it('are sent even when access lines are not written', async () => {
    const t = await createTestPlatform();
    try {
      const app = createApp(t.platform).app;
      const [a, b] = await Promise.all([request(app).get('/login'), request(app).get('/login')]);
      expect(a.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
    } finally {
      await t.cleanup();
    }
  });
});

describe('the access line of a request the client gave up on', () => {
  it('says it was aborted, once, and tells the metrics nothing; a finished one is told once', async () => {
    const written: Array<Record<string, unknown>> = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        written.push(JSON.parse(String(chunk)));
        done();
      },
    });
    const observed: string[] = [];
    const app = express();
    app.use(requestLog(createLogger('info', sink), (req) => observed.push(req.originalUrl)));
    let arrived!: () => void;
    const slowArrived = new Promise<void>((resolve) => (arrived = resolve));
    app.get('/slow', () => arrived()); // never answers
    app.get('/quick', (_req, res) => void res.send('ok'));
    const server = http.createServer(app).listen(0);
    try {
      const { port } = server.address() as AddressInfo;
      await new Promise<void>((resolve) => {
        const req = http.get({ port, path: '/slow' });
        req.on('error', () => resolve());
        // Given up on once the server has it (not before it even arrived).
        void slowArrived.then(() => req.destroy());
      });
      for (let i = 0; i < 200 && written.length < 1; i++) await new Promise((r) => setTimeout(r, 10));
      await request(app).get('/quick').expect(200);
      for (let i = 0; i < 200 && written.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
      expect(written.map((l) => [(l.req as { url: string }).url, l.msg])).toEqual([
        ['/slow', 'request aborted'],
        ['/quick', 'request completed'],
      ]);
      expect(observed).toEqual(['/quick']);
    } finally {
      server.close();
    }
  });

  describe('the path they show', () => {
    const token = 'wsjTRjAdwG7NWg1ylZKMi_xRdDrdojzexwJ549xV7c0';

    it.each([
      [`/invitations/${token}`, '/invitations/[token]'],
      [`/invitations/${token}/accept`, '/invitations/[token]/accept'],
      [`/invitations/${token}a`, '/invitations/[token]'],
      [`/invitations/${token}.`, '/invitations/[token]'],
      [`/invitations/(${token})`, '/invitations/[token]'],
      [`/invitations/${token}%2f..`, '/invitations/[token]'],
      [`/password/reset/${token.slice(0, 41)}`, '/password/reset/[token]'],
      [`/password/reset/${token}?next=/x`, '/password/reset/[token]'],
      [`/invitations/${token.replace('_', '%5F')}`, '/invitations/[token]'],
      [`/password/reset/${token.replace('_', '%5f').replace('W', '%57')}/`, '/password/reset/[token]/'],
    ])('masks the whole segment that holds a link token: %s', (url, shown) => {
      expect(loggablePath(url)).toBe(shown);
    });

    it('leaves paths without a token as they are, the longest tenant slug included', () => {
      const slug = `a${'-b'.repeat(19)}c`;
      expect(slug).toHaveLength(40);
      expect(loggablePath(`/t/${slug}/items/12`)).toBe(`/t/${slug}/items/12`);
      expect(loggablePath('/t/acme/api/items/t0123456789abcdef01234567')).toBe('/t/acme/api/items/t0123456789abcdef01234567');
    });
  });
});
