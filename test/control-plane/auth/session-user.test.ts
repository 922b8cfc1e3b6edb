import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { makeUser } from '../../support/factories';
import { signIn } from '../../support/http-agent';

/** The signed-in user is read for every request: a change to the account applies to the next one. */
describe('the user of a session', () => {
  let t: TestPlatform;
  beforeEach(async () => {
    t = await createTestPlatform();
  });
  afterEach(() => t.cleanup());

  const storedUserOf = (userId: string) => {
    const row = t.platform.db.connection().prepare('select user_id from sessions where user_id = ?').get(userId) as { user_id: string } | undefined;
    return row?.user_id;
  };

  it('is signed out on the next request once disabled, and the session ends', async () => {
    const user = await makeUser(t.platform);
    const agent = await signIn(createApp(t.platform).app, user.email);
    expect((await agent.get('/tenants')).status).toBe(200);
    t.platform.db.connection().prepare("update users set status = 'disabled' where id = ?").run(user.id);
    const res = await agent.get('/tenants');
    expect(res.status).toBe(302);
    expect(res.headers.location).toMatch(/^\/login/);
    expect(t.platform.db.connection().prepare('select sid from sessions').all()).toEqual([]);
  });

  it('is signed out on the next request once deleted', async () => {
    const user = await makeUser(t.platform);
    const agent = await signIn(createApp(t.platform).app, user.email);
    expect(storedUserOf(user.id)).toBe(user.id);
    t.platform.db.connection().pragma('foreign_keys = OFF');
    t.platform.db.connection().prepare('delete from users where id = ?').run(user.id);
    t.platform.db.connection().pragma('foreign_keys = ON');
    const res = await agent.get('/tenants');
    expect(res.status).toBe(302);
    expect(res.headers.location).toMatch(/^\/login/);
    expect(t.platform.db.connection().prepare('select sid from sessions').all()).toEqual([]);
  });

  it('signs in and out through the request helpers', async () => {
    const user = await makeUser(t.platform);
    const app = createApp(t.platform).app;
    const agent = await signIn(app, user.email);
    expect(storedUserOf(user.id)).toBe(user.id);
    const page = await agent.get('/tenants');
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    expect((await agent.post('/logout').type('form').send({ _csrf: token })).status).toBe(302);
    expect(storedUserOf(user.id)).toBeUndefined();
    expect((await agent.get('/tenants')).status).toBe(302);
  });
});
