import request from 'supertest';
import * as passwordHasher from '../../../control-plane/auth/password-hasher';
import { createApp } from '../../../app/create-app';
import { hashInvitationToken } from '../../../control-plane/invitations/invitation-token';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { postForm, signIn, type Agent } from '../../support/http-agent';
import { auditOf, invite, invitationRow, linkPath, makeCustomRole } from '../../support/team';
import { createInvitation } from '../../../control-plane/invitations/create-invitation';
import { outboxMails } from '../../support/outbox';
import { resumeTenant, suspendTenant } from '../../../control-plane/lifecycle/suspend-tenant';
import { archiveTenant } from '../../../control-plane/lifecycle/archive-tenant';
import { CLI_OPERATOR } from '../../../control-plane/lifecycle/operator';

/**
 * A new person accepting while the owner resends or revokes the invitation: the owner's action
 * lands while the accept hashes the password, between the accept's first read and its write.
 */
describe('accepting an invitation while it changes', () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let acme: TenantRecord;
  let owner: Agent;
  let n = 0;

  beforeAll(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform, { tokenEndpointLimit: 1000 }).app;
    acme = await makeTenant(t.platform, 'acme', 'Acme');
    const ownerUser = await makeUser(t.platform, { email: 'owner@acme.test' });
    await addMember(t.platform, ownerUser, acme, 'owner');
    owner = await signIn(app, ownerUser.email);
  });
  afterAll(() => t.cleanup());
  afterEach(() => jest.restoreAllMocks());

  /** Accepts through the link's form as a new person; `meanwhile` runs while the password is hashed. */
  async function acceptAsNewPerson(url: string, meanwhile: () => Promise<unknown>) {
    const browser = request.agent(app);
    const _csrf = /name="_csrf" value="([^"]+)"/.exec((await browser.get(linkPath(url))).text)?.[1] ?? '';
    const hash = passwordHasher.hashPassword;
    jest.spyOn(passwordHasher, 'hashPassword').mockImplementationOnce(async (password) => {
      await meanwhile();
      return hash(password);
    });
    return browser.post(linkPath(url)).type('form').send({ name: 'New Person', password: 'a long enough password', _csrf });
  }

  /** What the accept must not have made: a user for the address, a member of acme, an accept record. */
  function nothingCreated(email: string, invitationId: string) {
    expect(t.platform.users.findByEmail(email)).toBeUndefined();
    expect(t.platform.memberships.listMembers(acme.id).map((m) => m.email)).not.toContain(email);
    expect(auditOf(t.platform, 'invitation.accept').filter((a) => a.target_id === invitationId)).toEqual([]);
  }

  it('refuses the old link when the owner resends meanwhile, saying a newer one was sent, and the new link still works', async () => {
    const email = `resent${++n}@example.com`;
    const created = invite(t.platform, acme, email);
    const res = await acceptAsNewPerson(created.url, () => postForm(owner, `/t/acme/invitations/${created.id}/resend`, {}));
    expect(res.status).toBe(410);
    expect(res.text).toContain('This link was replaced by a newer one; use the latest email.');
    nothingCreated(email, created.id);

    const fresh =
      outboxMails(t.dataDir)
        .find((m) => m.to === email)
        ?.text.match(/http:\/\/\S+\/invitations\/[A-Za-z0-9_-]{43}/)?.[0] ?? '';
    const row = invitationRow(t.platform, created.id);
    expect(row).toMatchObject({ state: 'pending', token_hash: hashInvitationToken(new URL(fresh).pathname.split('/').pop() ?? '') });
    const browser = request.agent(app);
    const _csrf = /name="_csrf" value="([^"]+)"/.exec((await browser.get(linkPath(fresh))).text)?.[1] ?? '';
    const accepted = await browser.post(linkPath(fresh)).type('form').send({ name: 'New Person', password: 'a long enough password', _csrf });
    expect(accepted.status).toBe(302);
    expect(invitationRow(t.platform, created.id)?.state).toBe('accepted');
  });

  it('refuses when the owner revokes meanwhile, saying it was withdrawn (not used)', async () => {
    const email = `revoked${++n}@example.com`;
    const created = invite(t.platform, acme, email);
    const res = await acceptAsNewPerson(created.url, () => postForm(owner, `/t/acme/invitations/${created.id}/revoke`, { confirmed: 'yes' }));
    expect(res.status).toBe(410);
    expect(res.text).toContain('This invitation was withdrawn. Ask for a new one.');
    expect(invitationRow(t.platform, created.id)?.state).toBe('revoked');
    nothingCreated(email, created.id);
  });

  it('joins with the role the invitation gives when it is accepted: its custom role deleted meanwhile, the replacement chosen for it', async () => {
    const email = `moved${++n}@example.com`;
    const checkers = makeCustomRole(t.platform, acme, `Checkers ${n}`, ['content.view', 'team.view']);
    const created = createInvitation(t.platform, { tenantId: acme.id, email, roleId: checkers, invitedBy: null });
    const editor = t.platform.roles.findPredefined('editor')?.id;
    const res = await acceptAsNewPerson(created.url, () => postForm(owner, `/t/acme/roles/${checkers}/delete`, { replacement_role_id: String(editor) }));
    expect(res.status).toBe(302);
    expect(t.platform.roles.findById(checkers)).toBeUndefined();
    expect(t.platform.memberships.listMembers(acme.id).find((m) => m.email === email)).toMatchObject({ role_key: 'editor' });
    expect(auditOf(t.platform, 'invitation.accept').find((a) => a.target_id === created.id)?.after).toContain(`"roleId":${editor}`);
  });

  it('takes no one into a workspace suspended meanwhile: closed for now (503), the invitation still pending', async () => {
    const email = `suspended${++n}@example.com`;
    const other = await makeTenant(t.platform, `paused-${n}`, 'Paused');
    const created = invite(t.platform, other, email);
    const res = await acceptAsNewPerson(created.url, async () => suspendTenant(t.platform, other.id, { reason: 'Invoice unpaid' }, CLI_OPERATOR));
    expect(res.status).toBe(503);
    expect(invitationRow(t.platform, created.id)?.state).toBe('pending');
    expect(t.platform.users.findByEmail(email)).toBeUndefined();
    expect(t.platform.memberships.listMembers(other.id)).toEqual([]);
  });

  it('tells the holder of a link to a suspended workspace that it is closed for now and the invitation still holds, and the link works once it is resumed', async () => {
    const email = `waiting${++n}@example.com`;
    const other = await makeTenant(t.platform, `resting-${n}`, 'Resting');
    const created = invite(t.platform, other, email);
    suspendTenant(t.platform, other.id, { reason: 'Invoice unpaid' }, CLI_OPERATOR);

    const closed = await request(app).get(linkPath(created.url));
    expect(closed.status).toBe(503);
    expect(closed.text).toContain('Resting is closed for now. Your invitation still holds until it expires');
    expect(closed.text).not.toContain('Invoice unpaid');
    expect(invitationRow(t.platform, created.id)?.state).toBe('pending');

    resumeTenant(t.platform, other.id, CLI_OPERATOR);
    expect((await request(app).get(linkPath(created.url))).status).toBe(200);
  });

  it('still calls a link to an archived workspace not valid', async () => {
    const email = `gone${++n}@example.com`;
    const other = await makeTenant(t.platform, `gone-${n}`, 'Gone');
    const created = invite(t.platform, other, email);
    await archiveTenant(t.platform, other.id, { confirm: other.slug }, CLI_OPERATOR);
    const res = await request(app).get(linkPath(created.url));
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('Gone');
  });

  it('will not resend an expired invitation once the address was invited again, which would leave two links pending', async () => {
    const email = `again${++n}@example.com`;
    const first = invite(t.platform, acme, email);
    t.platform.db.run('update invitations set expires_at = ? where id = ?', [Date.now() - 1, first.id]);
    const second = invite(t.platform, acme, email);
    const res = await postForm(owner, `/t/acme/invitations/${first.id}/resend`, {});
    expect(res.status).toBe(409);
    expect(res.text).toContain('was invited again since; resend the newer invitation instead.');
    expect(invitationRow(t.platform, first.id)?.state).toBe('expired');
    expect(invitationRow(t.platform, second.id)?.state).toBe('pending');
    expect(auditOf(t.platform, 'invitation.resend').filter((a) => a.target_id === first.id)).toEqual([]);
  });

  it('refuses when the invitation expires meanwhile, saying it expired', async () => {
    const email = `late${++n}@example.com`;
    const created = invite(t.platform, acme, email);
    const res = await acceptAsNewPerson(created.url, async () =>
      t.platform.db.run('update invitations set expires_at = ? where id = ?', [Date.now() - 1, created.id]),
    );
    expect(res.status).toBe(410);
    expect(res.text).toContain('This invitation has expired. Ask for a new one.');
    expect(invitationRow(t.platform, created.id)?.state).toBe('pending');
    nothingCreated(email, created.id);
  });
});

