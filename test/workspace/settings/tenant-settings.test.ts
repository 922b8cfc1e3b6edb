import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeTenant } from '../../support/factories';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import { DEFAULT_ACCENT, loadTenantSettings, saveTenantSettings } from '../../../workspace/settings/tenant-settings';
import { forgetBranding, workspaceBranding } from '../../../workspace/settings/branding';
import { withTenantDb } from '../files/file-fixtures';
import { UNLIMITED } from '../../../tenant-runtime/plan-catalogue';

describe('tenant settings', () => {
  let t: TestPlatform;
  let tenant: TenantRecord;

  beforeEach(async () => {
    t = await createTestPlatform();
    tenant = await makeTenant(t.platform, 'acme', 'Acme Inc');
  });
  afterEach(() => t.cleanup());

  it('start from the display name seeded at provisioning and sensible defaults', async () => {
    expect(await withTenantDb(t.platform, tenant, (db) => loadTenantSettings(db, 'fallback'))).toEqual({
      displayName: 'Acme Inc',
      accentColor: DEFAULT_ACCENT,
      timeZone: 'UTC',
      language: 'en',
      logo: null,
      revision: 1,
    });
  });

  it('fall back to defaults for values that are unreadable or no longer valid', async () => {
    const settings = await withTenantDb(t.platform, tenant, (db) => {
      const put = (key: string, value: string) =>
        db.run('insert into settings (key, value, updated_at) values (?, ?, 0) on conflict(key) do update set value = excluded.value', [key, value]);
      put('accent_color', JSON.stringify('red;}</style><script>'));
      put('time_zone', JSON.stringify('Nowhere/City'));
      put('language', '{not json');
      put('logo', JSON.stringify({ file: '../../platform.sqlite', contentType: 'image/png', size: 1, sha256: 'x' }));
      return loadTenantSettings(db, 'fallback');
    });
    expect(settings).toMatchObject({ accentColor: DEFAULT_ACCENT, timeZone: 'UTC', language: 'en', logo: null });
  });

  it('are cached per handle for the header, and re-read once changed through saveTenantSettings callers', async () => {
    await withTenantDb(t.platform, tenant, (db) => {
      const branding = () =>
        workspaceBranding({ db, tenant: { ...tenant, name: 'x' }, url: (path = '') => `/t/acme${path}`, can: () => true, entitlements: UNLIMITED });
      expect(branding().displayName).toBe('Acme Inc');
      saveTenantSettings(db, { displayName: 'Renamed' });
      // Still cached: the routes drop the cache after saving.
      expect(branding().displayName).toBe('Acme Inc');
      forgetBranding(db);
      expect(branding().displayName).toBe('Renamed');
    });
  });
});
