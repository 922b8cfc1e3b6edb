import { makeTenant } from '../../support/factories';
import { makeItem } from '../../support/content';
import { cliTestPlatform } from '../../support/cli-runner';
import { RACY_MS } from '../../../control-plane/usage/tenant-file-stamp';
import { UsageRollupStore } from '../../../control-plane/usage/usage-rollup-store';

describe('tenantry usage rollup', () => {
  const { t, tenantry } = cliTestPlatform({ once: true });

  it('prints its usage and examples', async () => {
    const run = await tenantry(['usage', 'rollup', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: tenantry usage rollup [options]');
    expect(run.stdout).toMatch(/\nExamples:\n {2}\$ tenantry usage rollup/);
  });

  it('rolls up every tenant with progress on stderr, then reads only the changed ones', async () => {
    const acme = await makeTenant(t.platform, 'acme');
    await makeTenant(t.platform, 'globex');
    await makeItem(t.platform, acme);
    // Older than a racy stamp (tenant-file-stamp.ts), so that one roll-up settles them.
    await new Promise((resolve) => setTimeout(resolve, RACY_MS + 10));
    const first = await tenantry(['usage', 'rollup']);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^Rolled up 2 tenants in \d+\.\d\d s: 2 read, 0 recomputed, 0 unchanged; 0 alerts fired\.\n$/);
    expect(first.stderr).toContain('progress: 2/2 tenant files checked');
    expect(new UsageRollupStore(t.platform.db).usesOf(acme.id).find((u) => u.key === 'items')?.used).toBe(1);

    const again = await tenantry(['usage', 'rollup', '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ tenants: 2, opened: 0, unchanged: 2, failed: [], alerts: [] });
  });
});
