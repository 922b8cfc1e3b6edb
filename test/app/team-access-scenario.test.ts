import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../support/test-platform';
import { createApp } from '../../app/create-app';
import { makeTenant, makeUser } from '../support/factories';
import { postForm, signIn, type Agent } from '../support/http-agent';
import { membershipOf, roleId, setRole } from '../support/team';
import { outboxDir } from '../../core/mail/mailer';

/** The "done when": two invitations through the outbox, a custom role inheriting from editor, each member sees what the role allows. */
describe('a tenant owner building a team', () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await createTestPlatform();
  });
  afterAll(() => t.cleanup());

  async function accept(agent: Agent, link: string, body: Record<string, string> = {}) {
    const page = await agent.get(new URL(link).pathname);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    return agent
      .post(new URL(link).pathname)
      .type('form')
      .send({ ...body, _csrf: csrf });
  }

  it('invites a new and an existing user by mail, both join, and each role sees exactly what it allows', async () => {
    const { app } = createApp(t.platform);
    const acme = await makeTenant(t.platform, 'acme', 'Acme');
    const other = await makeTenant(t.platform, 'other');
    const alice = await makeUser(t.platform, { email: 'alice@example.com' });
    const olga = await makeUser(t.platform, { email: 'olga@example.com' });
    await setRole(t.platform, alice, acme, 'owner');
    await setRole(t.platform, olga, other, 'owner');
    const owner = await signIn(app, alice.email);

    const sent = await postForm(owner, '/t/acme/invitations', {
      emails: 'newbie@example.com\nolga@example.com',
      role_id: String(roleId(t.platform, 'viewer')),
    });
    expect(sent.status).toBe(303);
    // The links are read from the outbox, as a self-hoster without SMTP would.
    const mails = fs.readdirSync(outboxDir(t.dataDir)).map((f) => fs.readFileSync(path.join(outboxDir(t.dataDir), f), 'utf8').replace(/=\n/g, ''));
    const linkFor = (email: string) =>
      /http:\/\/localhost:3000\/invitations\/[A-Za-z0-9_-]{43}/.exec(mails.find((m) => m.includes(`To: ${email}`)) ?? '')?.[0] ?? '';

    const newbie = request.agent(app);
    expect((await accept(newbie, linkFor('newbie@example.com'), { name: 'Newbie', password: 'a long enough password' })).status).toBe(302);
    const olgaAgent = await signIn(app, olga.email);
    expect((await accept(olgaAgent, linkFor('olga@example.com'))).status).toBe(302);

    expect(
      (await postForm(owner, '/t/acme/roles', { name: 'Senior editor', parent_role_id: String(roleId(t.platform, 'editor')), permissions: 'team.invite' }))
        .status,
    ).toBe(303);
    const senior = t.platform.roles.listForTenant(acme.id).find((r) => r.name === 'Senior editor');
    const newbieUser = t.platform.users.findByEmail('newbie@example.com');
    const member = membershipOf(t.platform, newbieUser!, acme);
    expect((await postForm(owner, `/t/acme/members/${member.membership_id}/role`, { role_id: String(senior?.id) })).status).toBe(303);

    const can = async (agent: Agent, paths: string[]) => Promise.all(paths.map(async (p) => (await agent.get(`/t/acme${p}`)).status));
    const pages = ['/items', '/items/new', '/members', '/invitations', '/roles'];
    expect(await can(newbie, pages)).toEqual([200, 200, 200, 200, 403]);
    expect(await can(olgaAgent, pages)).toEqual([200, 403, 200, 403, 403]);
    expect(await can(owner, pages)).toEqual([200, 200, 200, 200, 200]);

    const actions = (
      t.platform.db.connection().prepare('select action from audit_events where tenant_id = ? order by id').all(acme.id) as Array<{ action: string }>
    ).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['invitation.create', 'invitation.accept', 'role.create', 'membership.role_change']));
    expect(actions.filter((a) => a === 'invitation.accept')).toHaveLength(2);
  });
});
