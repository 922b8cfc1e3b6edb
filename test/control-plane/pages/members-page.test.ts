import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { signIn, type Agent } from '../../support/http-agent';
import { linkOf, walkNextLinks } from '../../support/page-links';
import { postFormsOf } from '../../support/page-forms';
import { roleId } from '../../support/team';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import { MEMBERS_PAGE_SIZE } from '../../../control-plane/pages/members-page';

/** The members table's rows, each as its email and whether it offers a removal and "Make owner". */
function rowsOf(html: string) {
  const body = html.slice(html.indexOf('<tbody>'), html.indexOf('</tbody>'));
  return body
    .split('<tr>')
    .slice(1)
    .map((row) => ({
      email: /<td>([^<]+@[^<]+)<\/td>/.exec(row)?.[1] ?? '',
      you: row.includes('(you)'),
      removable: row.includes('/remove"'),
      makeOwner: row.includes('/transfer-ownership"'),
    }));
}

describe('the members page of a large team', () => {
  let t: TestPlatform;
  let crowd: TenantRecord;
  let owner: Agent;
  const emails: string[] = [];
  // More owners than one page holds, so owners are on the second page too.
  const OWNERS = MEMBERS_PAGE_SIZE + 10;
  const VIEWERS = MEMBERS_PAGE_SIZE + 20;

  /** Members straight into the control plane (no password hashing: they never sign in). */
  function addPeople(tenant: TenantRecord, count: number, role: string, prefix: string) {
    for (let i = 1; i <= count; i++) {
      const email = `${prefix.toLowerCase()}-${i}@${tenant.slug}.test`;
      const user = t.platform.users.insert({ email, name: `${prefix} ${String(i).padStart(3, '0')}`, passwordHash: 'x', isSuperAdmin: false });
      t.platform.memberships.upsert(user.id, tenant.id, roleId(t.platform, role));
      if (tenant === crowd) emails.push(email);
    }
  }

  beforeAll(async () => {
    t = await createTestPlatform();
    const app = createApp(t.platform).app;
    crowd = await makeTenant(t.platform, 'crowd');
    // The reader sorts last among the owners by name: their own row still comes first.
    const zoe = await makeUser(t.platform, { name: 'Zoe Owner', email: 'zoe@crowd.test' });
    await addMember(t.platform, zoe, crowd, 'owner');
    emails.push(zoe.email);
    addPeople(crowd, OWNERS - 1, 'owner', 'Owner');
    addPeople(crowd, VIEWERS, 'viewer', 'Viewer');
    owner = await signIn(app, zoe.email);
  });
  afterAll(() => t.cleanup());

  it("lists at most a page of members besides the reader's own row, and reaches every member exactly once through its Next links", async () => {
    const seen: string[] = [];
    const pages = await walkNextLinks(owner, '/t/crowd/members', (html, index) => {
      const rows = rowsOf(html);
      // The reader's own row first on the first page, then at most a page of the others.
      if (index === 0) expect(rows[0]).toMatchObject({ email: 'zoe@crowd.test', you: true });
      else expect(rows.some((r) => r.you)).toBe(false);
      expect(rows.length).toBeLessThanOrEqual(MEMBERS_PAGE_SIZE + (index === 0 ? 1 : 0));
      expect(linkOf(html, 'First page')).toBe(index === 0 ? undefined : '/t/crowd/members');
      seen.push(...rows.map((r) => r.email));
    });
    expect(pages).toBe(Math.ceil((OWNERS + VIEWERS - 1) / MEMBERS_PAGE_SIZE));
    expect([...seen].sort()).toEqual([...emails].sort());
    // Highest role first: every owner before any viewer.
    expect(seen.findIndex((e) => e.startsWith('viewer-'))).toBe(OWNERS);
  });

  it('applies the rules of the whole team on every page: an owner on the second page is not the last one, and anyone not an owner may be made one', async () => {
    const first = await owner.get('/t/crowd/members');
    const second = rowsOf((await owner.get(linkOf(first.text, 'Next') ?? '')).text);
    const owners = second.filter((r) => r.email.startsWith('owner-'));
    const viewers = second.filter((r) => r.email.startsWith('viewer-'));
    expect(owners.length).toBeGreaterThan(0);
    expect(viewers.length).toBeGreaterThan(0);
    expect(owners.every((r) => r.removable && !r.makeOwner)).toBe(true);
    expect(viewers.every((r) => r.removable && r.makeOwner)).toBe(true);
    expect(first.text).toContain('transfers ownership');
  });

  it('tells the last owner why they cannot leave, on the first page, however many members follow', async () => {
    const solo = await makeTenant(t.platform, 'solo');
    const sam = await makeUser(t.platform, { name: 'Sam Solo' });
    await addMember(t.platform, sam, solo, 'owner');
    addPeople(solo, MEMBERS_PAGE_SIZE + 5, 'admin', 'Admin');
    const page = await (await signIn(createApp(t.platform).app, sam.email)).get('/t/solo/members');
    expect(rowsOf(page.text)[0]).toMatchObject({ email: sam.email, you: true, removable: false });
    expect(page.text).toContain('You are the last owner of solo.');
    expect(linkOf(page.text, 'Next')).toBeDefined();
  });

  it('runs as many statements for a page of a team of 130 as for a team of three, on any page', async () => {
    const small = await makeTenant(t.platform, 'small');
    const zoe = t.platform.users.findByEmail('zoe@crowd.test');
    if (!zoe) throw new Error('no reader');
    await addMember(t.platform, zoe, small, 'owner');
    addPeople(small, 2, 'viewer', 'Viewer');
    const second = linkOf((await owner.get('/t/crowd/members')).text, 'Next') ?? '';
    const statements = async (path: string) => {
      expect((await owner.get(path)).status).toBe(200);
      const before = t.platform.db.statementCount;
      expect((await owner.get(path)).status).toBe(200);
      return t.platform.db.statementCount - before;
    };
    const counts = [await statements('/t/small/members'), await statements('/t/crowd/members'), await statements(second)];
    expect(counts).toEqual([counts[0], counts[0], counts[0]]);
  });

  it('shows the first page for a Next link it did not make', async () => {
    for (const after of ['nonsense', Buffer.from('1.50.7').toString('base64url'), '']) {
      const res = await owner.get(`/t/crowd/members?after=${after}`);
      expect(res.status).toBe(200);
      expect(rowsOf(res.text)[0]).toMatchObject({ email: 'zoe@crowd.test', you: true });
    }
    expect((await owner.get('/t/crowd/members?after=a&after=b')).status).toBe(200);
  });

  it('comes back to the second page after a member on it is given another role or removed', async () => {
    const second = linkOf((await owner.get('/t/crowd/members')).text, 'Next') ?? '';
    expect(second).toMatch(/\?after=./);
    const html = (await owner.get(second)).text;
    const [role] = postFormsOf(html, /\/role$/);
    const [remove] = postFormsOf(html, /\/remove$/);

    const changed = await owner
      .post(role.action)
      .type('form')
      .send({ ...role.fields, role_id: String(roleId(t.platform, 'editor')) });
    expect(changed.status).toBe(303);
    expect(changed.headers.location).toBe(second);
    const removed = await owner
      .post(remove.action)
      .type('form')
      .send({ ...remove.fields, confirmed: 'yes' });
    expect(removed.status).toBe(303);
    expect(removed.headers.location).toBe(second);
  });

  it('sends an action whose way back names another site or page to the first page of the members', async () => {
    // Not the reader's own row, first: another member each time.
    const [, ...others] = postFormsOf((await owner.get('/t/crowd/members')).text, /\/role$/);
    for (const [i, back] of ['https://evil.test/t/crowd/members', '/\\evil.test', '/t/other/members'].entries()) {
      const res = await owner
        .post(others[i].action)
        .type('form')
        .send({ ...others[i].fields, role_id: String(roleId(t.platform, 'editor')), return: back });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/t/crowd/members');
    }
  });
});
