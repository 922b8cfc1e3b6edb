import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { signIn, type Agent } from '../../support/http-agent';
import { saveWorkspaceSettings } from '../../support/workspace-settings';
import { createApp } from '../../../app/create-app';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import { shownName } from '../../../control-plane/tenants/shown-name';
import { backupFleet } from '../../../control-plane/backups/backup-fleet';
import { restoreTenant } from '../../../control-plane/backups/restore-tenant';
import { cloneTenant } from '../../../control-plane/transfer/clone-tenant';
import { exportTenant } from '../../../control-plane/transfer/export-tenant';
import { importTenant } from '../../../control-plane/transfer/import-tenant';
import * as brandingModule from '../../../workspace/settings/branding';
import * as tenantSettingsModule from '../../../workspace/settings/tenant-settings';
import { suspendTenant } from '../../../control-plane/lifecycle/suspend-tenant';
import { CLI_OPERATOR } from '../../../control-plane/lifecycle/operator';

describe("the control plane's copies of a workspace's display name and language", () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let acme: TenantRecord;
  let owner: Agent;

  const rename = (displayName: string, language = 'en') => saveWorkspaceSettings(owner, 'acme', { display_name: displayName, language });
  const record = (slug = 'acme') => t.platform.tenants.findBySlug(slug) as TenantRecord;
  /** What the switcher lists for the owner. */
  const switcherNames = () => t.platform.memberships.listTenantsOfUser(ownerId).map((row) => row.name);
  let ownerId: string;

  beforeEach(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    acme = await makeTenant(t.platform, 'acme', 'Acme');
    const ownerUser = await makeUser(t.platform, { email: 'owner@acme.test' });
    ownerId = ownerUser.id;
    await addMember(t.platform, ownerUser, acme, 'owner');
    owner = await signIn(app, ownerUser.email);
    expect((await rename('Acme Studio', 'fr')).status).toBe(303);
    expect(record()).toMatchObject({ display_name: 'Acme Studio', language: 'fr' });
  });
  afterEach(() => {
    jest.restoreAllMocks();
    return t.cleanup();
  });

  it("are never left naming the old display name when a rename is cut off between the tenant's commit and the control plane, and are read from the file on its next open", async () => {
    // The process dies right after the tenant's commit, before the control plane hears of it.
    jest.spyOn(brandingModule, 'forgetBranding').mockImplementationOnce(() => {
      throw new Error('killed');
    });
    expect((await rename('Acme Works')).status).toBe(500);
    expect(shownName(record())).not.toBe('Acme Studio');
    expect(switcherNames()).not.toContain('Acme Studio');
    t.platform.router.closeTenant(acme.id);
    expect((await owner.get('/t/acme/items')).status).toBe(200);
    expect(record()).toMatchObject({ display_name: 'Acme Works', language: 'en' });
    expect(switcherNames()).toEqual(['Acme Works']);
  });

  it("stay as the file holds them when a rename's own write fails and rolls back (an I/O error), not unknown until the file's next open", async () => {
    jest.spyOn(tenantSettingsModule, 'saveTenantSettings').mockImplementationOnce(() => {
      throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' });
    });
    expect((await rename('Acme Works')).status).toBe(500);
    expect(record()).toMatchObject({ display_name: 'Acme Studio', language: 'fr' });
    expect(switcherNames()).toEqual(['Acme Studio']);
  });

  it('that cannot be written when the file opens (a full disk) leave the member served and are filled on a later open', async () => {
    t.platform.tenants.keepSettingsCopies(acme.id, null);
    t.platform.router.closeTenant(acme.id);
    const keep = jest.spyOn(t.platform.tenants, 'keepSettingsCopies').mockImplementationOnce(() => {
      throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    });
    expect((await owner.get('/t/acme/items')).status).toBe(200);
    expect(record().language).toBeNull();
    keep.mockRestore();
    t.platform.router.closeTenant(acme.id);
    expect((await owner.get('/t/acme/items')).status).toBe(200);
    expect(record()).toMatchObject({ display_name: 'Acme Studio', language: 'fr' });
  });

  it('follow a restore of a backup taken before a rename: the name the backup holds, not the one it replaced', async () => {
    const backupId = (await backupFleet(t.platform, { slugs: ['acme'], trigger: 'cli' })).outcomes[0].backupId!;
    expect((await rename('Acme Works')).status).toBe(303);
    expect(switcherNames()).toEqual(['Acme Works']);
    await restoreTenant(t.platform, { slug: 'acme', backupId, actorUserId: null });
    expect(shownName(record())).not.toBe('Acme Works');
    expect((await owner.get('/t/acme/items')).status).toBe(200);
    expect(record()).toMatchObject({ display_name: 'Acme Studio', language: 'fr' });
    expect(switcherNames()).toEqual(['Acme Studio']);
  });

  it('follow a restore of a suspended workspace at once, though nothing opens it', async () => {
    const backupId = (await backupFleet(t.platform, { slugs: ['acme'], trigger: 'cli' })).outcomes[0].backupId!;
    expect((await rename('Acme Works', 'en')).status).toBe(303);
    suspendTenant(t.platform, acme.id, { reason: 'Invoice 2024-117 is unpaid' }, CLI_OPERATOR);
    t.platform.router.closeAll();

    await restoreTenant(t.platform, { slug: 'acme', backupId, actorUserId: null });

    expect(record()).toMatchObject({ status: 'suspended', display_name: 'Acme Studio', language: 'fr' });
    expect(shownName(record())).toBe('Acme Studio');
    expect(t.platform.router.isOpen(acme.id)).toBe(false);
  });

  it("of a clone are its file's, as its own pages show them, once it is active", async () => {
    const { tenant } = await cloneTenant(t.platform, { slug: 'acme', toSlug: 'acme-copy', actorUserId: null, withMembers: true });
    expect(t.platform.tenants.findById(tenant.id)).toMatchObject({ name: 'Acme (copy)', display_name: 'Acme Studio', language: 'fr' });
    const page = await owner.get('/t/acme-copy/items');
    expect(page.text).toContain('Acme Studio');
  });

  it("of an import are its file's, once it is active", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'settings-copies-'));
    try {
      const archive = path.join(dir, 'acme.tar.gz');
      await exportTenant(t.platform, { slug: 'acme', out: archive, actorUserId: null });
      const { tenant } = await importTenant(t.platform, { file: archive, slug: 'acme-imported', actorUserId: null });
      expect(t.platform.tenants.findById(tenant.id)).toMatchObject({ name: 'Acme', display_name: 'Acme Studio', language: 'fr' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
