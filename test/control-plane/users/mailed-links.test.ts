import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeUser } from '../../support/factories';
import { pruneMailedLinks } from '../../../control-plane/users/mailed-links';
import { PasswordResetRepository } from '../../../control-plane/password-reset/password-reset-repository';
import { EmailChangeRepository } from '../../../control-plane/account/email-change-repository';

const HOUR = 3600_000;

describe('mailed links', () => {
  let t: TestPlatform;
  afterEach(() => t.cleanup());

  it('are removed a day after they expired or were used, of every kind, and the ones that may still matter are kept', async () => {
    t = await createTestPlatform();
    const user = await makeUser(t.platform, { email: 'alice@example.com' });
    const now = Date.now();
    const resets = new PasswordResetRepository(t.platform.db);
    const changes = new EmailChangeRepository(t.platform.db);
    let n = 0;
    const link = (createdAt: number, expiresAt: number) => ({ user_id: user.id, token_hash: `hash-${n++}`, created_at: createdAt, expires_at: expiresAt });
    const live = resets.insert(link(now - HOUR, now + HOUR));
    const expiredLongAgo = resets.insert(link(now - 50 * HOUR, now - 26 * HOUR));
    const expiredJustNow = resets.insert(link(now - 3 * HOUR, now - HOUR));
    const usedLongAgo = changes.insert({ ...link(now - 30 * HOUR, now + HOUR), new_email: 'a@example.com' });
    changes.spend(usedLongAgo, now - 25 * HOUR);
    const usedJustNow = changes.insert({ ...link(now - 2 * HOUR, now + HOUR), new_email: 'b@example.com' });
    changes.spend(usedJustNow, now - HOUR);

    expect(pruneMailedLinks(t.platform.db, now)).toBe(2);

    const ids = (table: string) => t.platform.db.all<{ id: number }>(`select id from ${table} order by id`).map((r) => r.id);
    expect(ids('password_resets')).toEqual([live, expiredJustNow]);
    expect(ids('email_changes')).toEqual([usedJustNow]);
    expect(expiredLongAgo).toBeGreaterThan(0);
  });
});
