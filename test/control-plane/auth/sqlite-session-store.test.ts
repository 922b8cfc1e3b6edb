import type { Request } from 'express';
import type { SessionData } from 'express-session';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { SqliteSessionStore } from '../../../control-plane/auth/sqlite-session-store';

function load(store: SqliteSessionStore, sid: string): Promise<SessionData | null | undefined> {
  return new Promise((resolve, reject) => store.get(sid, (err, data) => (err ? reject(err) : resolve(data))));
}

function data(extra: Record<string, unknown> = {}): SessionData {
  return { cookie: { originalMaxAge: 60_000, expires: new Date(Date.now() + 60_000) }, ...extra } as unknown as SessionData;
}

describe('SQLite session store', () => {
  let t: TestPlatform;
  let store: SqliteSessionStore;
  beforeEach(async () => {
    t = await createTestPlatform();
    store = new SqliteSessionStore(t.platform.db);
  });
  afterEach(() => t.cleanup());

  const rows = () => t.platform.db.connection().prepare('select sid from sessions').all() as Array<{ sid: string }>;

  it('saves a new session and reads it back', async () => {
    store.set('new-one', data({ csrfBound: true }));
    expect(await load(store, 'new-one')).toMatchObject({ csrfBound: true });
  });

  it('does not bring back a session destroyed while a request still held it', async () => {
    store.set('held', data());
    const loaded = await load(store, 'held');
    // What express-session does with a stored session: the request holds this object.
    const session = store.createSession({ sessionID: 'held' } as Request, loaded as SessionData);
    // Signed out (or revoked) elsewhere meanwhile; then the request saves its copy.
    store.destroy('held');
    session.lastTenantId = 't1';
    store.set('held', session);
    expect(rows()).toEqual([]);
    expect(await load(store, 'held')).toBeNull();
  });

  it('updates a stored session that still exists', async () => {
    store.set('kept', data());
    const session = store.createSession({ sessionID: 'kept' } as Request, (await load(store, 'kept')) as SessionData);
    session.lastTenantId = 't1';
    store.set('kept', session);
    expect(await load(store, 'kept')).toMatchObject({ lastTenantId: 't1' });
  });
});
