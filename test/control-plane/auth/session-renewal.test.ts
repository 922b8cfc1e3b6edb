import request from 'supertest';
import type { Express } from 'express';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { SESSION_MAX_AGE_MS, SESSION_RENEW_INTERVAL_MS } from '../../../control-plane/auth/session-renewal';
import { makeUser } from '../../support/factories';
import { signIn, type Agent } from '../../support/http-agent';

function sessionCookie(res: request.Response): string | undefined {
  return ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('tenantry.sid='));
}

function expiresOf(cookie: string): number {
  const match = /Expires=([^;]+)/i.exec(cookie);
  if (!match) throw new Error(`no Expires in ${cookie}`);
  return Date.parse(match[1]);
}

/** Sliding expiry: a session used within 7 days lives on; its cookie is re-sent once a minute at most. */
describe('session renewal', () => {
  let t: TestPlatform;
  let app: Express;
  let agent: Agent;
  let userId: string;
  let now: number;
  beforeEach(async () => {
    t = await createTestPlatform();
    const user = await makeUser(t.platform);
    userId = user.id;
    app = createApp(t.platform).app;
    agent = await signIn(app, user.email);
    now = Date.now();
    jest.spyOn(Date, 'now').mockImplementation(() => now);
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await t.cleanup();
  });

  const storedExpiry = () =>
    (t.platform.db.connection().prepare('select expires_at from sessions where user_id = ?').get(userId) as { expires_at: number }).expires_at;

  it('does not re-send the session cookie on every response', async () => {
    // The first request after sign-in renews once; the ones within the interval send nothing.
    await agent.get('/tenants');
    now += SESSION_RENEW_INTERVAL_MS / 2;
    const res = await agent.get('/tenants');
    expect(res.status).toBe(200);
    expect(sessionCookie(res)).toBeUndefined();
  });

  it('moves the cookie and the stored expiry to max age from now once the interval has passed', async () => {
    await agent.get('/tenants');
    now += SESSION_RENEW_INTERVAL_MS + 1000;
    const res = await agent.get('/tenants');
    const cookie = sessionCookie(res);
    expect(cookie).toBeDefined();
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    // Expires has a one-second resolution.
    expect(Math.abs(expiresOf(cookie ?? '') - (now + SESSION_MAX_AGE_MS))).toBeLessThan(1000);
    expect(storedExpiry()).toBe(now + SESSION_MAX_AGE_MS);
  });

  it('keeps a session in use alive past the max age, and ends one left unused for it', async () => {
    // Used every day for ten days: still signed in.
    for (let day = 0; day < 10; day++) {
      now += 24 * 3600 * 1000;
      const res = await agent.get('/tenants');
      expect(res.status).toBe(200);
    }
    // Then left alone for the max age: the stored session has expired, whatever the client sends.
    const cookie = agent.jar.getCookies({ domain: '127.0.0.1', path: '/', secure: false, script: false }).toValueString();
    expect(cookie).toContain('tenantry.sid=');
    now += SESSION_MAX_AGE_MS;
    const res = await request(app).get('/tenants').set('Cookie', cookie);
    expect(res.status).toBe(302);
    expect(res.headers.location).toMatch(/^\/login/);
  });

  it('creates no session for a signed-out visitor', async () => {
    const res = await request(createApp(t.platform).app).get('/t/acme/api/items/1');
    expect(res.status).toBe(401);
    expect(sessionCookie(res)).toBeUndefined();
  });
});
