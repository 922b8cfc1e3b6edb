import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeTenant } from '../../support/factories';
import { inTenant } from '../../support/content';
import { auditOf, changeCount } from '../../support/team';
import slugs from '../../fixtures/tenant-slugs.json';
import { renameTenant } from '../../../control-plane/tenants/rename-tenant';
import { CLI_OPERATOR } from '../../../control-plane/audit/operator';
import { suspendTenant } from '../../../control-plane/lifecycle/suspend-tenant';
import { archiveTenant } from '../../../control-plane/lifecycle/archive-tenant';
import { CLI_OPERATOR as LIFECYCLE_CLI } from '../../../control-plane/lifecycle/operator';
import { loadTenantSettings, saveTenantSettings } from '../../../workspace/settings/tenant-settings';
import { AppError } from '../../../core/errors/app-errors';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';

describe('renaming a tenant', () => {
  let t: TestPlatform;
  let acme: TenantRecord;
  let globex: TenantRecord;
  beforeEach(async () => {
    t = await createTestPlatform();
    acme = await makeTenant(t.platform, 'acme', 'Acme');
    globex = await makeTenant(t.platform, 'globex', 'Globex');
  });
  afterEach(() => t.cleanup());

  const rename = (tenant: TenantRecord, input: unknown, revision?: number) => renameTenant(t.platform, tenant.id, input, CLI_OPERATOR, { revision });
  const refusal = async (work: Promise<unknown>) => {
    try {
      await work;
    } catch (error) {
      return error as AppError;
    }
    throw new Error('it was not refused');
  };
  const ownName = (tenant: TenantRecord) => inTenant(t.platform, tenant, (db) => loadTenantSettings(db, '').displayName);
  const setOwnName = async (tenant: TenantRecord, name: string) => {
    await inTenant(t.platform, tenant, (db) => saveTenantSettings(db, { displayName: name }));
    t.platform.tenants.keepSettingsCopies(tenant.id, { displayName: name, language: 'en' });
  };

  it('changes the name and the slug, frees the old slug and leaves another tenant as it was', async () => {
    const { tenant, changed } = await rename(acme, { name: 'Acme Corp', slug: 'acme-corp' });
    expect(changed).toBe(true);
    expect(tenant).toMatchObject({ id: acme.id, name: 'Acme Corp', slug: 'acme-corp' });
    // Provisioning wrote the creation's name as the workspace's own display name: it follows.
    expect(await ownName(tenant)).toBe('Acme Corp');
    expect(t.platform.tenants.findBySlug('acme')).toBeUndefined();
    expect(t.platform.access.tenantBySlug('acme')).toBeUndefined();
    expect(t.platform.access.tenantBySlug('acme-corp')?.id).toBe(acme.id);
    expect(t.platform.tenants.findById(globex.id)).toEqual(globex);
    // The old slug is free to be taken again.
    expect((await makeTenant(t.platform, 'acme', 'New Acme')).id).not.toBe(acme.id);
  });

  it('finds the tenant under a new slug that was asked for (and cached as unknown) before the rename', async () => {
    expect(t.platform.access.tenantBySlug('acme-corp')).toBeUndefined();
    await rename(acme, { slug: 'acme-corp' });
    expect(t.platform.access.tenantBySlug('acme-corp')?.id).toBe(acme.id);
  });

  it('records tenant.rename with the name, slug and own display name before and after', async () => {
    await setOwnName(acme, 'Acme Studio');
    await rename(acme, { name: 'Acme Corp', slug: 'acme-corp' });
    const [record] = auditOf(t.platform, 'tenant.rename');
    expect(record).toMatchObject({ tenant_id: acme.id, target_id: acme.id });
    expect(JSON.parse(record.before as string)).toEqual({ name: 'Acme', slug: 'acme', display_name: 'Acme Studio' });
    expect(JSON.parse(record.after as string)).toEqual({ name: 'Acme Corp', slug: 'acme-corp', display_name: 'Acme Corp' });
  });

  it("replaces the workspace's own display name in its file and the control plane's copy, raising the settings' revision", async () => {
    await setOwnName(acme, 'Acme Studio');
    const revision = await inTenant(t.platform, acme, (db) => loadTenantSettings(db, '').revision);
    await rename(acme, { name: 'Acme Corp' });
    expect(await ownName(acme)).toBe('Acme Corp');
    expect(await inTenant(t.platform, acme, (db) => loadTenantSettings(db, '').revision)).toBe(revision + 1);
    expect(t.platform.tenants.findById(acme.id)).toMatchObject({ name: 'Acme Corp', display_name: 'Acme Corp', language: 'en' });
  });

  it("writes no display name into a workspace whose file holds none (it goes by the super admin's name)", async () => {
    await inTenant(t.platform, acme, (db) => saveTenantSettings(db, { displayName: null as unknown as string }));
    t.platform.tenants.keepSettingsCopies(acme.id, { displayName: null, language: 'en' });
    await rename(acme, { name: 'Acme Corp' });
    expect(await ownName(acme)).toBe('');
    expect(t.platform.tenants.findById(acme.id)?.display_name ?? null).toBeNull();
  });

  it('completes the display name when the same rename is sent again after the file was not written', async () => {
    await setOwnName(acme, 'Acme Studio');
    jest.spyOn(t.platform.workspaceOwnName!, 'replace').mockRejectedValueOnce(new Error('cut off'));
    await expect(rename(acme, { name: 'Acme Corp' })).rejects.toThrow('cut off');
    expect(await ownName(acme)).toBe('Acme Studio');
    await rename(acme, { name: 'Acme Corp' });
    expect(await ownName(acme)).toBe('Acme Corp');
  });

  it('answers a rename that changes nothing as done and writes nothing, even on an older revision', async () => {
    const first = await rename(acme, { name: 'Acme Corp', slug: 'acme-corp' }, acme.updated_at);
    const before = changeCount(t.platform);
    const again = await rename(acme, { name: 'Acme Corp', slug: 'acme-corp' }, acme.updated_at);
    expect(again).toEqual({ tenant: first.tenant, changed: false });
    expect(changeCount(t.platform)).toBe(before);
    expect(auditOf(t.platform, 'tenant.rename')).toHaveLength(1);
  });

  it('refuses a change made on a revision that is no longer current (409), changing nothing', async () => {
    await rename(acme, { name: 'Acme Corp' }, acme.updated_at);
    const error = await refusal(rename(acme, { name: 'Acme Two' }, acme.updated_at));
    expect(error).toMatchObject({ status: 409, code: 'revision_conflict' });
    expect(t.platform.tenants.findById(acme.id)?.name).toBe('Acme Corp');
  });

  it('refuses a slug another tenant holds (400 naming slug), changing nothing', async () => {
    const error = await refusal(rename(acme, { name: 'Acme Corp', slug: 'globex' }));
    expect(error).toMatchObject({ status: 400, fields: [{ field: 'slug', message: 'is already taken' }] });
    expect(t.platform.tenants.findById(acme.id)).toMatchObject({ name: 'Acme', slug: 'acme' });
    expect(auditOf(t.platform, 'tenant.rename')).toHaveLength(0);
  });

  it("refuses every bad slug of the corpus with the creation's reasons, and a bad or missing name", async () => {
    for (const slug of [...slugs.bad, 42, null]) {
      const error = await refusal(rename(acme, { slug }));
      expect(error).toMatchObject({ status: 400, fields: [expect.objectContaining({ field: 'slug' })] });
    }
    for (const name of ['', '   ', 'a\u0000b', 'x'.repeat(201), 7]) {
      expect(await refusal(rename(acme, { name }))).toMatchObject({ status: 400, fields: [expect.objectContaining({ field: 'name' })] });
    }
    expect(await refusal(rename(acme, {}))).toMatchObject({ status: 400, fields: [expect.objectContaining({ field: 'name' })] });
    expect(t.platform.tenants.findById(acme.id)).toMatchObject({ name: 'Acme', slug: 'acme', updated_at: acme.updated_at });
  });

  it('renames a suspended tenant and closes the handle it opened for it', async () => {
    await setOwnName(acme, 'Acme Studio');
    suspendTenant(t.platform, acme.id, { reason: 'unpaid' }, LIFECYCLE_CLI);
    await rename(acme, { name: 'Acme Corp', slug: 'acme-corp' });
    expect(t.platform.tenants.findById(acme.id)).toMatchObject({ status: 'suspended', slug: 'acme-corp', display_name: 'Acme Corp' });
    expect(t.platform.router.isOpen(acme.id)).toBe(false);
  });

  it('refuses to rename an archived tenant (409): its files are out of the live tree', async () => {
    await archiveTenant(t.platform, acme.id, { confirm: 'acme' }, LIFECYCLE_CLI);
    expect(await refusal(rename(acme, { name: 'Acme Corp' }))).toMatchObject({ status: 409 });
    expect(t.platform.tenants.findById(acme.id)).toMatchObject({ name: 'Acme', slug: 'acme' });
  });
});
