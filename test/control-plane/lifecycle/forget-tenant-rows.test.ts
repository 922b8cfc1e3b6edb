import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeTenant } from '../../support/factories';
import { archiveTenant } from '../../../control-plane/lifecycle/archive-tenant';
import { purgeTenant } from '../../../control-plane/lifecycle/purge-tenant';
import { CLI_OPERATOR } from '../../../control-plane/audit/operator';

const HINT_TABLES = ['tenant_schedule', 'webhook_schedule', 'mail_schedule', 'tenant_event_outbox'];

describe('a purged tenant', () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await createTestPlatform();
  });
  afterAll(() => t.cleanup());

  const rowsOf = (tenantId: string) =>
    Object.fromEntries(HINT_TABLES.map((table) => [table, t.platform.db.all(`select tenant_id from ${table} where tenant_id = ?`, [tenantId]).length]));

  it('leaves no publishing, webhook or mail hint and no waiting member event behind, and another tenant keeps its own', async () => {
    const gone = await makeTenant(t.platform, 'gone-hints');
    const kept = await makeTenant(t.platform, 'kept-hints');
    for (const tenant of [gone, kept]) {
      t.platform.scheduleHints.noteDue(tenant.id, Date.now() + 60_000);
      t.platform.webhookHints.noteDue(tenant.id, Date.now() + 60_000);
      t.platform.mailHints.replace(tenant.id, { dueAt: Date.now(), waitingSince: Date.now() });
      t.platform.db.run("insert into tenant_event_outbox (id, tenant_id, type, data, created_at) values (?, ?, 'member.joined', '{}', ?)", [
        `evt_${tenant.slug}`,
        tenant.id,
        Date.now(),
      ]);
    }
    const everyTable = Object.fromEntries(HINT_TABLES.map((table) => [table, 1]));
    expect(rowsOf(gone.id)).toEqual(everyTable);

    await archiveTenant(t.platform, gone.id, { confirm: 'gone-hints' }, CLI_OPERATOR);
    await purgeTenant(t.platform, gone.id, { confirm: 'gone-hints' }, CLI_OPERATOR);

    expect(rowsOf(gone.id)).toEqual(Object.fromEntries(HINT_TABLES.map((table) => [table, 0])));
    expect(rowsOf(kept.id)).toEqual(everyTable);
  });
});
