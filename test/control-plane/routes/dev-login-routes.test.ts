import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { makeUser } from '../../support/factories';
import { csrfFrom } from '../../support/http-agent';
import { auditOf } from '../../support/team';
import { createDemo } from '../../../control-plane/demo/create-demo';
import { seedDemoContent } from '../../../workspace/demo/demo-content';
import { sessionCount } from '../../support/accounts';

describe('developer sign-in', () => {
  let t: TestPlatform;
  afterEach(() => t.cleanup());

  const demoUsers = () =>
    t.platform.db
      .connection()
      .prepare("select u.id, u.email from demo_fixtures f join users u on u.id = f.id where f.kind = 'user' order by u.email")
      .all() as Array<{
      id: string;
      email: string;
    }>;

  async function clickAs(app: ReturnType<typeof createApp>['app'], userId: string) {
    const browser = request.agent(app);
    const _csrf = await csrfFrom(browser, '/login');
    const res = await browser.post('/dev-login').type('form').send({ user: userId, _csrf });
    return { browser, res };
  }

  describe('with DEV_LOGIN=1 on a loopback HOST', () => {
    let app: ReturnType<typeof createApp>['app'];
    beforeEach(async () => {
      t = await createTestPlatform({ DEV_LOGIN: '1', HOST: '127.0.0.1' });
      await createDemo(t.platform, seedDemoContent, { slug: 'demo', reset: false });
      app = createApp(t.platform).app;
    });

    it('offers each demo user on the sign-in page, as forms that POST', async () => {
      const page = await request(app).get('/login');
      expect(page.text).toContain('Developer sign-in');
      for (const name of ['Olivia Owner', 'Adam Admin', 'April Approver', 'Eddie Editor', 'Vera Viewer']) expect(page.text).toContain(name);
      expect(page.text.match(/<form method="post" action="\/dev-login">/g)).toHaveLength(5);
    });

    it('signs in as the demo user with one click (a POST with the CSRF token), recorded as a dev-login', async () => {
      const viewer = demoUsers().find((u) => u.email.startsWith('viewer@')) as { id: string };
      const { browser, res } = await clickAs(app, viewer.id);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/t/demo');
      const home = await browser.get('/t/demo');
      expect(home.status).toBe(200);
      expect(home.text).toContain('Your role: Viewer');
      expect(sessionCount(t.platform, viewer.id)).toBe(1);
      expect(JSON.parse(auditOf(t.platform, 'auth.login')[0].after ?? '{}')).toEqual({ via: 'dev-login' });
    });

    it('never signs in with a GET', async () => {
      const [someone] = demoUsers();
      const res = await request(app).get(`/dev-login?user=${someone.id}`);
      expect(res.status).toBe(404);
      expect(sessionCount(t.platform, someone.id)).toBe(0);
    });

    it('refuses a POST without the CSRF token', async () => {
      const [someone] = demoUsers();
      const res = await request(app).post('/dev-login').type('form').send({ user: someone.id });
      expect(res.status).toBe(403);
      expect(sessionCount(t.platform, someone.id)).toBe(0);
    });

    it('refuses a real account, a super admin and a malformed id: 404 or 400, nobody signed in', async () => {
      const real = await makeUser(t.platform, { email: 'real@client.test' });
      const root = await makeUser(t.platform, { email: 'root@example.com', superAdmin: true });
      expect((await clickAs(app, real.id)).res.status).toBe(404);
      expect((await clickAs(app, root.id)).res.status).toBe(404);
      expect((await clickAs(app, '../u1')).res.status).toBe(400);
      expect(sessionCount(t.platform, real.id) + sessionCount(t.platform, root.id)).toBe(0);
      expect(auditOf(t.platform, 'auth.login')).toEqual([]);
    });

    it('stops offering a demo user who was disabled', async () => {
      const [someone] = demoUsers();
      t.platform.users.setStatus(someone.id, 'disabled');
      expect((await request(app).get('/login')).text).not.toContain(someone.email);
      expect((await clickAs(app, someone.id)).res.status).toBe(404);
    });
  });

  describe('without DEV_LOGIN', () => {
    it('shows no developer sign-in and answers 404 to the POST, even for a demo user', async () => {
      t = await createTestPlatform();
      await createDemo(t.platform, seedDemoContent, { slug: 'demo', reset: false });
      const app = createApp(t.platform).app;
      expect((await request(app).get('/login')).text).not.toContain('Developer sign-in');
      const [someone] = demoUsers();
      expect((await clickAs(app, someone.id)).res.status).toBe(404);
      expect(sessionCount(t.platform, someone.id)).toBe(0);
    });
  });
});
