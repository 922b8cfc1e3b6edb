import { makeTenant } from '../../support/factories';
import { auditOf } from '../../support/team';
import { cliTestPlatform } from '../../support/cli-runner';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import { FEATURE_KEYS, LIMIT_KEYS } from '../../../tenant-runtime/plan-catalogue';

describe('tenantry plans and tenants set-plan', () => {
  const { t, tenantry } = cliTestPlatform({ once: true });
  let acme: TenantRecord;
  beforeAll(async () => {
    acme = await makeTenant(t.platform, 'acme');
  });

  it('refuses a plan name with control characters, and never echoes typed control sequences in an error', async () => {
    const named = await tenantry(['plans', 'create', 'esc', '--name', '\u001b[2JAll good']);
    expect(named.code).toBe(2);
    expect(named.stderr).toContain('error: --name must not contain control characters');
    expect(t.platform.plans.findByKey('esc')).toBeUndefined();
    const limit = await tenantry(['tenants', 'set-limits', 'acme', '--limit', '\u001b]0;owned\u0007=1']);
    expect(limit.code).toBe(2);
    expect(limit.stderr).toContain('?]0;owned?=1');
    expect(limit.stderr).not.toContain('\u001b');
    expect(limit.stderr).not.toContain('\u0007');
  });

  it('creates, updates and lists plans, as text or JSON, each change audited', async () => {
    const created = await tenantry([
      'plans',
      'create',
      'starter',
      '--name',
      'Starter',
      '--limit',
      'members=5',
      '--limit',
      'storage_bytes=500MB',
      '--feature',
      'api=off',
      '--json',
    ]);
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({
      key: 'starter',
      default: false,
      limits: { members: 5, storage_bytes: 500 * 1024 * 1024, items: null },
      features: { api: false, csv: true },
    });
    expect((await tenantry(['plans', 'update', 'starter', '--limit', 'members=unlimited', '--feature', 'csv=off'])).code).toBe(0);
    const list = JSON.parse((await tenantry(['plans', 'list', '--json'])).stdout);
    expect(list.map((p: { key: string }) => p.key)).toEqual(['default', 'starter']);
    expect(list[1]).toMatchObject({ limits: { members: null, storage_bytes: 500 * 1024 * 1024 }, features: { api: false, csv: false } });
    expect((await tenantry(['plans', 'show', 'starter'])).stdout).toContain('feature api');
    expect(auditOf(t.platform, 'plan.create')).toMatchObject([{ actor_user_id: null, target_id: 'starter' }]);
    expect(auditOf(t.platform, 'plan.update')).toHaveLength(1);
  });

  it('refuses bad input naming the option and the reason, changing nothing', async () => {
    const bad = await tenantry(['plans', 'create', 'Bad Key', '--name', 'X']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('key');
    const badLimit = await tenantry(['plans', 'update', 'default', '--limit', 'members=lots']);
    expect(badLimit.code).not.toBe(0);
    expect(badLimit.stderr).toContain('--limit members');
    const unknown = await tenantry(['plans', 'update', 'default', '--limit', 'seats=3']);
    expect(unknown.stderr).toContain('--limit');
    expect(t.platform.plans.findDefault().limits.members).toBeNull();
  });

  it('puts a tenant on a plan, sets and clears its overrides; a running server sees it within a second', async () => {
    await tenantry(['plans', 'create', 'pro', '--name', 'Pro', '--limit', 'items=1000']);
    expect(t.platform.planBook.entitlementsOf(acme.id).plan.key).toBe('default');
    expect((await tenantry(['tenants', 'set-plan', 'acme', 'pro'])).stdout).toBe('acme is now on Pro (pro).\n');
    const set = JSON.parse((await tenantry(['tenants', 'set-limits', 'acme', '--limit', 'items=5', '--feature', 'branding=off', '--json'])).stdout);
    expect(set).toMatchObject({ plan: { key: 'pro' }, limits: { items: 5 }, features: { branding: false }, overrides: { limits: { items: 5 } } });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(t.platform.planBook.entitlementsOf(acme.id)).toMatchObject({ plan: { key: 'pro' }, limits: { items: 5 }, features: { branding: false } });
    await tenantry(['tenants', 'clear-limits', 'acme', 'items']);
    expect(t.platform.plans.tenantPlan(acme.id)).toMatchObject({ limitOverrides: {}, featureOverrides: { branding: false } });
    expect(auditOf(t.platform, 'tenant.plan')).toMatchObject([{ tenant_id: acme.id, actor_user_id: null }]);
    expect(auditOf(t.platform, 'tenant.overrides')).toHaveLength(2);
  });

  it.each([
    [['plans', 'create', 'p', '--name', 'P', '--limit', 'members=-1'], 'error: --limit members must be a whole number, or unlimited\n'],
    [['plans', 'create', 'p', '--name', 'P', '--feature', 'api=maybe'], 'error: --feature api must be on or off\n'],
    [
      ['plans', 'update', 'default', '--limit', 'storage_bytes=lots'],
      'error: --limit storage_bytes must be a whole number of bytes (a unit may follow: KB, MB, GB), or unlimited\n',
    ],
    [['tenants', 'set-limits', 'acme', '--feature', 'api=maybe'], 'error: --feature api must be on or off\n'],
  ])('names the option a bad value was given with: %j (exit 2)', async (args, message) => {
    const run = await tenantry(args);
    expect(run).toEqual({ code: 2, stdout: '', stderr: message });
    expect(t.platform.plans.findByKey('p')).toBeUndefined();
  });

  it.each([
    [['tenants', 'set-limits', 'acme', '--limit', 'members='], 'error: --limit members must not be empty (a number, or unlimited)\n'],
    [['plans', 'update', 'default', '--limit', 'members='], 'error: --limit members must not be empty (a number, or unlimited)\n'],
    [['plans', 'update', 'default', '--feature', 'api= '], 'error: --feature api must not be empty (on or off)\n'],
    [['plans', 'update', 'default', '--limit', ''], 'error: --limit must not be empty\n'],
    [['plans', 'update', 'default', '--name', ''], 'error: --name must not be empty\n'],
  ])('refuses an empty value instead of changing nothing: %j (exit 2)', async (args, message) => {
    const before = { plan: t.platform.plans.findDefault(), overrides: t.platform.plans.tenantPlan(acme.id) };
    const run = await tenantry(args);
    expect(run).toEqual({ code: 2, stdout: '', stderr: message });
    expect({ plan: t.platform.plans.findDefault(), overrides: t.platform.plans.tenantPlan(acme.id) }).toEqual(before);
  });

  it('names the keys argument and the known keys when clear-limits is given unknown ones (exit 2)', async () => {
    const run = await tenantry(['tenants', 'clear-limits', 'acme', 'items', 'bogus', 'seats']);
    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr: `error: argument 'keys': unknown limit keys: bogus, seats (known: ${[...LIMIT_KEYS, ...FEATURE_KEYS].join(', ')})\n`,
    });
  });

  it.each([[['plans', 'show']], [['plans', 'set-default']], [['tenants', 'set-plan', 'acme']]])(
    'echoes a 10 KB plan key that names no plan cut to 80 characters: %j (exit 2)',
    async (args) => {
      const run = await tenantry([...args, 'x'.repeat(10240)]);
      expect(run).toEqual({ code: 2, stdout: '', stderr: `error: No plan "${'x'.repeat(79)}…".\n` });
    },
  );

  it('makes a plan the default for new tenants', async () => {
    expect((await tenantry(['plans', 'set-default', 'pro'])).code).toBe(0);
    const fresh = await makeTenant(t.platform, 'fresh');
    expect(t.platform.planBook.entitlementsOf(fresh.id).plan.key).toBe('pro');
  });

  it('records nothing when the default plan is made the default again', async () => {
    expect((await tenantry(['plans', 'set-default', 'pro'])).code).toBe(0);
    const records = auditOf(t.platform, 'plan.default').length;
    const again = await tenantry(['plans', 'set-default', 'pro']);
    expect({ code: again.code, stdout: again.stdout }).toEqual({ code: 0, stdout: expect.stringContaining('(pro)') });
    expect(auditOf(t.platform, 'plan.default')).toHaveLength(records);
  });
});
