import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { makeTenant, makeUser } from '../../support/factories';
import { postForm, signIn, type Agent } from '../../support/http-agent';
import { auditOf, invite, invitationRow, linkPath, makeCustomRole, roleId, setRole } from '../../support/team';
import { outboxDir } from '../../../core/mail/mailer';
import { createInvitation } from '../../../control-plane/invitations/create-invitation';
import { hashInvitationToken } from '../../../control-plane/invitations/invitation-token';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import { DOUBLE_SUBMIT_MS } from '../../../core/http/double-submit';

describe('invitations page', () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let alpha: TenantRecord;
  let bravo: TenantRecord;
  let alice: Agent; // owner of alpha
  let adam: Agent; // admin of alpha

  const invitations = (tenant: TenantRecord) =>
    t.platform.db.connection().prepare('select * from invitations where tenant_id = ? order by created_at, rowid').all(tenant.id) as Array<{
      id: string;
      email: string;
      state: string;
      token_hash: string;
      role_id: number;
    }>;
  const outbox = () => (fs.existsSync(outboxDir(t.dataDir)) ? fs.readdirSync(outboxDir(t.dataDir)).sort() : []);
  // The body is quoted-printable: long lines (the link) carry soft breaks.
  const readMail = (file: string) => fs.readFileSync(path.join(outboxDir(t.dataDir), file), 'utf8').replace(/=\n/g, '');
  const linksIn = (html: string) => [...html.matchAll(/value="(http:\/\/localhost:3000\/invitations\/[A-Za-z0-9_-]{43})"/g)].map((m) => m[1]);
  const viewer = () => String(roleId(t.platform, 'viewer'));

  beforeAll(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform, { tokenEndpointLimit: 1000 }).app;
    alpha = await makeTenant(t.platform, 'alpha', 'Alpha Studio');
    bravo = await makeTenant(t.platform, 'bravo');
    const aliceUser = await makeUser(t.platform, { email: 'alice@example.com', name: 'Alice' });
    const adamUser = await makeUser(t.platform, { email: 'adam@example.com' });
    await setRole(t.platform, aliceUser, alpha, 'owner');
    await setRole(t.platform, adamUser, alpha, 'admin');
    await setRole(t.platform, await makeUser(t.platform, { email: 'bob@example.com' }), bravo, 'owner');
    alice = await signIn(app, aliceUser.email);
    alice.set('User-Agent', 'invite-tests/1.0');
    adam = await signIn(app, adamUser.email);
  });
  afterAll(() => t.cleanup());

  beforeEach(() => {
    // Each test starts with no invitations, no mail and an empty trail (users and sessions are kept: signing in is slow).
    t.platform.db.connection().exec('delete from invitations; delete from audit_events');
    fs.rmSync(outboxDir(t.dataDir), { recursive: true, force: true });
  });

  it('invites several addresses at once, shows each link once, mails each to the outbox, and records each', async () => {
    const res = await postForm(alice, '/t/alpha/invitations', {
      emails: 'Ann@Example.com, ben@example.com\ncat@example.com\n',
      role_id: String(roleId(t.platform, 'editor')),
    });
    // Redirect after POST: a refresh cannot send the invitations again.
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/t/alpha/invitations');
    const page = await alice.get(res.headers.location);
    const links = linksIn(page.text);
    expect(links).toHaveLength(3);
    expect(page.text).toContain('only once');
    // Shown once: the next visit holds no link.
    expect(linksIn((await alice.get('/t/alpha/invitations')).text)).toEqual([]);
    expect(invitations(alpha).map((i) => [i.email, i.state])).toEqual([
      ['ann@example.com', 'pending'],
      ['ben@example.com', 'pending'],
      ['cat@example.com', 'pending'],
    ]);
    // Only hashes are stored.
    for (const link of links) expect(JSON.stringify(invitations(alpha))).not.toContain(link.split('/').pop());

    const files = outbox();
    expect(files).toHaveLength(3);
    expect(files.every((f) => f.endsWith('.eml'))).toBe(true);
    const mails = files.map(readMail);
    for (const link of links) expect(mails.some((m) => m.includes(link))).toBe(true);
    expect(mails[0]).toMatch(/^To: (ann|ben|cat)@example\.com$/m);
    expect(mails[0]).toContain('Subject: Alice invited you to Alpha Studio');
    expect(mails[0]).toContain('as Editor');

    const recorded = auditOf(t.platform, 'invitation.create');
    expect(recorded).toHaveLength(3);
    expect(recorded[0]).toMatchObject({ tenant_id: alpha.id, target_type: 'invitation', user_agent: 'invite-tests/1.0', ip: expect.any(String) });

    // The list no longer shows the links, only the states.
    const list = await alice.get('/t/alpha/invitations');
    expect(linksIn(list.text)).toEqual([]);
    expect(list.text).toContain('status-pending');
  });

  it.each([
    ['a bad address among good ones', { emails: 'good@example.com, bad@, other@example.com' }, 'Email addresses', '“bad@”, which is not a valid email address'],
    ['no address', { emails: ' , \n' }, 'Email addresses', 'at least one address'],
    ['no emails field', {}, 'Email addresses', 'is required'],
    ['too many addresses', { emails: Array.from({ length: 51 }, (_, i) => `p${i}@example.com`).join(',') }, 'Email addresses', 'at most 50'],
    ['no role', { emails: 'ok@example.com', role_id: '' }, 'Role', 'roles offered'],
    ['a role that is not a number', { emails: 'ok@example.com', role_id: 'admin' }, 'Role', 'roles offered'],
  ])('answers %s with a 400 naming the field, sending and writing nothing', async (_label, body, field, reason) => {
    const res = await postForm(alice, '/t/alpha/invitations', { role_id: viewer(), ...body });
    expect(res.status).toBe(400);
    expect(res.text).toContain(`<strong>${field}</strong>`);
    expect(res.text).toContain(reason);
    expect(invitations(alpha)).toEqual([]);
    expect(outbox()).toEqual([]);
  });

  it('keeps at most one pending invitation per email: a second invite is refused, and members cannot be invited', async () => {
    invite(t.platform, alpha, 'dup@example.com');
    const again = await postForm(alice, '/t/alpha/invitations', { emails: 'new@example.com, DUP@example.com', role_id: viewer() });
    expect(again.status).toBe(400);
    // The page's list below the form has the invitation, with its Resend button.
    expect(again.text).toContain('dup@example.com, who already has a pending invitation (resend it from the list below)');
    expect(again.text).toMatch(/<form[^>]+action="\/t\/alpha\/invitations\/i[0-9a-f]{24}\/resend"/);
    const member = await postForm(alice, '/t/alpha/invitations', { emails: 'adam@example.com', role_id: viewer() });
    expect(member.status).toBe(400);
    expect(member.text).toContain('already a member');
    expect(invitations(alpha).map((i) => i.email)).toEqual(['dup@example.com']);
  });

  it.each([
    ['one after the other', async (send: () => Promise<request.Response>) => [await send(), await send()]],
    ['at once', (send: () => Promise<request.Response>) => Promise.all([send(), send()])],
  ])('answers the same invitations sent twice %s (a double click) as the first did, inviting and mailing each address once', async (_label, twice) => {
    const send = () => postForm(alice, '/t/alpha/invitations', { emails: 'twin@example.com, pair@example.com', role_id: viewer() });
    const answers = await twice(send);
    expect(answers.map((res) => [res.status, res.headers.location])).toEqual([
      [303, '/t/alpha/invitations'],
      [303, '/t/alpha/invitations'],
    ]);
    // The page shows the links the invitations were made with, once.
    const links = linksIn((await alice.get('/t/alpha/invitations')).text);
    expect(links).toHaveLength(2);
    expect(invitations(alpha).map((i) => [i.email, i.state])).toEqual([
      ['twin@example.com', 'pending'],
      ['pair@example.com', 'pending'],
    ]);
    for (const link of links) expect((await request(app).get(linkPath(link))).status).toBe(200);
    expect(outbox()).toHaveLength(2);
    expect(auditOf(t.platform, 'invitation.create')).toHaveLength(2);
  });

  it('still refuses the same invitation sent again by another member, with another role, beside a new address, or long after', async () => {
    expect((await postForm(alice, '/t/alpha/invitations', { emails: 'one@example.com, two@example.com', role_id: viewer() })).status).toBe(303);
    const refused = [
      await postForm(adam, '/t/alpha/invitations', { emails: 'one@example.com, two@example.com', role_id: viewer() }),
      await postForm(alice, '/t/alpha/invitations', { emails: 'one@example.com, two@example.com', role_id: String(roleId(t.platform, 'editor')) }),
      await postForm(alice, '/t/alpha/invitations', { emails: 'two@example.com, three@example.com', role_id: viewer() }),
    ];
    t.platform.db.connection().prepare('update invitations set created_at = created_at - 10000').run();
    refused.push(await postForm(alice, '/t/alpha/invitations', { emails: 'one@example.com, two@example.com', role_id: viewer() }));
    for (const res of refused) {
      expect(res.status).toBe(400);
      expect(res.text).toContain('who already has a pending invitation');
    }
    expect(invitations(alpha)).toHaveLength(2);
    expect(outbox()).toHaveLength(2);
  });

  it('replaces an expired pending invitation with a new one, marking the old one expired', async () => {
    const old = invite(t.platform, alpha, 'late@example.com');
    t.platform.db
      .connection()
      .prepare('update invitations set expires_at = ? where id = ?')
      .run(Date.now() - 1000, old.id);
    expect((await postForm(alice, '/t/alpha/invitations', { emails: 'late@example.com', role_id: viewer() })).status).toBe(303);
    expect(invitations(alpha).map((i) => i.state)).toEqual(['expired', 'pending']);
  });

  it('lists invitations with their states, expired computed from the expiry date', async () => {
    const states = ['pending', 'accepted', 'expired', 'revoked'];
    for (const state of states) {
      const created = invite(t.platform, alpha, `${state}@example.com`);
      if (state === 'expired')
        t.platform.db
          .connection()
          .prepare('update invitations set expires_at = ? where id = ?')
          .run(Date.now() - 1, created.id);
      else if (state !== 'pending') t.platform.db.connection().prepare('update invitations set state = ? where id = ?').run(state, created.id);
    }
    const res = await alice.get('/t/alpha/invitations');
    expect(res.status).toBe(200);
    for (const state of states)
      expect(res.text).toMatch(new RegExp(`${state}@example\\.com</td>\\s*<td>Viewer</td>\\s*<td><span class="status status-${state}">${state}</span>`));
    // Resend for pending and expired ones; revoke for pending ones only.
    expect(res.text.match(/\/resend"/g)).toHaveLength(2);
    expect(res.text.match(/\/revoke"/g)).toHaveLength(1);
  });

  it('resends with a new token: the old link is dead at once, the new one works and is mailed', async () => {
    const first = invite(t.platform, alpha, 'again@example.com');
    const res = await postForm(alice, `/t/alpha/invitations/${first.id}/resend`, {});
    expect(res.status).toBe(303);
    const [fresh] = linksIn((await alice.get(res.headers.location)).text);
    expect(fresh).toBeDefined();
    expect(fresh).not.toBe(first.url);
    expect((await request(app).get(linkPath(first.url))).status).toBe(404);
    expect((await request(app).get(linkPath(fresh))).status).toBe(200);
    expect(invitationRow(t.platform, first.id)?.state).toBe('pending');
    expect(
      outbox()
        .map(readMail)
        .some((m) => m.includes(fresh)),
    ).toBe(true);
    expect(auditOf(t.platform, 'invitation.resend')).toEqual([
      expect.objectContaining({ target_id: first.id, tenant_id: alpha.id, user_agent: 'invite-tests/1.0' }),
    ]);
  });

  it('will not resend an invitation whose custom role the plan no longer includes, and marks it on the list without a Resend button', async () => {
    t.platform.plans.setTenantOverrides(alpha.id, { features: { custom_roles: true } });
    const helper = makeCustomRole(t.platform, alpha, 'Helper', ['content.view']);
    try {
      const created = createInvitation(t.platform, { tenantId: alpha.id, email: 'helper@example.com', roleId: helper, invitedBy: null });
      t.platform.plans.setTenantOverrides(alpha.id, { features: { custom_roles: false } });

      const list = await alice.get('/t/alpha/invitations');
      expect(list.text).toMatch(/Helper <small class="status status-revoked">no longer in the plan: cannot be accepted or resent<\/small>/);
      expect(list.text).not.toContain(`/invitations/${created.id}/resend"`);
      expect(list.text).toContain(`/invitations/${created.id}/revoke"`);

      const res = await postForm(alice, `/t/alpha/invitations/${created.id}/resend`, {});
      expect(res.status).toBe(403);
      expect(res.text).toContain(
        'This workspace’s plan no longer includes custom roles, so this invitation’s role (Helper) can no longer be given. Revoke it and invite helper@example.com with another role.',
      );
      expect(invitationRow(t.platform, created.id)?.token_hash).toBe(hashInvitationToken(linkPath(created.url).split('/').pop() ?? ''));
      expect(auditOf(t.platform, 'invitation.resend')).toEqual([]);
      expect(outbox()).toEqual([]);
    } finally {
      t.platform.plans.setTenantOverrides(alpha.id, { features: {} });
    }
  });

  it('revokes a pending invitation: its link explains it was withdrawn; another member revoking it again is a conflict', async () => {
    const created = invite(t.platform, alpha, 'gone@example.com');
    expect((await postForm(alice, `/t/alpha/invitations/${created.id}/revoke`, { confirmed: 'yes' })).status).toBe(303);
    expect(invitationRow(t.platform, created.id)?.state).toBe('revoked');
    const page = await request(app).get(linkPath(created.url));
    expect(page.status).toBe(410);
    expect(page.text).toContain('withdrawn');
    expect((await postForm(adam, `/t/alpha/invitations/${created.id}/revoke`, { confirmed: 'yes' })).status).toBe(409);
    expect((await postForm(alice, `/t/alpha/invitations/${created.id}/resend`, {})).status).toBe(409);
    expect(auditOf(t.platform, 'invitation.revoke')).toEqual([expect.objectContaining({ target_id: created.id, tenant_id: alpha.id })]);
  });

  it('answers a withdrawal sent twice by the same member, after or at once, as done both times, withdrawing once', async () => {
    const created = invite(t.platform, alpha, 'double@example.com');
    const withdraw = () => postForm(alice, `/t/alpha/invitations/${created.id}/revoke`, { confirmed: 'yes' });
    const first = await withdraw();
    const again = await withdraw();
    expect([again.status, again.headers.location]).toEqual([303, first.headers.location]);
    expect((await alice.get(again.headers.location)).text).toContain('The invitation to double@example.com was withdrawn.');

    const atOnce = invite(t.platform, alpha, 'at-once@example.com');
    const both = await Promise.all([1, 2].map(() => postForm(alice, `/t/alpha/invitations/${atOnce.id}/revoke`, { confirmed: 'yes' })));
    expect(both.map((r) => [r.status, r.headers.location])).toEqual([
      [303, first.headers.location],
      [303, first.headers.location],
    ]);
    expect(auditOf(t.platform, 'invitation.revoke').map((e) => e.target_id)).toEqual([created.id, atOnce.id]);

    t.platform.db.run("update audit_events set created_at = created_at - ? where action = 'invitation.revoke'", [DOUBLE_SUBMIT_MS + 1000]);
    expect((await withdraw()).status).toBe(409);
    expect(auditOf(t.platform, 'invitation.revoke')).toHaveLength(2);
  });

  it('refuses to withdraw an invitation that is no longer pending before asking for confirmation', async () => {
    const created = invite(t.platform, alpha, 'twice@example.com');
    const asked = await postForm(alice, `/t/alpha/invitations/${created.id}/revoke`, {});
    expect(asked.status).toBe(200);
    expect(asked.text).toContain('Withdraw the invitation to twice@example.com?');
    expect((await postForm(alice, `/t/alpha/invitations/${created.id}/revoke`, { confirmed: 'yes' })).status).toBe(303);

    const again = await postForm(alice, `/t/alpha/invitations/${created.id}/revoke`, {});
    expect(again.status).toBe(409);
    expect(again.text).toContain('This invitation is revoked already.');
    expect(again.text).not.toContain('name="confirmed"');
  });

  it("does not let an admin invite someone as owner, nor resend an owner's invitation", async () => {
    const res = await postForm(adam, '/t/alpha/invitations', { emails: 'boss@example.com', role_id: String(roleId(t.platform, 'owner')) });
    expect(res.status).toBe(403);
    const ownerInvite = invite(t.platform, alpha, 'heir@example.com', 'owner');
    expect((await postForm(adam, `/t/alpha/invitations/${ownerInvite.id}/resend`, {})).status).toBe(403);
    expect(invitations(alpha).map((i) => i.email)).toEqual(['heir@example.com']);
    expect(invitationRow(t.platform, ownerInvite.id)?.token_hash).toBe(invitations(alpha)[0].token_hash);
  });

  describe('across tenants', () => {
    it.each([
      ['the list by slug', 'GET', '/t/bravo/invitations'],
      ['an invite by slug', 'POST', '/t/bravo/invitations'],
      ['a resend by slug', 'POST', '/t/bravo/invitations/ID/resend'],
      ['a revoke by slug', 'POST', '/t/bravo/invitations/ID/revoke'],
      ["B's invitation resent under A's URL", 'POST', '/t/alpha/invitations/ID/resend'],
      ["B's invitation revoked under A's URL", 'POST', '/t/alpha/invitations/ID/revoke'],
    ])('answers 404 to the owner of A reaching %s, and changes nothing', async (_label, method, template) => {
      const theirs = invite(t.platform, bravo, 'their-guest@example.com');
      const before = invitationRow(t.platform, theirs.id);
      const url = template.replace('ID', theirs.id);
      const res = method === 'GET' ? await alice.get(url) : await postForm(alice, url, { emails: 'planted@example.com', role_id: viewer() });
      expect(res.status).toBe(404);
      expect(res.text).not.toContain('their-guest@example.com');
      expect(invitationRow(t.platform, theirs.id)).toEqual(before);
      expect(invitations(bravo)).toHaveLength(1);
      expect(invitations(alpha)).toEqual([]);
      expect((await request(app).get(linkPath(theirs.url))).status).toBe(200);
    });

    it("invites anew in A an address the same member invited in B moments ago, never answering with B's invitation", async () => {
      const aliceId = t.platform.users.findByEmail('alice@example.com')?.id ?? null;
      const theirs = invite(t.platform, bravo, 'both@example.com', 'viewer', aliceId);
      const res = await postForm(alice, '/t/alpha/invitations', { emails: 'both@example.com', role_id: viewer() });
      expect(res.status).toBe(303);
      expect(linksIn((await alice.get('/t/alpha/invitations')).text)).toHaveLength(1);
      expect(invitations(alpha).map((i) => [i.email, i.state])).toEqual([['both@example.com', 'pending']]);
      expect(invitations(alpha)[0].id).not.toBe(theirs.id);
      expect(outbox()).toHaveLength(1);
    });

    it.each(['resend', 'revoke'])(
      "answers 404 to the owner of A naming B's invitation and tenant in a %s form's fields, and changes nothing",
      async (action) => {
        const theirs = invite(t.platform, bravo, 'their-guest@example.com');
        const before = invitationRow(t.platform, theirs.id);
        // The URL's id is A's to look up; one no tenant holds, with B's id and tenant in the fields, is still not found.
        const res = await postForm(alice, `/t/alpha/invitations/i${'0'.repeat(24)}/${action}`, {
          id: theirs.id,
          invitation_id: theirs.id,
          tenant_id: bravo.id,
          tenant: 'bravo',
          confirmed: 'yes',
        });
        expect(res.status).toBe(404);
        expect(invitationRow(t.platform, theirs.id)).toEqual(before);
        expect(outbox()).toEqual([]);
        expect((await request(app).get(linkPath(theirs.url))).status).toBe(200);
      },
    );

    it("refuses B's custom role named in A's invite form with a 400, writing nothing", async () => {
      const foreign = makeCustomRole(t.platform, bravo, 'Bravo guests', ['content.view']);
      const res = await postForm(alice, '/t/alpha/invitations', { emails: 'x@example.com', role_id: String(foreign), tenant_id: bravo.id });
      expect(res.status).toBe(400);
      expect(res.text).toContain('<strong>Role</strong>');
      expect(invitations(alpha)).toEqual([]);
      expect(invitations(bravo)).toEqual([]);
      expect(outbox()).toEqual([]);
    });
  });
});
