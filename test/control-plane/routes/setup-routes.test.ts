import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { SetupToken } from '../../../control-plane/setup/setup-token';
import { csrfFrom } from '../../support/http-agent';

describe('first-run set-up', () => {
  let t: TestPlatform;
  let token: SetupToken;
  beforeEach(async () => {
    t = await createTestPlatform();
    token = new SetupToken();
  });
  afterEach(() => t.cleanup());

  const form = { name: 'Ada Admin', email: 'ada@example.com', password: 'a long enough password' };

  it('shows the form again past the limit, with the reason, the 429 and what was typed but the password, whatever the key, and creates nobody', async () => {
    const { app } = createApp(t.platform, { setupToken: token, tokenEndpointLimit: 1 });
    const agent = request.agent(app);
    const csrf = await csrfFrom(agent, `/setup?key=${token.value}`);
    for (const key of [token.value, 'a guess']) {
      const res = await agent
        .post('/setup')
        .type('form')
        .send({ ...form, key, _csrf: csrf });
      expect([res.status, res.headers['retry-after']]).toEqual([429, expect.stringMatching(/^\d+$/)]);
      expect(res.text).toContain('<h1>Create the first super admin</h1>');
      expect(res.text).toContain('Too many attempts. Try again in 15 minutes.');
      expect(res.text).toContain('value="ada@example.com"');
      expect(res.text).not.toContain(form.password);
    }
    expect(t.platform.users.count()).toBe(0);
  });

  it('explains where the set-up link is when nobody exists yet', async () => {
    const res = await request(createApp(t.platform, { setupToken: token }).app).get('/');
    expect(res.status).toBe(200);
    expect(res.text).toContain('/setup?key=');
    expect(res.text).not.toContain(token.value);
  });

  it('creates the first super admin once, signs them in, then answers 404', async () => {
    const { app } = createApp(t.platform, { setupToken: token });
    const agent = request.agent(app);
    const csrf = await csrfFrom(agent, `/setup?key=${token.value}`);
    const res = await agent
      .post('/setup')
      .type('form')
      .send({ ...form, key: token.value, _csrf: csrf });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/admin/tenants');
    const user = t.platform.users.findByEmail('ada@example.com');
    expect(user?.is_super_admin).toBe(1);
    expect(user?.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect((await agent.get('/admin/tenants')).status).toBe(200);

    expect((await agent.get(`/setup?key=${token.value}`)).status).toBe(404);
    const fresh = await csrfFrom(agent, '/tenants');
    const second = await agent
      .post('/setup')
      .type('form')
      .send({ ...form, email: 'eve@example.com', key: token.value, _csrf: fresh });
    expect(second.status).toBe(404);
    expect(t.platform.users.count()).toBe(1);
  });

  it('answers 404 without the right key', async () => {
    const { app } = createApp(t.platform, { setupToken: token });
    expect((await request(app).get('/setup')).status).toBe(404);
    expect((await request(app).get('/setup?key=wrong')).status).toBe(404);
  });

  it('refuses a short password with a 400 naming the field, and creates nobody', async () => {
    const { app } = createApp(t.platform, { setupToken: token });
    const agent = request.agent(app);
    const csrf = await csrfFrom(agent, `/setup?key=${token.value}`);
    const res = await agent
      .post('/setup')
      .type('form')
      .send({ ...form, password: 'short', key: token.value, _csrf: csrf });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Password must be at least 12 characters');
    expect(res.text).toContain('value="ada@example.com"');
    expect(t.platform.users.count()).toBe(0);
  });

  it.each([
    ['two addresses', 'eve@example.com'],
    ['one address', 'ada@example.com'],
  ])('creates exactly one super admin when two set-ups are sent at once (%s), and refuses the other with a 4xx', async (_case, secondEmail) => {
    const { app } = createApp(t.platform, { setupToken: token });
    const first = request.agent(app);
    const second = request.agent(app);
    const tokens = [await csrfFrom(first, `/setup?key=${token.value}`), await csrfFrom(second, `/setup?key=${token.value}`)];
    const answers = await Promise.all([
      first
        .post('/setup')
        .type('form')
        .send({ ...form, key: token.value, _csrf: tokens[0] }),
      second
        .post('/setup')
        .type('form')
        .send({ ...form, email: secondEmail, key: token.value, _csrf: tokens[1] }),
    ]);
    // The later one finds set-up closed, as a used link does.
    expect(answers.map((r) => r.status).sort()).toEqual([302, 404]);
    expect(t.platform.users.count()).toBe(1);
  });
});
