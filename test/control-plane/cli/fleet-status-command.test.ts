import { makeTenant } from '../../support/factories';
import { formatUtcTime } from '../../../core/time/utc-time';
import { cliTestPlatform } from '../../support/cli-runner';
import * as fleetTenantStates from '../../../control-plane/fleet/fleet-tenant-states';
import * as fleetHistory from '../../../control-plane/fleet/fleet-history';
import { loadFleetPage } from '../../../control-plane/pages/fleet-page';

describe('tenantry tenants fleet-status', () => {
  const { t, tenantry } = cliTestPlatform();

  beforeEach(async () => {
    const acme = await makeTenant(t.platform, 'acme');
    await makeTenant(t.platform, 'globex');
    t.platform.health.reportDamaged(acme.id, 'file is not a database', 'a request');
    t.platform.router.closeAll();
  });
  afterEach(() => jest.restoreAllMocks());

  it("prints the fleet's counts without reading the fleet page's list of tenants or its recent runs", async () => {
    const tenantPage = jest.spyOn(fleetTenantStates, 'fleetTenantPage');
    const fleetRuns = jest.spyOn(fleetHistory, 'recentFleetRuns');
    const counts = jest.spyOn(fleetTenantStates, 'fleetCounts');

    const text = await tenantry(['tenants', 'fleet-status']);
    const json = await tenantry(['tenants', 'fleet-status', '--json']);

    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^migrations {2}latest \S+: 2 current, 0 behind, 0 failed$/m);
    expect(text.stdout).toMatch(/^backups {5}no schedule \(BACKUP_SCHEDULE unset\); 0 failed, 2 older than two days or missing$/m);
    expect(text.stderr).toContain('attention: 1 damaged tenant(s)');
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      damaged: 1,
      migrations: { current: 2, behind: 0, failed: 0 },
      backups: { schedule: null, failed: 0, prune_failed: 0, stale: 2, last_run: null },
    });
    expect(counts).toHaveBeenCalledTimes(2);
    expect(tenantPage).not.toHaveBeenCalled();
    expect(fleetRuns).not.toHaveBeenCalled();

    // The page still lists its tenants through the same functions.
    expect(loadFleetPage(t.platform).rows).toHaveLength(2);
    expect(tenantPage).toHaveBeenCalledTimes(1);
  });

  it("names the time zone the schedule is read in, the server's, beside its next run in UTC", async () => {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const env = { BACKUP_SCHEDULE: '15 3 * * *' };
    const text = await tenantry(['tenants', 'fleet-status'], { env });
    const json = await tenantry(['tenants', 'fleet-status', '--json'], { env });
    const { backups } = JSON.parse(json.stdout) as { backups: { next_run: string } };

    expect(backups).toMatchObject({
      schedule: '15 3 * * *',
      schedule_time_zone: zone,
      next_run: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00\.000Z$/),
    });
    // Said to a person as every other line and page says a time: day, minute, UTC; the JSON keeps ISO.
    expect(text.stdout).toContain(`backups     schedule "15 3 * * *" in ${zone} (server time zone), next ${formatUtcTime(Date.parse(backups.next_run))};`);
    expect(text.stdout).toMatch(/next \d{4}-\d\d-\d\d \d\d:\d\d UTC;/);
  });
});
