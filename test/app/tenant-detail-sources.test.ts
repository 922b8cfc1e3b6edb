import fs from 'node:fs';
import path from 'node:path';
import { createTestPlatform, type TestPlatform } from '../support/test-platform';
import { makeTenant, makeUser } from '../support/factories';
import { signIn } from '../support/http-agent';
import { createApp } from '../../app/create-app';
import { BACKUPS_ON_TENANT_PAGE, tenantDetailSources } from '../../app/tenant-detail-sources';
import { backupFleet } from '../../control-plane/backups/backup-fleet';
import { tenantBackupsDir } from '../../control-plane/backups/backup-location';
import type { TenantRecord } from '../../control-plane/tenants/tenant-record';

describe("the tenant console page's backups", () => {
  let t: TestPlatform;
  let acme: TenantRecord;
  const backUp = async () => (await backupFleet(t.platform, { slugs: ['acme'], trigger: 'cli' })).outcomes[0].backupId!;

  beforeEach(async () => {
    t = await createTestPlatform();
    acme = await makeTenant(t.platform, 'acme');
    await makeTenant(t.platform, 'globex');
  });
  afterEach(() => t.cleanup());

  it("are the tenant's own backups from BACKUP_DIR, newest first, as many as the page shows", async () => {
    const ids: string[] = [];
    for (let i = 0; i < BACKUPS_ON_TENANT_PAGE + 1; i++) {
      ids.push(await backUp());
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await backupFleet(t.platform, { slugs: ['globex'], trigger: 'cli' });

    const listed = tenantDetailSources(t.platform).backupsOf!(acme.id);
    expect(listed.map((b) => b.id)).toEqual([...ids].reverse().slice(0, BACKUPS_ON_TENANT_PAGE));
    expect(listed[0]).toMatchObject({ kind: 'manual', note: expect.stringMatching(/^verified/) });
    expect(listed[0].bytes).toBeGreaterThan(0);
  });

  it('say when a backup cannot be restored', async () => {
    const id = await backUp();
    fs.writeFileSync(path.join(tenantBackupsDir(t.config.backupDir, acme.id), id, 'manifest.json'), '{');

    expect(tenantDetailSources(t.platform).backupsOf!(acme.id)).toEqual([expect.objectContaining({ id, note: expect.stringMatching(/^cannot be restored/) })]);
  });

  it('are listed on the page with a link to the backups page', async () => {
    const { app } = createApp(t.platform);
    const admin = await signIn(app, (await makeUser(t.platform, { email: 'root@tenantry.test', superAdmin: true })).email);
    const empty = await admin.get('/admin/tenants/acme');
    expect(empty.text).toContain('No backups yet.');
    expect(empty.text).toContain('href="/admin/tenants/acme/backups"');

    await backUp();
    const page = await admin.get('/admin/tenants/acme');
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('No backups yet.');
    expect(page.text).toContain('manual');
    expect(page.text).toContain('href="/admin/tenants/acme/backups"');
  });
});
