import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { csrfFrom, signIn } from '../../support/http-agent';
import { createLogger } from '../../../core/logging/logger';

/** Requests a browser would never send still get a client error, never a 500 or a logged stack. */
describe('hostile requests', () => {
  let t: TestPlatform;
  const lines: string[] = [];

  beforeAll(async () => {
    t = await createTestPlatform({}, { logger: createLogger('info', { write: (line: string) => void lines.push(line) }) });
    const tenant = await makeTenant(t.platform, 'acme');
    const user = await makeUser(t.platform, { email: 'admin@acme.test' });
    await addMember(t.platform, user, tenant, 'admin');
  });
  afterAll(() => t.cleanup());
  beforeEach(() => {
    lines.length = 0;
  });

  const errorLines = () => lines.filter((line) => /"level":(50|60)/.test(line));

  it.each(['/t/%c0%ae/items', '/t/acme/items/%E0%A4%A', '/invitations/%c0%ae%c0%ae', '/t/acme/files/%ff'])(
    'answers 400 to a malformed escape in %s, and logs no error',
    async (path) => {
      const app = createApp(t.platform).app;
      const anonymous = await request(app).get(path);
      expect(anonymous.status).toBe(400);
      const agent = await signIn(app, 'admin@acme.test');
      const signedIn = await agent.get(path);
      expect(signedIn.status).toBe(400);
      expect(signedIn.text).not.toContain('URIError');
      expect(errorLines()).toEqual([]);
    },
  );

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    'shows no notice for %s named as the notice a redirect left, on the account, settings and console pages',
    async (key) => {
      const app = createApp(t.platform).app;
      const admin = await signIn(app, 'admin@acme.test');
      const superAdmin = await makeUser(t.platform, { superAdmin: true });
      const console = await signIn(app, superAdmin.email);
      for (const [agent, path] of [
        [admin, `/account?done=${key}`],
        [admin, `/t/acme/settings?saved=${key}`],
        [console, `/admin/users/${superAdmin.id}?done=${key}`],
        [console, `/admin/plans?done=${key}`],
      ] as const) {
        const res = await agent.get(path);
        expect(res.status).toBe(200);
        expect(res.text).not.toMatch(/native code|\[object Object\]/);
        expect(res.text).not.toContain('class="notice"');
      }
      expect(errorLines()).toEqual([]);
    },
  );

  it.each([
    ['/t/acme/items/', 200],
    ['/T/acme/ITEMS', 200],
    ['/t/acme?', 200],
    ['/t/acme/items?x=%E0%A4%A', 200],
    ['/t/acme/items?status[]=x&status[a]=b', 200],
    ['/t/acme//items', 404],
    ['/t/acme/items//', 404],
    ['/t//items', 404],
    ['/t/%2e%2e/items', 404],
    ['/t/acme/items/%00', 404],
    ['/t/acme/items/1.5', 404],
    ['/t/acme/api/items/99999999999999999999', 404],
    [`/t/acme/${'a'.repeat(5000)}`, 404],
  ])('answers an odd tenant path %s as the route table reads it (%i), never a 500', async (path, status) => {
    const agent = await signIn(createApp(t.platform).app, 'admin@acme.test');
    expect((await agent.get(path as string)).status).toBe(status);
    expect(errorLines()).toEqual([]);
  });

  it.each(['/t/acme/items/import', '/t/acme/items/import/preview', '/t/acme/items/import/commit'])(
    'answers 400 to a cut-off multipart body on %s',
    async (path) => {
      const agent = await signIn(createApp(t.platform).app, 'admin@acme.test');
      const token = await csrfFrom(agent, '/tenants');
      const res = await agent
        .post(`${path}?_csrf=${encodeURIComponent(token)}`)
        .set('Content-Type', 'multipart/form-data; boundary=XYZ')
        .send('--XYZ\r\nContent-Disposition: form-data; name="csv"\r\n\r\nTitle\nA');
      expect(res.status).toBe(400);
      expect(res.text).toContain('could not be read');
      expect(errorLines()).toEqual([]);
    },
  );

  it.each([
    ['a tenant admin', '/t/acme/items', true],
    ['a tenant admin', '/account/name', true],
    ['anyone', '/password/forgot', false],
  ])('re-shows the form, never a stack, when %s sends %s a field nested thousands deep', async (_who, path, signedIn) => {
    const app = createApp(t.platform).app;
    const agent = signedIn ? await signIn(app, 'admin@acme.test') : request.agent(app);
    const token = await csrfFrom(agent, signedIn ? '/tenants' : '/password/forgot');
    const deep = 5000;
    const res = await agent
      .post(path)
      .set('x-csrf-token', token)
      .set('Content-Type', 'application/json')
      .send(`{"title":${'['.repeat(deep)}${']'.repeat(deep)},"name":{"a":1},"email":${'['.repeat(deep)}${']'.repeat(deep)}}`);
    expect(res.status).toBe(400);
    expect(res.text).toContain('<form');
    expect(res.text).not.toMatch(/RangeError|\.ejs|\[object Object\]/);
    expect(errorLines()).toEqual([]);
  });
});
