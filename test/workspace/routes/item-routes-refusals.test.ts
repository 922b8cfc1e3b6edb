import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { csrfFrom, postForm, signIn, type Agent } from '../../support/http-agent';
import { inTenant, itemSnapshot, makeItem, plantAttachments } from '../../support/content';
import { AttachmentRepository } from '../../../workspace/files/attachment-repository';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import type { ItemRow } from '../../../workspace/items/item-repository';

/** An item action its state does not allow, from the item's page: answered on that page, never on the generic error page. */
describe("an item's refused action", () => {
  let t: TestPlatform;
  let studio: TenantRecord;
  let globex: TenantRecord;
  let owner: Agent;
  let inReview: ItemRow;
  let globexItem: ItemRow;

  beforeEach(async () => {
    t = await createTestPlatform();
    const app = createApp(t.platform).app;
    studio = await makeTenant(t.platform, 'studio');
    globex = await makeTenant(t.platform, 'globex');
    const ownerUser = await makeUser(t.platform);
    await addMember(t.platform, ownerUser, studio, 'owner');
    owner = await signIn(app, ownerUser.email);
    inReview = await makeItem(t.platform, studio, { title: 'Spring launch', status: 'in_review' });
    // Another workspace's item, under an id that is not one of studio's.
    await makeItem(t.platform, globex);
    globexItem = await makeItem(t.platform, globex, { title: 'Globex secret plan', status: 'in_review' });
  });
  afterEach(() => t.cleanup());

  const heading = (item: ItemRow) => `<h1>${item.title}</h1>`;
  const alert = (message: string) => `<div class="alert" role="alert">\n    <p>${message}</p>`;

  it("answers a delete of an item in review (409) on that item's page, saying to archive it first, deleting nothing", async () => {
    const before = await itemSnapshot(t.platform, studio, inReview.id);
    const res = await postForm(owner, `/t/studio/items/${inReview.id}/delete`, { confirmed: 'yes' });
    expect(res.status).toBe(409);
    expect(res.text).toContain(heading(inReview));
    expect(res.text).toContain(alert('Only drafts and archived items can be deleted; archive this item first.'));
    expect(await itemSnapshot(t.platform, studio, inReview.id)).toEqual(before);
  });

  it("answers a step the item's state does not allow (409) on its page, changing nothing", async () => {
    const before = await itemSnapshot(t.platform, studio, inReview.id);
    const res = await postForm(owner, `/t/studio/items/${inReview.id}/publish`, { revision: String(inReview.revision) });
    expect(res.status).toBe(409);
    expect(res.text).toContain(heading(inReview));
    expect(res.text).toContain(alert('This item is in review; “Publish now” does not apply.'));
    expect(await itemSnapshot(t.platform, studio, inReview.id)).toEqual(before);
  });

  it("answers the deletion of a published item's file (409) on the item's page, deleting nothing", async () => {
    const published = await makeItem(t.platform, studio, { title: 'Autumn recap', status: 'published' });
    const fileId = await inTenant(t.platform, studio, (db) => {
      plantAttachments(db, published.id, 1, { id: 'u-1', name: 'Una' }, () => Date.now());
      return new AttachmentRepository(db).listForItem(published.id)[0].id;
    });
    const res = await postForm(owner, `/t/studio/files/${fileId}/delete`, { confirmed: 'yes' });
    expect(res.status).toBe(409);
    expect(res.text).toContain(heading(published));
    expect(res.text).toContain(alert('This item is published; its attachments can no longer change.'));
    expect(await inTenant(t.platform, studio, (db) => new AttachmentRepository(db).listForItem(published.id).map((a) => a.id))).toEqual([fileId]);
  });

  it("shows the workspace's own item page whatever the Referer and the return field name: never another workspace's page, never another site", async () => {
    const _csrf = await csrfFrom(owner, '/tenants');
    const hostile = [
      `/t/globex/items/${globexItem.id}`,
      `https://evil.example/t/globex/items/${globexItem.id}`,
      '//evil.example/t/studio/items',
      `/t/studio/items/${inReview.id}/../../../globex/items/${globexItem.id}`,
    ];
    for (const back of hostile) {
      const res = await owner
        .post(`/t/studio/items/${inReview.id}/delete`)
        .set('Referer', back)
        .type('form')
        .send({ _csrf, confirmed: 'yes', return: back, next: back });
      expect([back, res.status, res.headers.location]).toEqual([back, 409, undefined]);
      expect(res.text).toContain(heading(inReview));
      expect(res.text).not.toContain('evil.example');
      expect(res.text).not.toContain('/t/globex');
      expect(res.text).not.toContain(globexItem.title);
    }
  });

  it("answers 404 to a member acting on another workspace's item, by its id under their own workspace or under the other's slug, changing nothing", async () => {
    const before = await itemSnapshot(t.platform, globex, globexItem.id);
    for (const path of [
      `/t/studio/items/${globexItem.id}/delete`,
      `/t/studio/items/${globexItem.id}/publish`,
      `/t/globex/items/${globexItem.id}/delete`,
      `/t/globex/items/${globexItem.id}/publish`,
    ]) {
      const res = await postForm(owner, path, { confirmed: 'yes', revision: String(globexItem.revision) });
      expect([path, res.status]).toEqual([path, 404]);
      expect(res.text).not.toContain(globexItem.title);
    }
    expect(await itemSnapshot(t.platform, globex, globexItem.id)).toEqual(before);
  });
});
