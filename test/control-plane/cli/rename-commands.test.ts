import { makeTenant } from '../../support/factories';
import { auditOf } from '../../support/team';
import { cliTestPlatform } from '../../support/cli-runner';

describe('tenantry tenants rename', () => {
  const { t, tenantry } = cliTestPlatform();

  it('renames a tenant and its slug, audited as the operator at the console', async () => {
    const acme = await makeTenant(t.platform, 'acme', 'Acme');
    const run = await tenantry(['tenants', 'rename', 'acme', '--name', 'Acme Corp', '--slug', 'acme-corp']);
    expect(run).toEqual({
      code: 0,
      stdout: 'Tenant acme-corp is now named Acme Corp.\nIts address is /t/acme-corp; /t/acme no longer leads to it.\n',
      stderr: '',
    });
    expect(t.platform.tenants.findById(acme.id)).toMatchObject({ name: 'Acme Corp', slug: 'acme-corp' });
    expect(auditOf(t.platform, 'tenant.rename')).toMatchObject([{ tenant_id: acme.id, actor_user_id: null }]);
    expect((await tenantry(['tenants', 'rename', 'acme-corp', '--name', 'Acme Corp'])).stdout).toBe(
      'Tenant acme-corp already has that name and slug; nothing changed.\n',
    );
    expect(auditOf(t.platform, 'tenant.rename')).toHaveLength(1);
  });

  it('names the option for a slug taken or malformed, and changes nothing', async () => {
    const acme = await makeTenant(t.platform, 'acme', 'Acme');
    await makeTenant(t.platform, 'globex');
    const taken = await tenantry(['tenants', 'rename', 'acme', '--slug', 'globex']);
    expect(taken.code).not.toBe(0);
    expect(taken.stderr).toContain('--slug');
    expect(taken.stderr).toContain('is already taken');
    const bad = await tenantry(['tenants', 'rename', 'acme', '--slug', '../x']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--slug');
    expect(t.platform.tenants.findById(acme.id)).toEqual(acme);
  });

  it('says what it does in its help', async () => {
    const help = await tenantry(['tenants', 'rename', '--help']);
    expect(help.stdout).toContain('tenantry tenants rename acme --slug acme-corp');
    expect(help.stdout).toContain('--name <name>');
  });
});
