import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeTenant } from '../../support/factories';
import { LifecycleSweep } from '../../../control-plane/lifecycle/lifecycle-sweep';
import { suspendTenant } from '../../../control-plane/lifecycle/suspend-tenant';
import { CLI_OPERATOR } from '../../../control-plane/lifecycle/operator';
import { DiskUsageSamples } from '../../../control-plane/lifecycle/disk-usage';

describe('the lifecycle sweep (the server timer)', () => {
  let t: TestPlatform;
  beforeEach(async () => {
    t = await createTestPlatform();
  });
  afterEach(() => t.cleanup());

  it('resumes a suspension whose end date has come and samples the disk, on each pass', async () => {
    const acme = await makeTenant(t.platform, 'acme');
    const globex = await makeTenant(t.platform, 'globex');
    suspendTenant(t.platform, acme.id, { reason: 'Maintenance', until: '2099-01-01' }, CLI_OPERATOR);
    suspendTenant(t.platform, globex.id, { reason: 'Unpaid' }, CLI_OPERATOR);
    t.platform.db.run('update tenants set status_until = ? where id = ?', [Date.now() - 1, acme.id]);
    const sweep = new LifecycleSweep(t.platform, { intervalMs: 60_000 });
    await sweep.tick();
    expect(t.platform.tenants.findById(acme.id)?.status).toBe('active');
    expect(t.platform.tenants.findById(globex.id)?.status).toBe('suspended');
    expect(new DiskUsageSamples(t.platform.db).latest()?.live_bytes).toBeGreaterThan(0);
    await sweep.stop();
  });

  it('samples the disk again when its interval has passed, even when the clock was set back an hour since the last sample', async () => {
    const samples = () => t.platform.db.get<{ n: number }>('select count(*) as n from disk_usage_samples')!.n;
    const sweep = new LifecycleSweep(t.platform, { diskSampleEveryMs: 50 });
    await sweep.tick();
    expect(samples()).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 80));
    const hourAgo = Date.now() - 3600_000;
    jest.spyOn(Date, 'now').mockReturnValue(hourAgo);
    try {
      await sweep.tick();
    } finally {
      jest.restoreAllMocks();
    }
    expect(samples()).toBe(2);
  });

  it('joins a pass still running instead of starting a second one', async () => {
    const sweep = new LifecycleSweep(t.platform);
    const first = sweep.tick();
    expect(sweep.tick()).toBe(first);
    await first;
  });
});
