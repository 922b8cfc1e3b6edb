import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { postForm, signIn, type Agent } from '../../support/http-agent';
import { linkOf, walkNextLinks } from '../../support/page-links';
import { postFormsOf } from '../../support/page-forms';
import { invitationRow, invite } from '../../support/team';
import { INVITATIONS_PAGE_SIZE } from '../../../control-plane/pages/invitations-page';

/** The invitations table's rows, each as its email and the ids its Resend and Revoke forms act on. */
function rowsOf(html: string) {
  const body = html.slice(html.indexOf('<tbody>'), html.indexOf('</tbody>'));
  return body
    .split('<tr>')
    .slice(1)
    .map((row) => ({
      email: /<td>([^<]+@[^<]+)<\/td>/.exec(row)?.[1] ?? '',
      revoke: /\/invitations\/(i[0-9a-f]+)\/revoke"/.exec(row)?.[1],
      resend: /\/invitations\/(i[0-9a-f]+)\/resend"/.exec(row)?.[1],
    }));
}

describe('the invitations page of a workspace with many invitations', () => {
  let t: TestPlatform;
  let owner: Agent;
  const emails: string[] = [];
  const COUNT = INVITATIONS_PAGE_SIZE * 2 + 11;

  beforeAll(async () => {
    t = await createTestPlatform();
    const app = createApp(t.platform).app;
    const crowd = await makeTenant(t.platform, 'crowd');
    const olive = await makeUser(t.platform, { email: 'olive@crowd.test' });
    await addMember(t.platform, olive, crowd, 'owner');
    for (let i = 1; i <= COUNT; i++) {
      const email = `guest-${i}@elsewhere.test`;
      invite(t.platform, crowd, email);
      emails.push(email);
    }
    // Some made a day earlier, some no longer pending: all are listed.
    t.platform.db.run("update invitations set created_at = created_at - 86400000 where email like 'guest-1_@%'");
    t.platform.db.run("update invitations set state = 'revoked' where email like 'guest-2_@%'");
    owner = await signIn(app, olive.email);
  });
  afterAll(() => t.cleanup());

  it('lists at most a page of invitations, newest first, and reaches every invitation exactly once through its Next links', async () => {
    const seen: string[] = [];
    const pages = await walkNextLinks(owner, '/t/crowd/invitations', (html, index) => {
      const rows = rowsOf(html);
      expect(rows.length).toBeLessThanOrEqual(INVITATIONS_PAGE_SIZE);
      expect(linkOf(html, 'First page')).toBe(index === 0 ? undefined : '/t/crowd/invitations');
      seen.push(...rows.map((r) => r.email));
    });
    expect(pages).toBe(Math.ceil(COUNT / INVITATIONS_PAGE_SIZE));
    expect([...seen].sort()).toEqual([...emails].sort());
    expect(seen.slice(-10).every((email) => /^guest-1\d@/.test(email))).toBe(true);
  });

  it('offers Resend and Revoke on a later page, and they act on the invitation of their row', async () => {
    const first = await owner.get('/t/crowd/invitations');
    const last = rowsOf((await owner.get(linkOf(first.text, 'Next') ?? '')).text).find((r) => r.revoke);
    if (!last?.revoke) throw new Error('no revocable invitation on the second page');
    expect(last.resend).toBe(last.revoke);
    expect((await postForm(owner, `/t/crowd/invitations/${last.revoke}/revoke`, { confirmed: 'yes' }, '/t/crowd/invitations')).status).toBe(303);
    expect(invitationRow(t.platform, last.revoke)?.state).toBe('revoked');
  });

  it('runs as many statements on its third page as on its first', async () => {
    const second = linkOf((await owner.get('/t/crowd/invitations')).text, 'Next') ?? '';
    const third = linkOf((await owner.get(second)).text, 'Next') ?? '';
    const statements = async (path: string) => {
      expect((await owner.get(path)).status).toBe(200);
      const before = t.platform.db.statementCount;
      expect((await owner.get(path)).status).toBe(200);
      return t.platform.db.statementCount - before;
    };
    expect(await statements(third)).toBe(await statements('/t/crowd/invitations'));
  });

  it('shows the first page for a Next link it did not make', async () => {
    const first = rowsOf((await owner.get('/t/crowd/invitations')).text);
    for (const query of ['after=nonsense', 'after=', 'after=a&after=b', `after=${Buffer.from('1.0').toString('base64url')}`]) {
      const res = await owner.get(`/t/crowd/invitations?${query}`);
      expect(res.status).toBe(200);
      expect(rowsOf(res.text)).toEqual(first);
    }
  });

  it('comes back to the third page after an invitation on it is resent or withdrawn', async () => {
    const second = linkOf((await owner.get('/t/crowd/invitations')).text, 'Next') ?? '';
    const third = linkOf((await owner.get(second)).text, 'Next') ?? '';
    expect(third).toMatch(/\?after=./);
    const html = (await owner.get(third)).text;
    const [resend] = postFormsOf(html, /\/resend$/);
    const [revoke] = postFormsOf(html, /\/revoke$/);

    const resent = await owner.post(resend.action).type('form').send(resend.fields);
    expect(resent.status).toBe(303);
    expect(resent.headers.location).toBe(third);
    const withdrawn = await owner
      .post(revoke.action)
      .type('form')
      .send({ ...revoke.fields, confirmed: 'yes' });
    expect(withdrawn.status).toBe(303);
    expect(withdrawn.headers.location).toBe(third);
  });

  it('sends an action whose way back names another site or page to the first page of the invitations', async () => {
    const [revoke] = postFormsOf((await owner.get('/t/crowd/invitations')).text, /\/revoke$/);
    const res = await owner
      .post(revoke.action)
      .type('form')
      .send({ ...revoke.fields, return: '//evil.test/t/crowd/invitations', confirmed: 'yes' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/t/crowd/invitations');
  });
});
