import type { Express } from 'express';
import fs from 'node:fs';
import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../support/test-platform';
import { createApp } from '../../app/create-app';
import { addMember, makeTenant, makeUser } from '../support/factories';
import { postForm, signIn } from '../support/http-agent';
import { bearer, personalToken, serviceToken } from '../support/api-tokens';
import { inTenant, makeItem } from '../support/content';
import { invite, invitationRow, roleId } from '../support/team';
import { acceptInvitation } from '../../control-plane/invitations/accept-invitation';
import { toSessionUser } from '../../control-plane/users/user-record';
import type { TenantRecord } from '../../control-plane/tenants/tenant-record';
import type { LimitKey } from '../../tenant-runtime/plan-catalogue';
import { FIXTURES, uploadFile } from '../workspace/files/file-fixtures';
import { storageUsage } from '../../workspace/files/storage-usage';
import { STORED_FILE_NAME, tenantPaths } from '../../tenant-runtime/tenant-paths';

/** Each limit of a plan, under, at and over, through the routes people and programs use. */
describe("a plan's limits", () => {
  let t: TestPlatform;
  let app: Express;
  let n = 0;
  beforeAll(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
  });
  afterAll(() => t.cleanup());

  /** A fresh tenant with an owner and an editor, under the given limits. */
  async function workspace(limits: Partial<Record<LimitKey, number | null>>) {
    const tenant = await makeTenant(t.platform, `lim${++n}`);
    const ownerUser = await makeUser(t.platform);
    const editorUser = await makeUser(t.platform);
    await addMember(t.platform, ownerUser, tenant, 'owner');
    await addMember(t.platform, editorUser, tenant, 'editor');
    t.platform.plans.setTenantOverrides(tenant.id, { limits });
    return { tenant, ownerUser, editorUser, owner: await signIn(app, ownerUser.email), editor: await signIn(app, editorUser.email) };
  }
  const itemCount = (tenant: TenantRecord) => inTenant(t.platform, tenant, (db) => db.get<{ n: number }>('select count(*) as n from items')?.n ?? 0);

  it('lets items be created up to the limit, then refuses with the limit, the use and whom to ask, writing nothing', async () => {
    const { tenant, owner, editor } = await workspace({ items: 2 });
    const path = `/t/${tenant.slug}/items`;
    expect((await postForm(owner, path, { title: 'One', body: '' })).status).toBe(303);
    expect((await postForm(editor, path, { title: 'Two', body: '' })).status).toBe(303);
    const overByEditor = await postForm(editor, path, { title: 'Three', body: '' });
    expect(overByEditor.status).toBe(403);
    expect(overByEditor.text).toContain(
      'Limit reached: Content items. This workspace uses 2 of 2. Archive and delete items you no longer need to make room. Ask the owners of the workspace to have it raised.',
    );
    const overByOwner = await postForm(owner, path, { title: 'Three', body: '' });
    expect(overByOwner.text).toContain('Ask the platform&#39;s administrators to raise it.');
    expect(await itemCount(tenant)).toBe(2);
  });

  it('lets only one of two requests at once at the last free unit through', async () => {
    const { tenant, owner } = await workspace({ items: 1 });
    const path = `/t/${tenant.slug}/items`;
    // Two different drafts: the same one sent twice is one draft (a double click), not a race for the unit.
    const answers = await Promise.all([postForm(owner, path, { title: 'Race', body: '' }), postForm(owner, path, { title: 'Race 2', body: '' })]);
    expect(answers.map((a) => a.status).sort()).toEqual([303, 403]);
    expect(await itemCount(tenant)).toBe(1);
  });

  it('refuses an API request over the item limit with problem+json code limit_reached, limit, used and max', async () => {
    const { tenant, ownerUser } = await workspace({ items: 0 });
    const res = await request(app)
      .post(`/api/v1/t/${tenant.slug}/items`)
      .set(bearer(personalToken(t.platform, ownerUser)))
      .send({ title: 'API item' });
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({ code: 'limit_reached', limit: 'items', used: 0, max: 0 });
    expect(await itemCount(tenant)).toBe(0);
  });

  it('counts items created per member per day, each member on their own', async () => {
    const { tenant, owner, editor } = await workspace({ items_created_per_user_per_day: 1 });
    const path = `/t/${tenant.slug}/items`;
    expect((await postForm(editor, path, { title: 'Mine', body: '' })).status).toBe(303);
    const again = await postForm(editor, path, { title: 'Mine again', body: '' });
    expect(again.status).toBe(403);
    expect(again.text).toContain('Items created per member per day');
    expect((await postForm(owner, path, { title: 'Theirs', body: '' })).status).toBe(303);
    expect(await itemCount(tenant)).toBe(2);
  });

  it("counts a service token's items against the member who made it: more tokens give that member no more items a day", async () => {
    const { tenant, ownerUser, editorUser } = await workspace({ items_created_per_user_per_day: 1 });
    const create = (token: string, title: string) => request(app).post(`/api/v1/t/${tenant.slug}/items`).set(bearer(token)).send({ title });
    const first = serviceToken(t.platform, ownerUser, tenant, ['content.create']);
    const second = serviceToken(t.platform, ownerUser, tenant, ['content.create']);
    expect((await create(first, 'By the first token')).status).toBe(201);
    const over = await create(second, 'By the second token');
    expect(over.status).toBe(403);
    expect(over.body).toMatchObject({ code: 'limit_reached', limit: 'items_created_per_user_per_day', used: 1, max: 1 });
    // The member who made them has used their day too; another member's token is another member's day.
    expect((await create(personalToken(t.platform, ownerUser), 'By hand')).status).toBe(403);
    expect((await create(serviceToken(t.platform, editorUser, tenant, ['content.create']), "The editor's")).status).toBe(201);
    expect(await itemCount(tenant)).toBe(2);
  });

  it('counts items published per day, and leaves an item over the limit as it was', async () => {
    const { tenant, owner } = await workspace({ items_published_per_day: 1 });
    const first = await makeItem(t.platform, tenant, { status: 'approved' });
    const second = await makeItem(t.platform, tenant, { status: 'approved' });
    expect((await postForm(owner, `/t/${tenant.slug}/items/${first.id}/publish`, {})).status).toBe(303);
    const over = await postForm(owner, `/t/${tenant.slug}/items/${second.id}/publish`, {});
    expect(over.status).toBe(403);
    expect(over.text).toContain('Items published per day');
    expect(await inTenant(t.platform, tenant, (db) => db.all('select id, status from items order by id'))).toEqual([
      { id: first.id, status: 'published' },
      { id: second.id, status: 'approved' },
    ]);
  });

  it('counts API requests per day made with a token, answering 429 past the limit', async () => {
    const { tenant, ownerUser } = await workspace({ api_requests_per_day: 2 });
    const token = bearer(personalToken(t.platform, ownerUser));
    const get = () => request(app).get(`/api/v1/t/${tenant.slug}/items`).set(token);
    expect((await get()).status).toBe(200);
    expect((await get()).status).toBe(200);
    const over = await get();
    expect(over.status).toBe(429);
    expect(over.body).toMatchObject({ code: 'limit_reached', limit: 'api_requests_per_day', used: 2, max: 2 });
  });

  it('refuses an invitation past the pending invitations limit, sending nothing', async () => {
    const { tenant, owner } = await workspace({ pending_invitations: 1 });
    const path = `/t/${tenant.slug}/invitations`;
    const viewer = String(roleId(t.platform, 'viewer'));
    expect((await postForm(owner, path, { emails: `a${n}@example.com`, role_id: viewer })).status).toBeLessThan(400);
    const over = await postForm(owner, path, { emails: `b${n}@example.com, c${n}@example.com`, role_id: viewer });
    expect(over.status).toBe(403);
    expect(over.text).toContain('Limit reached: Pending invitations. This workspace uses 1 of 1.');
    expect(t.platform.invitations.countPending(tenant.id)).toBe(1);
  });

  it('refuses to resend an expired invitation when the workspace is at its pending invitations limit, leaving it expired', async () => {
    const { tenant, owner } = await workspace({ pending_invitations: 1 });
    const lapsed = invite(t.platform, tenant, `lapsed${n}@example.com`);
    t.platform.db
      .connection()
      .prepare('update invitations set expires_at = ? where id = ?')
      .run(Date.now() - 1000, lapsed.id);
    invite(t.platform, tenant, `fresh${n}@example.com`);
    const over = await postForm(owner, `/t/${tenant.slug}/invitations/${lapsed.id}/resend`, {});
    expect(over.status).toBe(403);
    expect(over.text).toContain('Limit reached: Pending invitations. This workspace uses 1 of 1.');
    expect(t.platform.invitations.countPending(tenant.id)).toBe(1);
    expect(invitationRow(t.platform, lapsed.id)?.expires_at).toBeLessThan(Date.now());
  });

  it('refuses to accept an invitation when the workspace is at its member limit, and keeps the invitation pending', async () => {
    const { tenant } = await workspace({ members: 2 });
    const guest = await makeUser(t.platform);
    const invitation = invite(t.platform, tenant, guest.email);
    await expect(acceptInvitation(t.platform, invitation.token, { user: toSessionUser(guest) })).rejects.toMatchObject({
      code: 'limit_reached',
      details: { limit: 'members', used: 2, max: 2 },
    });
    expect(invitationRow(t.platform, invitation.id)?.state).toBe('pending');
    expect(t.platform.memberships.findActive(guest.id, tenant.id)).toBeUndefined();
    t.platform.plans.setTenantOverrides(tenant.id, { limits: { members: 3 } });
    await acceptInvitation(t.platform, invitation.token, { user: toSessionUser(guest) });
    expect(t.platform.memberships.findActive(guest.id, tenant.id)).toBeDefined();
  });

  it('lets a workspace over its storage limit (its plan lowered below its use) replace its logo with a smaller one, never a larger one', async () => {
    const { tenant, owner } = await workspace({});
    const logoPath = `/t/${tenant.slug}/settings/logo`;
    expect((await uploadFile(owner, logoPath, 'logo', FIXTURES.png, 'logo.png', 'image/png')).status).toBe(303);
    t.platform.plans.setTenantOverrides(tenant.id, { limits: { storage_bytes: 1024 } });
    expect(FIXTURES.jpeg.length).toBeLessThan(FIXTURES.png.length);
    expect((await uploadFile(owner, logoPath, 'logo', FIXTURES.jpeg, 'logo.jpg', 'image/jpeg')).status).toBe(303);
    const larger = await uploadFile(owner, logoPath, 'logo', FIXTURES.png, 'logo.png', 'image/png');
    expect(larger.status).toBe(403);
    expect(larger.text).toContain('Limit reached: Storage.');
    expect((await owner.get(logoPath)).headers['content-type']).toBe('image/jpeg');
  });

  it('lets a workspace over its storage limit get under it again by deleting the drafts that filled it', async () => {
    const { tenant, owner } = await workspace({});
    const storedBytes = () => inTenant(t.platform, tenant, (db) => storageUsage(db).totalBytes);
    const empty = await storedBytes();
    const drafts: string[] = [];
    for (let i = 0; i < 40; i++) {
      const created = await postForm(owner, `/t/${tenant.slug}/items`, { title: `Long draft ${i}`, body: 'x'.repeat(19_000) });
      drafts.push(created.headers.location);
    }
    expect(await storedBytes()).toBeGreaterThan(empty + 700_000);
    t.platform.plans.setTenantOverrides(tenant.id, { limits: { storage_bytes: empty + 100_000 } });
    const item = await makeItem(t.platform, tenant);
    const attach = () => uploadFile(owner, `/t/${tenant.slug}/items/${item.id}/attachments`, 'file', FIXTURES.pdf, 'brief.pdf', 'application/pdf');
    expect((await attach()).status).toBe(403);
    for (const draft of drafts) expect((await postForm(owner, `${draft}/delete`, { confirmed: 'yes' })).status).toBe(303);
    // The pages the drafts held are free for the workspace's next content: they count no longer.
    expect(await storedBytes()).toBeLessThan(empty + 100_000);
    expect((await attach()).status).toBe(303);
  });

  it('lets a workspace over its item limit (its plan lowered) with no drafts get under it again by deleting archived items, their files with them', async () => {
    const { tenant, owner, ownerUser } = await workspace({});
    const path = `/t/${tenant.slug}/items`;
    await makeItem(t.platform, tenant, { status: 'published' });
    const archived = [];
    for (let i = 0; i < 2; i++) {
      const item = await makeItem(t.platform, tenant);
      expect((await uploadFile(owner, `${path}/${item.id}/attachments`, 'file', FIXTURES.pdf, `brief-${i}.pdf`, 'application/pdf')).status).toBe(303);
      await inTenant(t.platform, tenant, (db) => db.run("update items set status = 'archived' where id = ?", [item.id]));
      archived.push(item);
    }
    const filesOnDisk = () => fs.readdirSync(tenantPaths(t.dataDir, tenant.id).files).filter((f) => STORED_FILE_NAME.test(f));
    expect(filesOnDisk()).toHaveLength(2);
    t.platform.plans.setTenantOverrides(tenant.id, { limits: { items: 2 } });

    const refused = await postForm(owner, path, { title: 'New', body: '' });
    expect(refused.status).toBe(403);
    // What the person can do about it, on the page and in the API's error.
    expect(refused.text).toContain(
      'Limit reached: Content items. This workspace uses 3 of 2. Archive and delete items you no longer need to make room. Ask the platform&#39;s administrators to raise it.',
    );
    const api = await request(app)
      .post(`/api/v1${path}`)
      .set(bearer(personalToken(t.platform, ownerUser)))
      .send({ title: 'New' });
    expect(api.status).toBe(403);
    expect(api.body.detail).toContain('Archive and delete items you no longer need');

    for (const item of archived) expect((await postForm(owner, `${path}/${item.id}/delete`, { confirmed: 'yes' })).status).toBe(303);
    expect(await itemCount(tenant)).toBe(1);
    expect(filesOnDisk()).toEqual([]);
    expect(await inTenant(t.platform, tenant, (db) => storageUsage(db).attachments)).toBe(0);
    expect((await postForm(owner, path, { title: 'New', body: '' })).status).toBe(303);
  });

  it("applies one tenant's limits to it alone", async () => {
    const small = await workspace({ items: 0 });
    const other = await workspace({});
    expect((await postForm(other.owner, `/t/${other.tenant.slug}/items`, { title: 'Free', body: '' })).status).toBe(303);
    // The small tenant's owner posting to the other tenant is not a member there: the same 404 as ever.
    expect((await postForm(small.owner, `/t/${other.tenant.slug}/items`, { title: 'Cross', body: '' })).status).toBe(404);
    expect(await itemCount(other.tenant)).toBe(1);
  });
});
