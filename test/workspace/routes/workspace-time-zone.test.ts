import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { postForm, signIn, type Agent } from '../../support/http-agent';
import { inTenant, itemSnapshot, makeItem, postMultipart, tenantContent } from '../../support/content';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import { saveTenantSettings } from '../../../workspace/settings/tenant-settings';

/** A workspace in Paris: times are shown, typed and imported there, and stored as the instant they mean. */
describe("the workspace's time zone", () => {
  let t: TestPlatform;
  let tenant: TenantRecord;
  let owner: Agent;
  const WINTER_0930Z = Date.UTC(2031, 2, 1, 9, 30);

  beforeEach(async () => {
    t = await createTestPlatform();
    tenant = await makeTenant(t.platform, 'paris');
    await inTenant(t.platform, tenant, (db) => saveTenantSettings(db, { timeZone: 'Europe/Paris' }));
    const user = await makeUser(t.platform);
    await addMember(t.platform, user, tenant, 'owner');
    owner = await signIn(createApp(t.platform).app, user.email);
  });
  afterEach(() => t.cleanup());

  it('reads a typed planned time in the zone and shows it back there, with the zone', async () => {
    const res = await postForm(owner, '/t/paris/items', { title: 'Launch', scheduled_at: '2031-03-01T10:30' });
    expect(res.status).toBe(303);
    const id = Number(/items\/(\d+)$/.exec(res.headers.location)?.[1]);
    expect((await itemSnapshot(t.platform, tenant, id)).item?.scheduled_at).toBe(WINTER_0930Z);
    const page = await owner.get(`/t/paris/items/${id}`);
    expect(page.text).toContain('2031-03-01 10:30 CET');
    expect(page.text).toContain('value="2031-03-01T10:30"');
    expect(page.text).toContain('Planned publishing time (Europe/Paris)');
    expect((await owner.get('/t/paris/items')).text).toContain('2031-03-01 10:30 CET');
  });

  it('schedules at a time typed in the zone', async () => {
    const item = await makeItem(t.platform, tenant, { status: 'approved' });
    const res = await postForm(owner, `/t/paris/items/${item.id}/schedule`, { publish_at: '2031-07-01T10:00' });
    expect(res.status).toBe(303);
    expect((await itemSnapshot(t.platform, tenant, item.id)).item).toMatchObject({ status: 'scheduled', scheduled_at: Date.UTC(2031, 6, 1, 8, 0) });
  });

  describe('a planned time the form sends back as the page showed it', () => {
    // 02:30 on the night the clocks go back, the second time round (CET), and a time with seconds (set through the API).
    const SECOND_0230 = Date.UTC(2031, 9, 26, 1, 30);
    const WITH_SECONDS = Date.UTC(2031, 2, 1, 9, 30, 15);

    it.each([
      ['in the second run of the repeated hour', SECOND_0230, '2031-10-26T02:30'],
      ['with seconds', WITH_SECONDS, '2031-03-01T10:30'],
    ])('keeps its instant, %s, when the item is saved for another field', async (_case, at, shown) => {
      const item = await makeItem(t.platform, tenant, { title: 'Night', scheduledAt: at });
      const page = await owner.get(`/t/paris/items/${item.id}`);
      expect(page.text).toContain(`value="${shown}"`);
      const res = await postForm(owner, `/t/paris/items/${item.id}`, { title: 'Night shift', scheduled_at: shown });
      expect(res.status).toBe(303);
      expect((await itemSnapshot(t.platform, tenant, item.id)).item).toMatchObject({ title: 'Night shift', scheduled_at: at });
    });

    it('keeps its instant when the item is scheduled with the time the page filled in', async () => {
      const item = await makeItem(t.platform, tenant, { status: 'approved', scheduledAt: SECOND_0230 });
      const res = await postForm(owner, `/t/paris/items/${item.id}/schedule`, { publish_at: '2031-10-26T02:30' });
      expect(res.status).toBe(303);
      expect((await itemSnapshot(t.platform, tenant, item.id)).item).toMatchObject({ status: 'scheduled', scheduled_at: SECOND_0230 });
    });

    it('is read in the zone once it is changed to another time, the repeated hour as its first run', async () => {
      const item = await makeItem(t.platform, tenant, { title: 'Night', scheduledAt: SECOND_0230 });
      await postForm(owner, `/t/paris/items/${item.id}`, { title: 'Night', scheduled_at: '2031-10-26T02:45' });
      expect((await itemSnapshot(t.platform, tenant, item.id)).item?.scheduled_at).toBe(Date.UTC(2031, 9, 26, 0, 45));
    });
  });

  it('refuses a time the clocks skip, naming the field and the zone', async () => {
    const res = await postForm(owner, '/t/paris/items', { title: 'Gap', scheduled_at: '2031-03-30T02:30' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('in Europe/Paris');
    expect((await tenantContent(t.platform, tenant)).items).toEqual([]);
  });

  it('imports CSV times in the zone unless the cell carries an offset', async () => {
    const csv = 'Title,When\nLocal,2031-03-01 10:30\nExplicit,2031-03-01T10:30Z\n';
    const res = await postMultipart(owner, '/t/paris/items/import/commit', { csv, map_title: '0', map_scheduled_at: '1', on_duplicate: 'skip' });
    expect(res.status).toBe(303);
    const items = (await tenantContent(t.platform, tenant)).items as Array<{ title: string; scheduled_at: number }>;
    expect(Object.fromEntries(items.map((i) => [i.title, i.scheduled_at]))).toEqual({ Local: WINTER_0930Z, Explicit: Date.UTC(2031, 2, 1, 10, 30) });
  });

  it('groups the dashboard agenda by the day in the zone', async () => {
    const lateEvening = Date.now() + 3 * 24 * 3600 * 1000;
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date(lateEvening));
    await makeItem(t.platform, tenant, { title: 'Soon', status: 'scheduled', scheduledAt: lateEvening });
    const page = await owner.get('/t/paris');
    expect(page.text).toContain('Times in Europe/Paris');
    expect(page.text).toContain(new Date(`${day}T00:00:00Z`).toLocaleDateString('en-GB', { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }));
  });

  it("shows the workspace's audit trail in the zone", async () => {
    const item = await makeItem(t.platform, tenant);
    await postForm(owner, `/t/paris/items/${item.id}/submit`, {});
    const page = await owner.get('/t/paris/audit?action=item.submit');
    expect(page.text).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2} (CET|CEST)/);
  });
});
