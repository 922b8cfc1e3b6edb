import request from 'supertest';
import type { Express } from 'express';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { postForm, signIn, type Agent } from '../../support/http-agent';
import { inTenant, itemSnapshot, makeItem } from '../../support/content';
import { bearer, ownerToken } from '../../support/api-tokens';
import { ItemHistory } from '../../../workspace/items/item-history';
import { TRANSITION_ACTIONS } from '../../../workspace/workflow/transition-table';
import { statusLabel } from '../../../workspace/workflow/item-status';
import type { ItemStatus } from '../../../workspace/workflow/item-status';
import type { ItemRow } from '../../../workspace/items/item-repository';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';

/** A status no release of this code knows: a file from another release, or one edited by hand. */
const UNKNOWN = 'on_hold' as ItemStatus;

describe('statusLabel', () => {
  it('names a known status by its label and an unknown one as it is stored', () => {
    expect(statusLabel('in_review')).toBe('In review');
    expect(statusLabel(UNKNOWN)).toContain('on_hold');
    expect(statusLabel('toString')).toContain('toString');
  });
});

describe('an item whose status this version does not know', () => {
  let t: TestPlatform;
  let app: Express;
  let owner: Agent;
  let outsider: Agent;
  let token: string;
  let studio: TenantRecord;
  let item: ItemRow;
  beforeAll(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    studio = await makeTenant(t.platform, 'studio');
    const other = await makeTenant(t.platform, 'other');
    const user = await makeUser(t.platform);
    const stranger = await makeUser(t.platform);
    await addMember(t.platform, user, studio, 'owner');
    await addMember(t.platform, stranger, other, 'owner');
    item = await makeItem(t.platform, studio, { title: 'Kept from an older release' });
    await inTenant(t.platform, studio, (db) =>
      db.write(() => {
        db.run('update items set status = ? where id = ?', [UNKNOWN, item.id]);
        new ItemHistory(db).record({
          itemId: item.id,
          action: 'edit',
          from: 'draft',
          to: UNKNOWN,
          actor: { id: null, name: 'Import' },
          detail: null,
          note: null,
        });
      }),
    );
    owner = await signIn(app, user.email);
    outsider = await signIn(app, stranger.email);
    token = await ownerToken(t.platform, studio);
  });
  afterAll(() => t.cleanup());

  it('has its page rendered, the status shown as it is stored, in its badge and its history', async () => {
    const page = await owner.get(`/t/studio/items/${item.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<span class="status status-on_hold">on_hold</span>');
    expect(page.text).toContain('Draft → on_hold');
  });

  it('leaves the dashboard rendered, its latest activity naming the status as it is stored', async () => {
    const home = await owner.get('/t/studio');
    expect(home.status).toBe(200);
    expect(home.text).toContain('→ on_hold');
  });

  it.each(TRANSITION_ACTIONS)('answers %s from the item page with a 409 on the page naming the status, and changes nothing', async (action) => {
    const before = await itemSnapshot(t.platform, studio, item.id);
    const res = await postForm(owner, `/t/studio/items/${item.id}/${action}`, { note: 'why', publish_at: '2099-01-01T10:00' }, `/t/studio/items/${item.id}`);
    expect(res.status).toBe(409);
    expect(res.text).toContain('This item is on_hold;');
    expect(await itemSnapshot(t.platform, studio, item.id)).toEqual(before);
  });

  it.each(TRANSITION_ACTIONS)('answers %s through the API with a 409 problem naming the status, and changes nothing', async (action) => {
    const before = await itemSnapshot(t.platform, studio, item.id);
    const res = await request(app)
      .post(`/api/v1/t/studio/items/${item.id}/${action}`)
      .set(bearer(token))
      .send({ note: 'why', publish_at: '2099-01-01T10:00:00Z' });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'conflict', detail: expect.stringContaining('This item is on_hold;') });
    expect(await itemSnapshot(t.platform, studio, item.id)).toEqual(before);
  });

  it('refuses an edit through the API with a 409 naming the status', async () => {
    const res = await request(app).patch(`/api/v1/t/studio/items/${item.id}`).set(bearer(token)).send({ title: 'New title' });
    expect(res.status).toBe(409);
    expect(res.body.detail).toContain('This item is on_hold; it can no longer be edited.');
  });

  it("answers a member of another workspace 404 for the item's steps, by its id", async () => {
    const before = await itemSnapshot(t.platform, studio, item.id);
    const res = await postForm(outsider, `/t/studio/items/${item.id}/archive`, {}, '/t/other/items');
    expect(res.status).toBe(404);
    const own = await postForm(outsider, `/t/other/items/${item.id}/archive`, {}, '/t/other/items');
    expect(own.status).toBe(404);
    expect(await itemSnapshot(t.platform, studio, item.id)).toEqual(before);
  });
});
