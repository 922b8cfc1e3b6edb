import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { postForm, signIn, type Agent } from '../../support/http-agent';
import { makeItem, postMultipart } from '../../support/content';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import type { UserRecord } from '../../../control-plane/users/user-record';

/** What members do to the workspace's content lands in its audit trail, with who and from where. */
describe("the workspace's audit trail", () => {
  let t: TestPlatform;
  let tenant: TenantRecord;
  let owner: Agent;
  let ownerUser: UserRecord;

  beforeEach(async () => {
    t = await createTestPlatform();
    tenant = await makeTenant(t.platform, 'studio');
    ownerUser = await makeUser(t.platform);
    await addMember(t.platform, ownerUser, tenant, 'owner');
    owner = await signIn(createApp(t.platform).app, ownerUser.email);
  });
  afterEach(() => t.cleanup());

  const events = (action: string) =>
    t.platform.db.all<{ tenant_id: string; actor_user_id: string; target_id: string | null; before: string | null; after: string | null }>(
      'select tenant_id, actor_user_id, target_id, before, after from audit_events where action = ? order by id',
      [action],
    );

  it('records each workflow step with the status before and after', async () => {
    const item = await makeItem(t.platform, tenant);
    expect((await postForm(owner, `/t/studio/items/${item.id}/submit`, {})).status).toBe(303);
    expect(events('item.submit')).toEqual([
      {
        tenant_id: tenant.id,
        actor_user_id: ownerUser.id,
        target_id: String(item.id),
        before: JSON.stringify({ status: 'draft' }),
        after: JSON.stringify({ status: 'in_review' }),
      },
    ]);
  });

  it('records a deleted draft with its title', async () => {
    const item = await makeItem(t.platform, tenant, { title: 'Gone soon' });
    expect((await postForm(owner, `/t/studio/items/${item.id}/delete`, { confirmed: 'yes' })).status).toBe(303);
    expect(events('item.delete')).toEqual([
      expect.objectContaining({ target_id: String(item.id), before: JSON.stringify({ title: 'Gone soon', status: 'draft' }) }),
    ]);
  });

  it('records a CSV import with its counts, and a CSV export with its filters', async () => {
    const csv = 'Title,Body\nOne,a\nTwo,b\n';
    const res = await postMultipart(owner, '/t/studio/items/import/commit', { csv, map_title: '0', map_body: '1', on_duplicate: 'skip' });
    expect(res.status).toBe(303);
    expect(JSON.parse(events('items.import')[0]?.after ?? '{}')).toMatchObject({ rows: 2, create: 2, update: 0, skip: 0 });
    expect((await owner.get('/t/studio/items.csv?channel=blog')).status).toBe(200);
    expect(JSON.parse(events('items.export')[0]?.after ?? '{}')).toEqual({ filter: { channel: 'blog' } });
  });

  it('records nothing for a refused step', async () => {
    const item = await makeItem(t.platform, tenant, { status: 'published' });
    expect((await postForm(owner, `/t/studio/items/${item.id}/submit`, {})).status).toBe(409);
    expect(events('item.submit')).toEqual([]);
  });
});
