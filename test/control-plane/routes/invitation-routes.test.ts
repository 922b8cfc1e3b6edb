import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { makeTenant, makeUser } from '../../support/factories';
import { signIn, type Agent } from '../../support/http-agent';
import { auditOf, invite, invitationRow, linkPath, roleKeyOf, setRole } from '../../support/team';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import type { UserRecord } from '../../../control-plane/users/user-record';

type App = ReturnType<typeof createApp>['app'];

/** Opens the link and posts its form, the way a browser would. */
async function accept(agent: Agent, path: string, body: Record<string, string> = {}) {
  const tokenOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  // A dead link's page holds no form: a token from the sign-in page of the same session does.
  const csrf = tokenOf((await agent.get(path)).text) ?? tokenOf((await agent.get('/login')).text) ?? '';
  return agent
    .post(path)
    .type('form')
    .send({ ...body, _csrf: csrf });
}

describe('accepting an invitation', () => {
  let t: TestPlatform;
  let app: App;
  let acme: TenantRecord;
  let other: TenantRecord;
  let olga: UserRecord; // owner of another tenant, invited to acme
  let olgaAgent: Agent;
  let stranger: Agent; // signed in with an address nobody invited

  const userCount = () => t.platform.users.count();
  const memberCount = () => t.platform.memberships.listMembers(acme.id).length;

  beforeAll(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform, { tokenEndpointLimit: 1000 }).app;
    acme = await makeTenant(t.platform, 'acme', 'Acme');
    other = await makeTenant(t.platform, 'other');
    olga = await makeUser(t.platform, { email: 'olga@example.com' });
    await setRole(t.platform, olga, other, 'owner');
    const strangerUser = await makeUser(t.platform, { email: 'stranger@example.com' });
    olgaAgent = await signIn(app, olga.email);
    stranger = await signIn(app, strangerUser.email);
  });
  afterAll(() => t.cleanup());

  it('lets exactly one of two simultaneous acceptances by a new person win; the other is told the link was used', async () => {
    const created = invite(t.platform, acme, 'twice@example.com', 'viewer');
    const first = request.agent(app);
    const second = request.agent(app);
    const csrf = async (agent: Agent) => /name="_csrf" value="([^"]+)"/.exec((await agent.get(linkPath(created.url))).text)?.[1] ?? '';
    const [tokenA, tokenB] = [await csrf(first), await csrf(second)];
    const post = (agent: Agent, token: string, password: string) =>
      agent.post(linkPath(created.url)).type('form').send({ name: 'Twice', password, _csrf: token });
    const responses = await Promise.all([post(first, tokenA, 'first long password'), post(second, tokenB, 'second long password')]);
    expect(responses.map((r) => r.status).sort()).toEqual([302, 410]);
    expect(t.platform.db.all("select id from users where email = 'twice@example.com'")).toHaveLength(1);
    expect(auditOf(t.platform, 'invitation.accept').filter((a) => a.target_id === created.id)).toHaveLength(1);
  });

  it('lets a new person choose a name and password, then join with the invited role', async () => {
    const created = invite(t.platform, acme, 'newbie@example.com', 'editor');
    const agent = request.agent(app);
    const page = await agent.get(linkPath(created.url));
    expect(page.status).toBe(200);
    expect(page.text).toContain('newbie@example.com');
    expect(page.text).toContain('Choose a password');
    const res = await accept(agent, linkPath(created.url), { name: 'New Bie', password: 'a long enough password' });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/t/acme');
    const user = t.platform.users.findByEmail('newbie@example.com');
    expect(user?.name).toBe('New Bie');
    expect(roleKeyOf(t.platform, user as UserRecord, acme)).toBe('editor');
    expect((await agent.get('/t/acme/items/new')).status).toBe(200);
    expect(invitationRow(t.platform, created.id)?.state).toBe('accepted');
    const entry = auditOf(t.platform, 'invitation.accept').find((a) => a.target_id === created.id);
    expect(entry).toMatchObject({ tenant_id: acme.id, actor_user_id: user?.id, ip: expect.any(String) });
    expect(JSON.parse(entry?.after ?? '{}')).toMatchObject({ state: 'accepted' });
  });

  it('lets a signed-in user whose email matches join, keeping their other tenants', async () => {
    const created = invite(t.platform, acme, 'OLGA@example.com', 'viewer');
    const page = await olgaAgent.get(linkPath(created.url));
    expect(page.text).toContain('Join Acme</button>');
    const res = await accept(olgaAgent, linkPath(created.url));
    expect(res.status).toBe(302);
    expect(roleKeyOf(t.platform, olga, acme)).toBe('viewer');
    expect(roleKeyOf(t.platform, olga, other)).toBe('owner');
    expect((await olgaAgent.get('/t/acme')).status).toBe(200);
  });

  it('refuses a replayed link with a clear page and changes nothing', async () => {
    const created = invite(t.platform, acme, 'once@example.com');
    await accept(request.agent(app), linkPath(created.url), { name: 'Once', password: 'a long enough password' });
    const [users, members] = [userCount(), memberCount()];
    for (const agent of [request.agent(app), olgaAgent]) {
      const res = await accept(agent, linkPath(created.url), { name: 'Twice', password: 'a long enough password' });
      expect(res.status).toBe(410);
      expect(res.text).toContain('already been used');
    }
    expect([userCount(), memberCount()]).toEqual([users, members]);
  });

  it('refuses an expired link with a clear page and changes nothing', async () => {
    const created = invite(t.platform, acme, 'late@example.com');
    t.platform.db
      .connection()
      .prepare('update invitations set expires_at = ? where id = ?')
      .run(Date.now() - 1, created.id);
    const users = userCount();
    const page = await request(app).get(linkPath(created.url));
    expect(page.status).toBe(410);
    expect(page.text).toContain('has expired');
    const res = await accept(request.agent(app), linkPath(created.url), { name: 'Late', password: 'a long enough password' });
    expect(res.status).toBe(410);
    expect(userCount()).toBe(users);
    expect(invitationRow(t.platform, created.id)?.state).toBe('pending');
  });

  it('refuses a revoked link with a clear page and changes nothing', async () => {
    const created = invite(t.platform, acme, 'olga@example.com');
    t.platform.db.connection().prepare("update invitations set state = 'revoked' where id = ?").run(created.id);
    const res = await accept(olgaAgent, linkPath(created.url));
    expect(res.status).toBe(410);
    expect(res.text).toContain('withdrawn');
    expect(invitationRow(t.platform, created.id)?.state).toBe('revoked');
  });

  it('refuses a signed-in user with another email: explains on the page, and the post changes nothing', async () => {
    const created = invite(t.platform, acme, 'someone-else@example.com');
    const page = await stranger.get(linkPath(created.url));
    expect(page.status).toBe(200);
    expect(page.text).toContain('You are signed in as stranger@example.com');
    expect(page.text).not.toContain('Join Acme</button>');
    const members = memberCount();
    const res = await accept(stranger, linkPath(created.url));
    expect(res.status).toBe(410);
    expect(res.text).toContain('sent to another email address');
    expect(memberCount()).toBe(members);
    expect(invitationRow(t.platform, created.id)?.state).toBe('pending');
  });

  it('asks an existing user who is signed out to sign in, creating nothing', async () => {
    const created = invite(t.platform, acme, 'stranger@example.com');
    const page = await request(app).get(linkPath(created.url));
    expect(page.text).toContain('Sign in to accept.');
    const users = userCount();
    const res = await accept(request.agent(app), linkPath(created.url), { name: 'Impostor', password: 'a long enough password' });
    expect(res.status).toBe(409);
    expect(userCount()).toBe(users);
    expect(invitationRow(t.platform, created.id)?.state).toBe('pending');
  });

  it("answers a new person's bad name or password with a 400 naming the field, creating nothing", async () => {
    const created = invite(t.platform, acme, 'typo@example.com');
    const users = userCount();
    const res = await accept(request.agent(app), linkPath(created.url), { name: '', password: 'short' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('<strong>Your name</strong>');
    expect(res.text).toContain('<strong>Choose a password</strong>');
    expect(userCount()).toBe(users);
    expect(invitationRow(t.platform, created.id)?.state).toBe('pending');
  });

  it('never lowers the role of someone who became a member meanwhile', async () => {
    const boss = await makeUser(t.platform, { email: 'boss@example.com' });
    const created = invite(t.platform, acme, boss.email, 'viewer');
    await setRole(t.platform, boss, acme, 'owner');
    const res = await accept(await signIn(app, boss.email), linkPath(created.url));
    expect(res.status).toBe(302);
    expect(roleKeyOf(t.platform, boss, acme)).toBe('owner');
    expect(invitationRow(t.platform, created.id)?.state).toBe('accepted');
  });

  it('answers 404 for a malformed or unknown token', async () => {
    expect((await request(app).get('/invitations/nope')).status).toBe(404);
    expect((await request(app).get(`/invitations/${'A'.repeat(43)}`)).status).toBe(404);
  });

  it('rate-limits the link endpoints per client address', async () => {
    const limited = createApp(t.platform, { tokenEndpointLimit: 2 }).app;
    const created = invite(t.platform, acme, 'limit@example.com');
    expect((await request(limited).get(linkPath(created.url))).status).toBe(200);
    expect((await request(limited).get(linkPath(created.url))).status).toBe(200);
    expect((await request(limited).get(linkPath(created.url))).status).toBe(429);
  });

  it("shows the link's form again past the limit, the name typed kept and the password not, alike for a valid link and a guess, and changes nothing", async () => {
    const limited = createApp(t.platform, { tokenEndpointLimit: 1 }).app;
    const created = invite(t.platform, acme, 'late@example.com');
    const browser = request.agent(limited);
    expect((await browser.get(linkPath(created.url))).status).toBe(200);
    const before = [userCount(), memberCount(), invitationRow(t.platform, created.id)];
    const answers = [];
    for (const target of [linkPath(created.url), `/invitations/${'A'.repeat(43)}`]) {
      const res = await accept(browser, target, { name: 'Late Comer', password: 'a long enough password' });
      expect([res.status, res.headers['retry-after']]).toEqual([429, expect.stringMatching(/^\d+$/)]);
      expect(res.text).toContain('<h1>Accept the invitation</h1>');
      expect(res.text).toContain('Too many attempts. Try again in 15 minutes.');
      expect(res.text).toContain('value="Late Comer"');
      expect(res.text).not.toContain('a long enough password');
      expect(res.text).not.toContain(acme.name);
      answers.push(res.text.replace(target, 'LINK').replace(/name="_csrf" value="[^"]*"/g, ''));
    }
    expect(answers[0]).toBe(answers[1]);
    expect([userCount(), memberCount(), invitationRow(t.platform, created.id)]).toEqual(before);
  });
});
