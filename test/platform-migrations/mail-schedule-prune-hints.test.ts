import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { createTestPlatform, type TestPlatform } from '../support/test-platform';
import { makeTenant } from '../support/factories';
import * as pruneHints from '../../platform-migrations/0043-mail-schedule-prune-hints';

describe('platform migration 0043 (mail_schedule hints for the deletion of ended mails)', () => {
  let t: TestPlatform;
  let knex: Knex;
  beforeEach(async () => {
    t = await createTestPlatform();
    knex = knexFactory({ client: 'better-sqlite3', connection: { filename: path.join(t.dataDir, 'platform.sqlite') }, useNullAsDefault: true });
  });
  afterEach(async () => {
    await knex.destroy();
    await t.cleanup();
  });

  const hints = () =>
    t.platform.db.all<{ slug: string; next_due_at: number; waiting_since: number | null }>(
      'select t.slug, s.next_due_at, s.waiting_since from mail_schedule s join tenants t on t.id = s.tenant_id order by t.slug',
    );

  it('keeps the hints there were and gives every other workspace with a mail queue one visit within the day, that the doctor does not read as a mail waiting', async () => {
    const waiting = await makeTenant(t.platform, 'waiting');
    await makeTenant(t.platform, 'idle');
    const behind = await makeTenant(t.platform, 'behind');
    const gone = await makeTenant(t.platform, 'gone');
    await pruneHints.down(knex);
    await knex.raw('insert into mail_schedule (tenant_id, next_due_at, waiting_since) values (?, 2000, 1000)', [waiting.id]);
    // A workspace whose file has no mail queue yet (behind on its migrations), and a purged one.
    await knex.raw("update tenants set schema_version = '0023-create-something' where id = ?", [behind.id]);
    await knex.raw("update tenants set status = 'purged' where id = ?", [gone.id]);

    const before = Date.now();
    await pruneHints.up(knex);

    expect(hints()).toEqual([
      { slug: 'idle', next_due_at: expect.any(Number), waiting_since: null },
      { slug: 'waiting', next_due_at: 2000, waiting_since: 1000 },
    ]);
    expect(hints()[0].next_due_at).toBeGreaterThanOrEqual(before);
    expect(hints()[0].next_due_at).toBeLessThan(before + 24 * 60 * 60 * 1000);
    expect(t.platform.mailHints.waitingSince(Number.MAX_SAFE_INTEGER).map((w) => w.slug)).toEqual(['waiting']);
  });
});
