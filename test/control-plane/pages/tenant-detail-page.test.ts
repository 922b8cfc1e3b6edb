import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { makeTenant, makeUser } from '../../support/factories';
import { postForm, signIn, type Agent } from '../../support/http-agent';
import { invite, roleId } from '../../support/team';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import { TENANT_DETAIL_PAGE_SIZE } from '../../../control-plane/pages/tenant-detail-page';

/** The emails listed in one section of the page (`members` or `invitations`), its count heading and its pager's links. */
function sectionOf(html: string, id: 'members' | 'invitations') {
  const start = html.indexOf(`<section id="${id}">`);
  const body = html.slice(start, html.indexOf('</section>', start));
  const link = (label: string) => new RegExp(`<a href="([^"]+)">${label}</a>`).exec(body)?.[1]?.replace(/&amp;/g, '&');
  return {
    emails: [...body.matchAll(/<td>([^<]+@[^<]+)<\/td>/g)].map((m) => m[1]),
    count: Number(/<h2[^>]*>[^(]+\((\d+)\)<\/h2>/.exec(body)?.[1]),
    next: link(id === 'members' ? 'Next members' : 'Older invitations'),
    first: link(id === 'members' ? 'First members' : 'Newest invitations'),
  };
}

describe("the super admin's page of a tenant with a large team", () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let admin: Agent;
  let crowd: TenantRecord;
  const members: string[] = [];
  const pending: string[] = [];
  const MEMBERS = TENANT_DETAIL_PAGE_SIZE * 2 + 15;
  const PENDING = TENANT_DETAIL_PAGE_SIZE * 2 + 7;

  /** Members straight into the control plane (no password hashing: they never sign in). */
  function addPeople(tenant: TenantRecord, count: number, prefix: string): string[] {
    const roles = ['owner', 'admin', 'editor', 'viewer'];
    const emails: string[] = [];
    for (let i = 1; i <= count; i++) {
      const email = `${prefix}-${i}@${tenant.slug}.test`;
      const user = t.platform.users.insert({
        email,
        name: i <= 3 ? 'Same Name' : `${prefix} ${String(i).padStart(3, '0')}`,
        passwordHash: 'x',
        isSuperAdmin: false,
      });
      t.platform.memberships.upsert(user.id, tenant.id, roleId(t.platform, roles[i % roles.length]));
      emails.push(email);
    }
    return emails;
  }

  beforeAll(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    admin = await signIn(app, (await makeUser(t.platform, { superAdmin: true, email: 'root@example.com' })).email);
    crowd = await makeTenant(t.platform, 'crowd');
    members.push(...addPeople(crowd, MEMBERS, 'member'));
    // Pending invitations, most made in the same instant, among others that are not pending any more.
    for (let i = 1; i <= PENDING; i++) pending.push(`guest-${i}@elsewhere.test`);
    for (const email of pending) invite(t.platform, crowd, email);
    t.platform.db.run("update invitations set created_at = created_at - 86400000 where email like 'guest-1_@%'");
    const closed = ['gone-1@elsewhere.test', 'gone-2@elsewhere.test', 'gone-3@elsewhere.test'];
    closed.forEach((email) => invite(t.platform, crowd, email));
    t.platform.db.run("update invitations set state = 'revoked' where email = 'gone-1@elsewhere.test'");
    t.platform.db.run("update invitations set state = 'accepted' where email = 'gone-2@elsewhere.test'");
    t.platform.db.run("update invitations set expires_at = 1 where email = 'gone-3@elsewhere.test'");
  });
  afterAll(() => t.cleanup());

  /** Follows one list's Next links from the first page, checking each page holds at most a page and counts the whole list. */
  async function walk(id: 'members' | 'invitations', total: number) {
    const seen: string[] = [];
    let path: string | undefined = '/admin/tenants/crowd';
    let pages = 0;
    while (path) {
      const res = await admin.get(path);
      expect(res.status).toBe(200);
      const section = sectionOf(res.text, id);
      expect(section.emails.length).toBeLessThanOrEqual(TENANT_DETAIL_PAGE_SIZE);
      expect(section.count).toBe(total);
      expect(section.first).toBe(pages === 0 ? undefined : `/admin/tenants/crowd#${id}`);
      seen.push(...section.emails);
      path = section.next;
      pages++;
    }
    expect(pages).toBe(Math.ceil(total / TENANT_DETAIL_PAGE_SIZE));
    return seen;
  }

  it('lists the members a page at a time with the whole count, and reaches every member exactly once through its Next links, highest role first', async () => {
    const seen = await walk('members', MEMBERS);
    expect([...seen].sort()).toEqual([...members].sort());
    const owners = members.filter((_, i) => (i + 1) % 4 === 0);
    expect([...seen.slice(0, owners.length)].sort()).toEqual([...owners].sort());
  });

  it('lists every pending invitation, newest first, a page at a time, and none that is revoked, accepted or expired', async () => {
    const seen = await walk('invitations', PENDING);
    expect([...seen].sort()).toEqual([...pending].sort());
    // The ten made a day earlier come last.
    expect(seen.slice(-10).every((email) => /^guest-1\d@/.test(email))).toBe(true);
  });

  it('keeps one list where it is while the other one moves on', async () => {
    const first = await admin.get('/admin/tenants/crowd');
    const secondMembers = await admin.get(sectionOf(first.text, 'members').next as string);
    const both = await admin.get(sectionOf(secondMembers.text, 'invitations').next as string);
    expect(sectionOf(both.text, 'members').emails).toEqual(sectionOf(secondMembers.text, 'members').emails);
    expect(sectionOf(both.text, 'invitations').emails).toEqual(
      sectionOf((await admin.get(sectionOf(first.text, 'invitations').next as string)).text, 'invitations').emails,
    );
    expect(sectionOf(both.text, 'members').first).toMatch(/^\/admin\/tenants\/crowd\?invitations_after=[^&#]+#members$/);
  });

  it('shows the first page of a list for a position it did not make', async () => {
    const first = sectionOf((await admin.get('/admin/tenants/crowd')).text, 'members').emails;
    for (const query of [
      'members_after=nonsense',
      'members_after=',
      'members_after=a&members_after=b',
      `invitations_after=${Buffer.from('x.1').toString('base64url')}`,
    ]) {
      const res = await admin.get(`/admin/tenants/crowd?${query}`);
      expect(res.status).toBe(200);
      expect(sectionOf(res.text, 'members').emails).toEqual(first);
      expect(sectionOf(res.text, 'invitations').emails).toHaveLength(TENANT_DETAIL_PAGE_SIZE);
    }
  });

  it('keeps its actions on a later page: an owner added there joins, and a refused step shows the first page of each list', async () => {
    const first = await admin.get('/admin/tenants/crowd');
    const later = await admin.get(sectionOf(first.text, 'members').next as string);
    expect(later.text).toContain('action="/admin/tenants/crowd/owners"');
    expect(later.text).toContain('action="/admin/tenants/crowd/suspend"');
    const joiner = await makeUser(t.platform, { email: 'joiner@example.com' });
    const added = await postForm(admin, '/admin/tenants/crowd/owners', { email: joiner.email }, '/admin/tenants/crowd');
    expect(added.status).toBe(303);
    expect(t.platform.memberships.findMemberOfUser(joiner.id, crowd.id)?.role_key).toBe('owner');
    const refused = await postForm(admin, '/admin/tenants/crowd/suspend', { reason: '' }, '/admin/tenants/crowd');
    expect(refused.status).toBe(400);
    expect(sectionOf(refused.text, 'members')).toMatchObject({ count: MEMBERS + 1, first: undefined });
    expect(sectionOf(refused.text, 'members').emails).toHaveLength(TENANT_DETAIL_PAGE_SIZE);
    t.platform.db.run('delete from memberships where user_id = ?', [joiner.id]);
  });

  it('runs as many statements for a team of 130 as for a team of three, on any page of either list', async () => {
    const small = await makeTenant(t.platform, 'small');
    addPeople(small, 3, 'few');
    invite(t.platform, small, 'one@elsewhere.test');
    const first = await admin.get('/admin/tenants/crowd');
    const paths = [
      '/admin/tenants/small',
      '/admin/tenants/crowd',
      sectionOf(first.text, 'members').next as string,
      sectionOf(first.text, 'invitations').next as string,
    ];
    const counts: number[] = [];
    for (const path of paths) {
      expect((await admin.get(path)).status).toBe(200);
      const before = t.platform.db.statementCount;
      expect((await admin.get(path)).status).toBe(200);
      counts.push(t.platform.db.statementCount - before);
    }
    expect(counts).toEqual([counts[0], counts[0], counts[0], counts[0]]);
  });
});
