import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeTenant } from '../../support/factories';
import { inTenant, makeItem } from '../../support/content';
import { dashboardData } from '../../../workspace/dashboard/dashboard-data';
import { zonedClock } from '../../../core/time/zoned-clock';
import { plansOf } from '../../support/query-plans';

describe('the dashboard agenda', () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await createTestPlatform();
  });
  afterAll(() => t.cleanup());

  it('holds today and the 13 days after it in the workspace zone, never a fifteenth calendar day', async () => {
    const tenant = await makeTenant(t.platform, 'kiribati');
    const clock = zonedClock('Pacific/Kiritimati');
    // 23:00 on 31 December in a zone 14 hours ahead of UTC.
    const now = clock.parse('2031-12-31 23:00') as number;
    await makeItem(t.platform, tenant, { title: 'Last of the fourteen', status: 'scheduled', scheduledAt: clock.parse('2032-01-13 23:30') as number });
    await makeItem(t.platform, tenant, { title: 'A fifteenth day', status: 'scheduled', scheduledAt: clock.parse('2032-01-14 22:30') as number });
    const agenda = await inTenant(t.platform, tenant, (db) => dashboardData(db, clock, now).agenda);
    expect(agenda.map((day) => [day.day, day.items.map((i) => i.title)])).toEqual([['2032-01-13', ['Last of the fourteen']]]);
  });
});

describe("the dashboard agenda's read", () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await createTestPlatform();
  });
  afterAll(() => t.cleanup());

  it('finds the items planned in its days from the planned-time index, without reading every item', async () => {
    const tenant = await makeTenant(t.platform, 'acme');
    await makeItem(t.platform, tenant, { title: 'Planned', status: 'scheduled', scheduledAt: Date.parse('2031-03-02T09:00:00Z') });
    await makeItem(t.platform, tenant, { title: 'Unplanned' });
    let titles: string[] = [];
    const plans = await inTenant(t.platform, tenant, (db) =>
      plansOf(db, () => {
        titles = dashboardData(db, zonedClock('UTC'), Date.parse('2031-03-01T00:00:00Z')).agenda.flatMap((day) => day.items.map((i) => i.title));
      }),
    );
    expect(titles).toEqual(['Planned']);
    const agenda = plans.find((p) => /scheduled_at >= \?/.test(p.sql));
    expect(agenda?.plan).toMatch(/USING INDEX items_scheduled_at_index \(scheduled_at>\? AND scheduled_at<\?\)/);
    expect(agenda?.plan).not.toMatch(/TEMP B-TREE/);
  });
});
