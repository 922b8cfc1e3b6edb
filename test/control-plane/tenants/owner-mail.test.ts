import fs from 'node:fs';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { outboxMails } from '../../support/outbox';
import { outboxDir } from '../../../core/mail/mailer';
import { changeUserStatus } from '../../../control-plane/users/change-user-status';
import { CLI_OPERATOR } from '../../../control-plane/audit/operator';

describe("mail to a tenant's owners", () => {
  let t: TestPlatform;
  beforeEach(async () => {
    t = await createTestPlatform();
  });
  afterEach(() => t.cleanup());

  it('reaches every owner whose account is active, and no owner whose account is disabled', async () => {
    const tenant = await makeTenant(t.platform, 'acme');
    const kept = await makeUser(t.platform, { email: 'kept@example.com' });
    const gone = await makeUser(t.platform, { email: 'gone@example.com' });
    await addMember(t.platform, kept, tenant, 'owner');
    await addMember(t.platform, gone, tenant, 'owner');
    changeUserStatus(t.platform, { destroyAllForUser: () => 0 }, gone.id, 'disabled', CLI_OPERATOR);
    fs.rmSync(outboxDir(t.dataDir), { recursive: true, force: true });

    const sent = await t.platform.owners.notifyOwners(tenant.id, 'en', { subject: 'Limit near', lines: ['Your workspace is near a limit.'] });

    expect(sent).toBe(1);
    expect(outboxMails(t.dataDir).map((m) => m.to)).toEqual(['kept@example.com']);
  });

  it("is sent under the workspace's display name, never the product's, and under the console's name until one is set", async () => {
    const tenant = await makeTenant(t.platform, 'brand', 'Brand Internal');
    await addMember(t.platform, await makeUser(t.platform, { email: 'boss@example.com' }), tenant, 'owner');
    const mail = { subject: 'Limit near', lines: ['Your workspace is near a limit.'] };
    fs.rmSync(outboxDir(t.dataDir), { recursive: true, force: true });
    await t.platform.owners.notifyOwners(tenant.id, 'en', mail);
    t.platform.tenants.keepSettingsCopies(tenant.id, { displayName: 'Brand Studio', language: 'en' });
    await t.platform.owners.notifyOwners(tenant.id, 'en', mail);

    expect(outboxMails(t.dataDir).map((m) => m.from)).toEqual(['Brand Internal <no-reply@localhost>', 'Brand Studio <no-reply@localhost>']);
  });
});
