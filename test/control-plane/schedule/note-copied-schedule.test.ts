import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeTenant } from '../../support/factories';
import { HOUR, itemSnapshot, makeItem } from '../../support/content';
import { backupFleet } from '../../../control-plane/backups/backup-fleet';
import { restoreTenant } from '../../../control-plane/backups/restore-tenant';
import { cloneTenant } from '../../../control-plane/transfer/clone-tenant';
import { PublishScheduler } from '../../../workspace/scheduler/publish-scheduler';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';

/** Scheduled items in data that came from elsewhere: a restored backup, a clone. */
describe('scheduled items in a tenant made from existing data', () => {
  let t: TestPlatform;
  let acme: TenantRecord;
  let now: number;
  let scheduler: PublishScheduler;

  beforeEach(async () => {
    t = await createTestPlatform();
    acme = await makeTenant(t.platform, 'acme');
    now = Date.now();
    scheduler = new PublishScheduler(t.platform, { now: () => now });
  });
  afterEach(async () => {
    await scheduler.stop();
    await t.cleanup();
  });

  it('are published once their time has come after the tenant is restored from a backup taken before they went out', async () => {
    const item = await makeItem(t.platform, acme, { status: 'scheduled', scheduledAt: now + HOUR });
    t.platform.scheduleHints.noteDue(acme.id, now + HOUR);
    const backupId = (await backupFleet(t.platform, { slugs: ['acme'], trigger: 'cli' })).outcomes[0].backupId!;
    now += 2 * HOUR;
    await scheduler.tick();
    expect((await itemSnapshot(t.platform, acme, item.id)).item?.status).toBe('published');
    expect(t.platform.scheduleHints.get(acme.id)).toBeUndefined();

    await restoreTenant(t.platform, { slug: 'acme', backupId, actorUserId: null });
    expect((await itemSnapshot(t.platform, acme, item.id)).item?.status).toBe('scheduled');
    await scheduler.tick();
    expect((await itemSnapshot(t.platform, acme, item.id)).item?.status).toBe('published');
  });

  it('are published in a clone at their time, as in the source', async () => {
    const item = await makeItem(t.platform, acme, { status: 'scheduled', scheduledAt: now + HOUR });
    t.platform.scheduleHints.noteDue(acme.id, now + HOUR);
    const { tenant: copy } = await cloneTenant(t.platform, { slug: 'acme', toSlug: 'acme-copy', actorUserId: null });
    expect(t.platform.scheduleHints.get(copy.id)).toBe(now + HOUR);
    now += 2 * HOUR;
    await scheduler.tick();
    expect((await itemSnapshot(t.platform, copy, item.id)).item?.status).toBe('published');
  });

  it('leave no hint when the data holds nothing scheduled', async () => {
    await makeItem(t.platform, acme, { status: 'draft', scheduledAt: now + HOUR });
    const { tenant: copy } = await cloneTenant(t.platform, { slug: 'acme', toSlug: 'acme-copy', actorUserId: null });
    expect(t.platform.scheduleHints.get(copy.id)).toBeUndefined();
  });
});
