import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { postForm, signIn, type Agent } from '../../support/http-agent';
import { DAY, HOUR, makeItem } from '../../support/content';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import { mainOf } from '../../support/page-main';
import { withTenantFile } from '../../support/tenant-file';

describe('the tenant dashboard', () => {
  let t: TestPlatform;
  let alpha: TenantRecord;
  let owner: Agent;
  let viewer: Agent;

  beforeAll(async () => {
    t = await createTestPlatform();
    const app = createApp(t.platform).app;
    alpha = await makeTenant(t.platform, 'alpha');
    const bravo = await makeTenant(t.platform, 'bravo');
    const ownerUser = await makeUser(t.platform, { name: 'Olive Owner' });
    await addMember(t.platform, ownerUser, alpha, 'owner');
    owner = await signIn(app, ownerUser.email);
    const viewerUser = await makeUser(t.platform);
    await addMember(t.platform, viewerUser, alpha, 'viewer');
    viewer = await signIn(app, viewerUser.email);
    const now = Date.now();
    await makeItem(t.platform, alpha, { title: 'Tomorrow post', status: 'scheduled', scheduledAt: now + DAY });
    await makeItem(t.platform, alpha, { title: 'Planned draft', status: 'draft', scheduledAt: now + 3 * DAY });
    await makeItem(t.platform, alpha, { title: 'Far future', status: 'scheduled', scheduledAt: now + 20 * DAY });
    await makeItem(t.platform, alpha, { title: 'Already out', status: 'published', scheduledAt: now + 2 * HOUR });
    await makeItem(t.platform, alpha, { title: 'Shelved', status: 'archived', scheduledAt: now + 2 * DAY });
    await makeItem(t.platform, bravo, { title: 'Bravo plan', status: 'scheduled', scheduledAt: now + DAY });
    for (let i = 0; i < 12; i++) {
      const item = await makeItem(t.platform, alpha, { title: `Busy ${i}` });
      await postForm(owner, `/t/alpha/items/${item.id}/comments`, { comment: `note ${i}` });
    }
  });
  afterAll(() => t.cleanup());

  it('counts items by status', async () => {
    const page = await owner.get('/t/alpha');
    expect(page.status).toBe(200);
    const count = (status: string) => Number(new RegExp(`data-status="${status}">(\\d+)<`).exec(page.text)?.[1]);
    expect([count('draft'), count('scheduled'), count('published'), count('archived'), count('in_review')]).toEqual([13, 2, 1, 1, 0]);
    expect(page.text).toContain('17 items in all');
  });

  it('lists the next 14 days of planned and scheduled items, not published, archived or later ones', async () => {
    const page = await owner.get('/t/alpha');
    const agenda = page.text.slice(page.text.indexOf('id="agenda-title"'), page.text.indexOf('id="activity-title"'));
    expect(agenda).toContain('Tomorrow post');
    expect(agenda).toContain('Planned draft');
    expect(agenda.indexOf('Tomorrow post')).toBeLessThan(agenda.indexOf('Planned draft'));
    for (const absent of ['Far future', 'Already out', 'Shelved', 'Bravo plan']) expect(agenda).not.toContain(absent);
  });

  it('shows the last 10 history entries, newest first', async () => {
    const page = await viewer.get('/t/alpha');
    const activity = page.text.slice(page.text.indexOf('id="activity-title"'));
    const entries = [...activity.matchAll(/>(Busy \d+)</g)].map((m) => m[1]);
    expect(entries).toEqual(['Busy 11', 'Busy 10', 'Busy 9', 'Busy 8', 'Busy 7', 'Busy 6', 'Busy 5', 'Busy 4', 'Busy 3', 'Busy 2']);
    expect(activity).toContain('Olive Owner');
    expect(page.text).not.toContain('Bravo plan');
  });

  it('shows a viewer no buttons', async () => {
    const page = await viewer.get('/t/alpha');
    expect(mainOf(page.text)).not.toMatch(/<button|class="button"/);
  });
});

describe('the tenant dashboard of a file holding a status the code does not know (edited by hand)', () => {
  let t: TestPlatform;
  let owner: Agent;
  let odd: number;

  beforeAll(async () => {
    t = await createTestPlatform();
    const app = createApp(t.platform).app;
    const alpha = await makeTenant(t.platform, 'alpha');
    const user = await makeUser(t.platform);
    await addMember(t.platform, user, alpha, 'owner');
    owner = await signIn(app, user.email);
    await makeItem(t.platform, alpha, { title: 'Fine' });
    odd = (await makeItem(t.platform, alpha, { title: 'Odd' })).id;
    await makeItem(t.platform, alpha, { title: 'Odder' });
    withTenantFile(t, 'alpha', (db) => {
      db.prepare("update items set status = 'bogus<b>' where id = ?").run(odd);
      db.prepare("update items set status = 'constructor' where title = 'Odder'").run();
    });
  });
  afterAll(() => t.cleanup());

  it('counts its items in the total the items list shows, with no card of their own', async () => {
    const home = await owner.get('/t/alpha');
    const list = await owner.get('/t/alpha/items');

    expect(home.status).toBe(200);
    expect(home.text).toContain('3 items in all');
    expect(list.text).toContain('3 items');
    expect(home.text).toMatch(/data-status="draft">1</);
    expect(home.text).not.toContain('data-status="bogus');
  });

  it('shows such a status as it is, escaped, in the items list and on the item, instead of failing them', async () => {
    for (const path of ['/t/alpha/items', `/t/alpha/items/${odd}`]) {
      const page = await owner.get(path);
      expect(page.status).toBe(200);
      expect(page.text).toContain('bogus&lt;b&gt;');
      expect(page.text).not.toContain('bogus<b>');
    }
    expect((await owner.get('/t/alpha/items')).text).toContain('>constructor</span>');
  });
});
