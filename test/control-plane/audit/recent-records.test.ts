import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeTenant, makeUser } from '../../support/factories';
import { seedAuditEvents } from '../../support/audit-events';
import { recordsJustMade } from '../../../control-plane/audit/recent-records';
import { DOUBLE_SUBMIT_MS } from '../../../core/http/double-submit';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import type { UserRecord } from '../../../control-plane/users/user-record';

describe("a person's audit records made just now", () => {
  let t: TestPlatform;
  let acme: TenantRecord;
  let ada: UserRecord;

  beforeAll(async () => {
    t = await createTestPlatform();
    acme = await makeTenant(t.platform, 'acme');
    ada = await makeUser(t.platform, { email: 'ada@acme.test' });
  });
  afterAll(() => t.cleanup());

  function recordAt(at: number, label: string) {
    return seedAuditEvents(t.platform, [{ action: 'items.import', tenantId: acme.id, actorUserId: ada.id, after: { label }, at: new Date(at).toISOString() }]);
  }
  const labels = () => recordsJustMade(t.platform.db, { action: 'items.import', actorUserId: ada.id, tenantId: acme.id }).map((r) => r.after.label);

  beforeEach(() => t.platform.db.run("delete from audit_events where action = 'items.import'"));

  it('holds one from a moment ago and none from before the window', async () => {
    await recordAt(Date.now() - 2000, 'moments ago');
    await recordAt(Date.now() - DOUBLE_SUBMIT_MS - 1000, 'long ago');
    expect(labels()).toEqual(['moments ago']);
  });

  it('holds none written an hour "ahead": the clock has been set back since, and the same request now is a new one', async () => {
    await recordAt(Date.now() + 3600_000, 'before the clock went back');
    expect(labels()).toEqual([]);
  });
});
