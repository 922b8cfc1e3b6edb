import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { inTenant, makeItem } from '../../support/content';
import { outboxMails } from '../../support/outbox';
import { createPlatform } from '../../../app/create-platform';
import { createLogger } from '../../../core/logging/logger';
import { usageRollupDeps } from '../../../app/usage-wiring';
import { rollUpUsage } from '../../../control-plane/usage/roll-up-usage';
import { MAIL_CLAIM_MS, UsageAlertBook } from '../../../control-plane/usage/usage-alerts';
import { recordUsage } from '../../../workspace/usage/usage-meter';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';

const DAY = 24 * 3600_000;

describe('usage alerts', () => {
  let t: TestPlatform;
  let tenant: TenantRecord;
  const alerts = () =>
    new UsageAlertBook(t.platform.db)
      .recent(100)
      .filter((a) => a.tenant_id === tenant.id)
      .map((a) => `${a.limit_key} ${a.threshold} ${a.period}`)
      .sort();
  const rollUp = (at?: number) => rollUpUsage(usageRollupDeps(t.platform), { at });

  beforeEach(async () => {
    t = await createTestPlatform();
    tenant = await makeTenant(t.platform, 'acme', 'Acme');
    const owner = await makeUser(t.platform, { email: 'owner@acme.test' });
    await addMember(t.platform, owner, tenant, 'owner');
    const french = await makeUser(t.platform, { email: 'proprio@acme.test' });
    t.platform.users.update(french.id, { language: 'fr' });
    await addMember(t.platform, french, tenant, 'owner');
    await addMember(t.platform, await makeUser(t.platform, { email: 'viewer@acme.test' }), tenant, 'viewer');
  });
  afterEach(() => t.cleanup());

  it('mails the owners once at 80% and once at 100% of a level limit, each in their language, and never again while it stays there', async () => {
    t.platform.plans.setTenantOverrides(tenant.id, { limits: { items: 5 } });
    for (let i = 0; i < 4; i++) await makeItem(t.platform, tenant);
    await rollUp();
    await rollUp();
    expect(alerts()).toEqual(['items 80 level']);
    let mails = outboxMails(t.dataDir);
    expect(mails.map((m) => m.to).sort()).toEqual(['owner@acme.test', 'proprio@acme.test']);
    expect(mails.find((m) => m.to === 'owner@acme.test')?.subject).toBe('Acme is at 80% of its limit for Content items');
    // French writes a percent with a no-break space before the sign, as its number format does.
    expect(mails.find((m) => m.to === 'proprio@acme.test')?.subject).toMatch(/^Acme .*80[\u00a0\u202f]%.*[Éé]léments/);
    expect(mails.find((m) => m.to === 'proprio@acme.test')?.text).toMatch(/\(80[\u00a0\u202f]% ou plus\)/);
    expect(mails.find((m) => m.to === 'owner@acme.test')?.text).toContain('4 of 5 used');

    await makeItem(t.platform, tenant);
    await rollUp();
    await rollUp();
    expect(alerts()).toEqual(['items 100 level', 'items 80 level']);
    mails = outboxMails(t.dataDir);
    expect(mails).toHaveLength(4);
    expect(mails.filter((m) => m.to === 'owner@acme.test').map((m) => m.subject)).toContain('Acme has reached its limit for Content items');
    expect(new UsageAlertBook(t.platform.db).recent().every((a) => a.mailed_at !== null)).toBe(true);
  });

  it('sends an alert whose mail reached nobody on a later pass, once there is an owner to reach, and only once', async () => {
    const lonely = await makeTenant(t.platform, 'lonely', 'Lonely');
    t.platform.plans.setTenantOverrides(lonely.id, { limits: { items: 5 } });
    for (let i = 0; i < 4; i++) await makeItem(t.platform, lonely);
    const first = await rollUp();
    expect(first.alerts.map((a) => `${a.key} ${a.threshold}`)).toEqual(['items 80']);
    expect(outboxMails(t.dataDir).filter((m) => m.subject.startsWith('Lonely'))).toHaveLength(0);
    await addMember(t.platform, await makeUser(t.platform, { email: 'late-owner@lonely.test' }), lonely, 'owner');
    expect((await rollUp()).alertMailsResent).toBe(1);
    expect((await rollUp()).alertMailsResent).toBe(0);
    expect(
      outboxMails(t.dataDir)
        .filter((m) => m.subject.startsWith('Lonely'))
        .map((m) => m.to),
    ).toEqual(['late-owner@lonely.test']);
  });

  it('lets one pass at a time claim an alert mail, and another take it over once the claim is stale', async () => {
    t.platform.plans.setTenantOverrides(tenant.id, { limits: { items: 5 } });
    for (let i = 0; i < 4; i++) await makeItem(t.platform, tenant);
    await rollUp();
    const book = new UsageAlertBook(t.platform.db);
    const [alert] = book.recent().filter((a) => a.tenant_id === tenant.id);
    t.platform.db.run('update usage_alerts set mailed_at = null where id = ?', [alert.id]);
    const now = Date.now();
    expect(book.claimMail(alert.id, now)).toBe(true);
    expect(book.claimMail(alert.id, now + 1000)).toBe(false);
    expect(book.unmailed(now + 1000)).toEqual([]);
    expect(book.unmailed(now + MAIL_CLAIM_MS).map((a) => a.id)).toEqual([alert.id]);
    expect(book.claimMail(alert.id, now + MAIL_CLAIM_MS)).toBe(true);
    book.markMailed(alert.id, now + MAIL_CLAIM_MS);
    expect(book.claimMail(alert.id, now + 3 * MAIL_CLAIM_MS)).toBe(false);
    expect(book.unmailed(now + 3 * MAIL_CLAIM_MS)).toEqual([]);
  });

  it('fires a level alert again once the use dropped under the threshold and crossed it again', async () => {
    t.platform.plans.setTenantOverrides(tenant.id, { limits: { items: 5 } });
    const items: Array<{ id: number }> = [];
    for (let i = 0; i < 4; i++) items.push(await makeItem(t.platform, tenant));
    await rollUp();
    await inTenant(t.platform, tenant, (db) => db.run('delete from items where id = ?', [items[0].id]));
    await rollUp();
    expect(outboxMails(t.dataDir)).toHaveLength(2);
    await makeItem(t.platform, tenant);
    await rollUp();
    expect(outboxMails(t.dataDir)).toHaveLength(4);
    expect(alerts().filter((a) => a === 'items 80 level')).toHaveLength(1);
  });

  it('fires a metered limit once per period, and again in the next period', async () => {
    t.platform.plans.setTenantOverrides(tenant.id, { limits: { items_published_per_day: 10 } });
    const day1 = Date.UTC(2031, 4, 1, 9);
    await inTenant(t.platform, tenant, (db) => recordUsage(db, 'items_published', 8, { at: new Date(day1) }));
    await rollUp(day1);
    await inTenant(t.platform, tenant, (db) => recordUsage(db, 'items_published', 1, { at: new Date(day1) }));
    await rollUp(day1 + 3600_000);
    expect(alerts()).toEqual(['items_published_per_day 80 2031-05-01']);
    await inTenant(t.platform, tenant, (db) => recordUsage(db, 'items_published', 10, { at: new Date(day1 + DAY) }));
    await rollUp(day1 + DAY);
    expect(alerts()).toEqual(['items_published_per_day 100 2031-05-02', 'items_published_per_day 80 2031-05-01', 'items_published_per_day 80 2031-05-02']);
    expect(outboxMails(t.dataDir)).toHaveLength(6);
  });

  it('sends one mail per threshold when two processes roll up at the same time', async () => {
    t.platform.plans.setTenantOverrides(tenant.id, { limits: { items: 2 } });
    await makeItem(t.platform, tenant);
    await makeItem(t.platform, tenant);
    const other = await createPlatform(t.config, { logger: createLogger('silent') });
    try {
      await Promise.all([rollUp(), rollUpUsage(usageRollupDeps(other)), rollUp(), rollUpUsage(usageRollupDeps(other))]);
    } finally {
      other.close();
    }
    expect(alerts()).toEqual(['items 100 level', 'items 80 level']);
    expect(outboxMails(t.dataDir)).toHaveLength(4);
  });
});