/** A workspace downgraded to a plan without custom roles after inviting someone with one. */
describe('accepting an invitation whose custom role the plan no longer includes', () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let n = 0;

  beforeAll(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform, { tokenEndpointLimit: 1000 }).app;
  });
  afterAll(() => t.cleanup());
  afterEach(() => jest.restoreAllMocks());

  /** A workspace with custom roles on, and an invitation to `email` with its custom role Helper. */
  async function invitedAsHelper(email: string) {
    const tenant = await makeTenant(t.platform, `shrunk-${++n}`, `Shrunk ${n}`);
    t.platform.plans.setTenantOverrides(tenant.id, { features: { custom_roles: true } });
    const helper = makeCustomRole(t.platform, tenant, 'Helper', ['content.view']);
    const created = createInvitation(t.platform, { tenantId: tenant.id, email, roleId: helper, invitedBy: null });
    const downgrade = () => t.platform.plans.setTenantOverrides(tenant.id, { features: { custom_roles: false } });
    return { tenant, created, downgrade };
  }

  /** Nothing was given: no user for the address, no member, no accept record, the invitation still pending. */
  function nothingGiven(tenant: TenantRecord, email: string, invitationId: string) {
    expect(t.platform.users.findByEmail(email)).toBeUndefined();
    expect(t.platform.memberships.listMembers(tenant.id)).toEqual([]);
    expect(auditOf(t.platform, 'invitation.accept').filter((a) => a.target_id === invitationId)).toEqual([]);
    expect(invitationRow(t.platform, invitationId)?.state).toBe('pending');
  }

  it('tells the holder of the link, before any form, that the plan no longer includes custom roles and to ask for a new invitation', async () => {
    const email = `opened${++n}@example.com`;
    const { tenant, created, downgrade } = await invitedAsHelper(email);
    downgrade();
    const res = await request(app).get(linkPath(created.url));
    expect(res.status).toBe(403);
    expect(res.text).toContain(`The plan of ${tenant.name} no longer includes custom roles, so the role this invitation gives (Helper) cannot be given.`);
    expect(res.text).toContain(`Ask an administrator of ${tenant.name} to invite you again.`);
    expect(res.text).not.toContain('name="password"');
    nothingGiven(tenant, email, created.id);
  });

  it('refuses a new person with 403 and writes nothing: no account, no membership, the invitation still pending', async () => {
    const email = `newcomer${++n}@example.com`;
    const { tenant, created, downgrade } = await invitedAsHelper(email);
    const browser = request.agent(app);
    const _csrf = /name="_csrf" value="([^"]+)"/.exec((await browser.get(linkPath(created.url))).text)?.[1] ?? '';
    downgrade();
    const res = await browser.post(linkPath(created.url)).type('form').send({ name: 'New Person', password: 'a long enough password', _csrf });
    expect(res.status).toBe(403);
    expect(res.text).toContain('no longer includes custom roles');
    nothingGiven(tenant, email, created.id);
  });

  it('refuses a signed-in user with the invited address, who does not join', async () => {
    const user = await makeUser(t.platform, { email: `existing${++n}@example.com` });
    const { tenant, created, downgrade } = await invitedAsHelper(user.email);
    const agent = await signIn(app, user.email);
    downgrade();
    const res = await postForm(agent, linkPath(created.url), {});
    expect(res.status).toBe(403);
    expect(t.platform.memberships.listMembers(tenant.id)).toEqual([]);
    expect(invitationRow(t.platform, created.id)?.state).toBe('pending');
  });

  it('refuses when the plan is downgraded while the password is hashed: the plan as committed under the lock decides', async () => {
    const email = `racing${++n}@example.com`;
    const { tenant, created, downgrade } = await invitedAsHelper(email);
    const browser = request.agent(app);
    const _csrf = /name="_csrf" value="([^"]+)"/.exec((await browser.get(linkPath(created.url))).text)?.[1] ?? '';
    const hash = passwordHasher.hashPassword;
    jest.spyOn(passwordHasher, 'hashPassword').mockImplementationOnce(async (password) => {
      downgrade();
      return hash(password);
    });
    const res = await browser.post(linkPath(created.url)).type('form').send({ name: 'New Person', password: 'a long enough password', _csrf });
    expect(res.status).toBe(403);
    nothingGiven(tenant, email, created.id);
  });

  it('takes the invitee in with the custom role once the plan includes custom roles again', async () => {
    const email = `later${++n}@example.com`;
    const { tenant, created, downgrade } = await invitedAsHelper(email);
    downgrade();
    expect((await request(app).get(linkPath(created.url))).status).toBe(403);
    t.platform.plans.setTenantOverrides(tenant.id, { features: { custom_roles: true } });
    const browser = request.agent(app);
    const _csrf = /name="_csrf" value="([^"]+)"/.exec((await browser.get(linkPath(created.url))).text)?.[1] ?? '';
    const res = await browser.post(linkPath(created.url)).type('form').send({ name: 'New Person', password: 'a long enough password', _csrf });
    expect(res.status).toBe(302);
    expect(t.platform.memberships.listMembers(tenant.id)).toMatchObject([{ email, role_name: 'Helper' }]);
  });
});
