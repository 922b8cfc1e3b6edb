import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeUser } from '../../support/factories';
import { SessionRepository } from '../../../control-plane/auth/session-repository';
import type { UserRecord } from '../../../control-plane/users/user-record';

/** The session read of every signed-in request: a row kept between requests only while nothing changed. */
describe('the session repository', () => {
  let t: TestPlatform;
  let sessions: SessionRepository;
  let user: UserRecord;
  const SID = 'a'.repeat(64);

  beforeEach(async () => {
    t = await createTestPlatform();
    sessions = new SessionRepository(t.platform.db);
    user = await makeUser(t.platform, { name: 'Kept Row' });
    sessions.create({ sid: SID, userId: user.id, data: {}, expiresAt: Date.now() + 60_000, userAgent: null, ip: null });
  });
  afterEach(() => t.cleanup());

  /** The statements find ran on the control plane. */
  const statementsOf = (fn: () => void): number => {
    const before = t.platform.db.statementCount;
    fn();
    return t.platform.db.statementCount - before;
  };

  it('answers a row read before without reading it again while nothing changed it', () => {
    expect(sessions.find(SID)).toMatchObject({ user_id: user.id, name: 'Kept Row', status: 'active' });
    expect(statementsOf(() => expect(sessions.find(SID)).toMatchObject({ user_id: user.id, name: 'Kept Row' }))).toBe(0);
  });

  it('keeps the row while this connection writes other tables', () => {
    sessions.find(SID);
    t.platform.db.run("update tenants set name = name where status = 'active'");
    t.platform.db.run('insert into audit_events (action, created_at) values (?, ?)', ['test.kept', Date.now()]);
    expect(statementsOf(() => sessions.find(SID))).toBe(0);
  });

  it('reads the row again once this connection changed its user, by any statement', () => {
    sessions.find(SID);
    t.platform.db.run('update users set name = ? where id = ?', ['Renamed', user.id]);
    expect(statementsOf(() => expect(sessions.find(SID)).toMatchObject({ name: 'Renamed' }))).toBe(1);
    t.platform.db.run("update users set status = 'disabled' where email = ?", [user.email]);
    expect(sessions.find(SID)).toMatchObject({ status: 'disabled' });
  });

  it('drops every kept session of a user who changed, and only theirs', async () => {
    const second = 'b'.repeat(64);
    const otherUser = await makeUser(t.platform, { name: 'Other Row' });
    const otherSid = 'c'.repeat(64);
    for (const [sid, userId] of [
      [second, user.id],
      [otherSid, otherUser.id],
    ]) {
      sessions.create({ sid, userId, data: {}, expiresAt: Date.now() + 60_000, userAgent: null, ip: null });
    }
    for (const sid of [SID, second, otherSid]) sessions.find(sid);
    t.platform.db.run("update users set status = 'disabled' where id = ?", [user.id]);
    expect(statementsOf(() => expect(sessions.find(otherSid)).toMatchObject({ status: 'active' }))).toBe(0);
    expect(statementsOf(() => expect(sessions.find(SID)).toMatchObject({ status: 'disabled' }))).toBe(1);
    expect(statementsOf(() => expect(sessions.find(second)).toMatchObject({ status: 'disabled' }))).toBe(1);
  });

  it('reads the row again once this connection changed the session, through another repository too', () => {
    sessions.find(SID);
    new SessionRepository(t.platform.db).touch(SID, Date.now() + 120_000, Date.now());
    expect(statementsOf(() => sessions.find(SID))).toBe(1);
    t.platform.db.run('update sessions set data = ? where user_id = ?', ['{"tenantId":"t1"}', user.id]);
    expect(sessions.find(SID)).toMatchObject({ data: '{"tenantId":"t1"}' });
  });

  it('finds nothing once the session or its user was deleted', () => {
    sessions.find(SID);
    t.platform.db.run('delete from users where id = ?', [user.id]);
    expect(sessions.find(SID)).toBeUndefined();
  });

  it('sees a user disabled and a session revoked by another process on the very next read', () => {
    sessions.find(SID);
    const other = new BetterSqlite3(path.join(t.dataDir, 'platform.sqlite'));
    try {
      other.prepare("update users set status = 'disabled' where id = ?").run(user.id);
      expect(sessions.find(SID)).toMatchObject({ status: 'disabled' });
      other.prepare('delete from sessions where sid = ?').run(SID);
      expect(sessions.find(SID)).toBeUndefined();
    } finally {
      other.close();
    }
  });

  it('never answers a row a rolled-back transaction had changed', () => {
    sessions.find(SID);
    expect(() =>
      t.platform.db.write(() => {
        t.platform.db.run('update users set name = ? where id = ?', ['Not kept', user.id]);
        expect(sessions.find(SID)).toMatchObject({ name: 'Not kept' });
        throw new Error('roll back');
      }),
    ).toThrow('roll back');
    expect(sessions.find(SID)).toMatchObject({ name: 'Kept Row' });
  });

  it('answers a row that cannot be changed by its reader', () => {
    const row = sessions.find(SID)!;
    expect(() => ((row as { status: string | null }).status = 'active')).toThrow(TypeError);
    expect(Object.isFrozen(sessions.find(SID))).toBe(true);
  });
});
