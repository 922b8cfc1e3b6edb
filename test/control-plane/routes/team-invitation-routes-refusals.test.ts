import fs from 'node:fs';
import { ownerOfAlpha } from '../../support/owner-of-alpha';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { csrfFrom, postForm, type Agent } from '../../support/http-agent';
import { auditOf, invitationRow, invite } from '../../support/team';
import { outboxDir } from '../../../core/mail/mailer';
import { InvitationRepository } from '../../../control-plane/invitations/invitation-repository';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';

/** An invitation's Resend or Withdraw refused because it changed meanwhile (withdrawn by another admin) is said on the invitations page. */
describe("an invitation's refused resend or withdrawal", () => {
  let t: TestPlatform;
  let alpha: TenantRecord;
  let beta: TenantRecord;
  let owner: Agent;

  beforeEach(async () => {
    t = await createTestPlatform();
    ({ alpha, beta, owner } = await ownerOfAlpha(t));
  });
  afterEach(() => t.cleanup());

  /** An invitation withdrawn by someone else meanwhile (no record of this member's withdrawal: not a repeat of their own). */
  const withdrawnMeanwhile = (tenant: TenantRecord, email: string) => {
    const { id } = invite(t.platform, tenant, email);
    new InvitationRepository(t.platform.db).finish(id, 'revoked');
    return id;
  };
  const mailed = () => (fs.existsSync(outboxDir(t.dataDir)) ? fs.readdirSync(outboxDir(t.dataDir)) : []);
  const changes = () => [...auditOf(t.platform, 'invitation.resend'), ...auditOf(t.platform, 'invitation.revoke')];
  const heading = '<h1>Invitations</h1>';
  const alert = (message: string) => `<div class="alert" role="alert">\n    <p>${message}</p>`;

  it('answers the resend of an invitation withdrawn meanwhile (409) on the invitations page, saying to send a new one, sending nothing', async () => {
    const id = withdrawnMeanwhile(alpha, 'dana@example.com');
    const before = invitationRow(t.platform, id);
    const res = await postForm(owner, `/t/alpha/invitations/${id}/resend`, {});
    expect(res.status).toBe(409);
    expect(res.text).toContain(heading);
    expect(res.text).toContain(alert('This invitation was revoked; send a new one instead.'));
    expect(res.text).toContain('dana@example.com');
    expect(invitationRow(t.platform, id)).toEqual(before);
    expect([changes(), mailed()]).toEqual([[], []]);
  });

  it('answers the withdrawal of an invitation withdrawn meanwhile (409) on the invitations page, asked or confirmed, writing nothing', async () => {
    const id = withdrawnMeanwhile(alpha, 'dana@example.com');
    const before = invitationRow(t.platform, id);
    for (const body of [{}, { confirmed: 'yes' }] as Array<Record<string, string>>) {
      const res = await postForm(owner, `/t/alpha/invitations/${id}/revoke`, body);
      expect([body, res.status, res.headers.location]).toEqual([body, 409, undefined]);
      expect(res.text).toContain(heading);
      expect(res.text).toContain(alert('This invitation is revoked already.'));
    }
    expect(invitationRow(t.platform, id)).toEqual(before);
    expect(changes()).toEqual([]);
  });

  it("shows its own workspace's invitations whatever the return field names: never another workspace's list, never another site", async () => {
    const id = withdrawnMeanwhile(alpha, 'dana@example.com');
    invite(t.platform, beta, 'beta-secret@example.com');
    for (const back of ['/t/beta/invitations', 'https://evil.example/t/alpha/invitations', '//evil.example/t/alpha/invitations?x=1']) {
      for (const action of ['resend', 'revoke']) {
        const res = await postForm(owner, `/t/alpha/invitations/${id}/${action}`, { confirmed: 'yes', return: back });
        expect([back, action, res.status, res.headers.location]).toEqual([back, action, 409, undefined]);
        expect(res.text).toContain(heading);
        expect(res.text).not.toContain('beta-secret@example.com');
        expect(res.text).not.toContain('evil.example');
        expect(res.text).not.toContain('/t/beta');
      }
    }
  });

  it("answers 404 to a member resending or withdrawing another workspace's invitation, by its id under their own workspace or the other's slug, changing nothing", async () => {
    const pending = invite(t.platform, beta, 'beta-pending@example.com').id;
    const withdrawn = withdrawnMeanwhile(beta, 'beta-withdrawn@example.com');
    const before = [invitationRow(t.platform, pending), invitationRow(t.platform, withdrawn)];
    for (const id of [pending, withdrawn])
      for (const slug of ['alpha', 'beta'])
        for (const [action, body] of [
          ['resend', {}],
          ['revoke', {}],
          ['revoke', { confirmed: 'yes' }],
        ] as const) {
          const path = `/t/${slug}/invitations/${id}/${action}`;
          const res = await postForm(owner, path, body);
          expect([path, body, res.status]).toEqual([path, body, 404]);
          expect(res.text).not.toContain('beta-pending@example.com');
          expect(res.text).not.toContain('beta-withdrawn@example.com');
        }
    expect([invitationRow(t.platform, pending), invitationRow(t.platform, withdrawn)]).toEqual(before);
    expect([changes(), mailed()]).toEqual([[], []]);
  });

  describe('past the invitation send limit (429)', () => {
    const LIMIT_MESSAGE = 'Too many invitations sent in a short time. Try again in 15 minutes.';
    /** The member's 100 invitation writes of the window, spent on resends of an id the workspace does not have (each counts, each a 404). */
    const spendTheLimit = async () => {
      const _csrf = await csrfFrom(owner, '/tenants');
      for (let n = 0; n < 100; n++) expect((await owner.post('/t/alpha/invitations/nope/resend').type('form').send({ _csrf })).status).toBe(404);
    };

    it("answers Invite, Resend and Withdraw alike: the invitations page with the limit's message and the 429, what was typed kept, nothing sent or written", async () => {
      const { id } = invite(t.platform, alpha, 'dana@example.com');
      const before = [invitationRow(t.platform, id), auditOf(t.platform, 'invitation.create')];
      await spendTheLimit();
      const forms: Array<[string, Record<string, string>]> = [
        ['/t/alpha/invitations', { emails: 'erin@example.com\nfrank@example.com' }],
        [`/t/alpha/invitations/${id}/resend`, {}],
        [`/t/alpha/invitations/${id}/revoke`, { confirmed: 'yes' }],
      ];
      for (const [path, body] of forms) {
        const res = await postForm(owner, path, body);
        expect([path, res.status, res.headers.location]).toEqual([path, 429, undefined]);
        expect(res.headers['retry-after']).toMatch(/^\d+$/);
        expect(res.text).toContain(heading);
        expect(res.text).toContain(alert(LIMIT_MESSAGE));
        expect(res.text).toContain('dana@example.com');
      }
      const invited = await postForm(owner, '/t/alpha/invitations', { emails: 'erin@example.com' });
      expect(invited.text).toMatch(/<textarea id="emails" name="emails"[^>]*>erin@example.com<\/textarea>/);
      expect([invitationRow(t.platform, id), auditOf(t.platform, 'invitation.create')]).toEqual(before);
      expect(t.platform.invitations.countPending(alpha.id)).toBe(1);
      expect([changes(), mailed()]).toEqual([[], []]);
    });
  });
});
