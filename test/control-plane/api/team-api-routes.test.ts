import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import request from 'supertest';
import { retriedAfterKill } from '../../support/server-process';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { bearer, ownerToken, personalToken } from '../../support/api-tokens';
import { auditOf, invitationRow, invite, linkPath, roleId } from '../../support/team';
import { IdempotencyStore, type StoredAnswer } from '../../../core/http/idempotency-store';
import { outboxMails } from '../../support/outbox';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';

interface MemberJson {
  membership_id: number;
  user: { email: string; name: string };
  role: { key: string };
}

/**
 * What every list of the API paged by a cursor does, whatever it lists: the same statements on a
 * late page as on the first, 400 naming the parameter for a limit past 100 or a cursor no page
 * gave (`badCursor`: one well encoded but meaningless to this list), and a documented limit,
 * cursor and next_cursor.
 */
function itPagesByCursor(
  documentPath: string,
  badCursor: string,
  context: () => { t: TestPlatform; app: ReturnType<typeof createApp>['app']; list: (query?: string) => request.Test },
) {
  it('runs as many statements for the third page as for the first', async () => {
    const { t, list } = context();
    const second = (await list('?limit=100')).body.next_cursor as string;
    const third = (await list(`?limit=100&cursor=${second}`)).body.next_cursor as string;
    const statements = async (query: string) => {
      expect((await list(query)).status).toBe(200);
      const before = t.platform.db.statementCount;
      expect((await list(query)).status).toBe(200);
      return t.platform.db.statementCount - before;
    };
    expect(await statements(`?limit=100&cursor=${third}`)).toBe(await statements('?limit=100'));
  });

  it('refuses a limit past 100 and a cursor no page gave, with 400 naming the parameter', async () => {
    const { list } = context();
    for (const [query, field, message] of [
      ['?limit=101', 'limit', 'must be 1-100'],
      ['?limit=0', 'limit', 'must be 1-100'],
      ['?cursor=!!', 'cursor', 'is not a cursor from a previous page'],
      [`?cursor=${badCursor}`, 'cursor', 'is not a cursor from a previous page'],
      ['?page=2', 'page', 'is not a parameter of this list (it takes limit, cursor)'],
    ]) {
      const res = await list(query);
      expect({ query, status: res.status, errors: res.body.errors }).toEqual({ query, status: 400, errors: [{ field, message }] });
    }
  });

  it('is documented with its limit and cursor, and answers with next_cursor', async () => {
    const document = (await request(context().app).get('/api/v1/openapi.json')).body;
    const operation = document.paths[documentPath].get;
    expect(operation.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['slug', 'limit', 'cursor']));
    const schema = operation.responses['200'].content['application/json'].schema;
    expect(schema).toMatchObject({ required: ['data', 'next_cursor'], properties: { next_cursor: { type: ['string', 'null'] } } });
  });
}

describe("the API's list of members", () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let crowd: TenantRecord;
  let token: string;
  const emails: string[] = [];

  beforeAll(async () => {
    t = await createTestPlatform({ API_RATE_LIMIT: '400' });
    app = createApp(t.platform).app;
    crowd = await makeTenant(t.platform, 'crowd');
    const owner = await makeUser(t.platform, { name: 'Olive Owner', email: 'olive@crowd.test' });
    await addMember(t.platform, owner, crowd, 'owner');
    emails.push(owner.email);
    // 250 more: two full pages of 100 and a part, in every role; two of them with the same name.
    const roles = ['admin', 'approver', 'editor', 'viewer', 'viewer'];
    for (let i = 1; i <= 250; i++) {
      const email = `member-${i}@crowd.test`;
      const name = i <= 2 ? 'Sam Same' : `Member ${String(i).padStart(3, '0')}`;
      const user = t.platform.users.insert({ email, name, passwordHash: 'x', isSuperAdmin: false });
      t.platform.memberships.upsert(user.id, crowd.id, roleId(t.platform, roles[i % roles.length]));
      emails.push(email);
    }
    token = personalToken(t.platform, owner);
  });
  afterAll(() => t.cleanup());

  const list = (query = '') => request(app).get(`/api/v1/t/crowd/members${query}`).set(bearer(token));

  it('answers at most 100 members with a next_cursor, and reaches every member exactly once, highest role first, by following it', async () => {
    const first = await list();
    expect(first.status).toBe(200);
    expect(first.body.data).toHaveLength(100);
    expect(typeof first.body.next_cursor).toBe('string');

    const seen: MemberJson[] = [];
    let res = await list('?limit=40');
    let pages = 1;
    seen.push(...res.body.data);
    while (res.body.next_cursor) {
      res = await list(`?limit=40&cursor=${res.body.next_cursor}`);
      expect(res.status).toBe(200);
      expect(res.body.data.length).toBeLessThanOrEqual(40);
      seen.push(...res.body.data);
      pages++;
    }
    expect(pages).toBe(Math.ceil(emails.length / 40));
    expect(seen.map((m) => m.user.email).sort()).toEqual([...emails].sort());
    expect(new Set(seen.map((m) => m.membership_id)).size).toBe(emails.length);
    const rank = ['owner', 'admin', 'approver', 'editor', 'viewer'];
    const ranks = seen.map((m) => rank.indexOf(m.role.key));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(seen[0].user.email).toBe('olive@crowd.test');
  });

  itPagesByCursor('/api/v1/t/{slug}/members', Buffer.from('i12').toString('base64url'), () => ({ t, app, list }));
});

describe("the API's list of invitations", () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let token: string;
  const emails: string[] = [];

  beforeAll(async () => {
    t = await createTestPlatform({ API_RATE_LIMIT: '400' });
    app = createApp(t.platform).app;
    const crowd = await makeTenant(t.platform, 'crowd');
    const owner = await makeUser(t.platform, { name: 'Olive Owner', email: 'olive@crowd.test' });
    await addMember(t.platform, owner, crowd, 'owner');
    // 330 invitations, more than the 300 the list used to stop at; most made in the same instant, some revoked.
    for (let i = 1; i <= 330; i++) {
      const email = `guest-${i}@elsewhere.test`;
      invite(t.platform, crowd, email);
      emails.push(email);
    }
    t.platform.db.run("update invitations set created_at = created_at - 86400000 where email like 'guest-1__@%'");
    t.platform.db.run("update invitations set state = 'revoked' where email like 'guest-2_@%'");
    token = personalToken(t.platform, owner);
  });
  afterAll(() => t.cleanup());

  const list = (query = '') => request(app).get(`/api/v1/t/crowd/invitations${query}`).set(bearer(token));

  it('answers at most 100 invitations with a next_cursor, and reaches every invitation exactly once, newest first, by following it', async () => {
    const first = await list();
    expect(first.status).toBe(200);
    expect(first.body.data).toHaveLength(100);
    expect(typeof first.body.next_cursor).toBe('string');

    const seen: { id: string; email: string; state: string; created_at: string }[] = [];
    let res = await list('?limit=40');
    let pages = 1;
    seen.push(...res.body.data);
    while (res.body.next_cursor) {
      res = await list(`?limit=40&cursor=${res.body.next_cursor}`);
      expect(res.status).toBe(200);
      expect(res.body.data.length).toBeLessThanOrEqual(40);
      seen.push(...res.body.data);
      pages++;
    }
    expect(pages).toBe(Math.ceil(emails.length / 40));
    expect(seen.map((i) => i.email).sort()).toEqual([...emails].sort());
    expect(new Set(seen.map((i) => i.id)).size).toBe(emails.length);
    const times = seen.map((i) => i.created_at);
    expect(times).toEqual([...times].sort().reverse());
    expect(seen.filter((i) => i.state === 'revoked')).toHaveLength(10);
  });

  it('says who sent each invitation (null when no user did) and when it was accepted (null while it is not), the revoked one as revoked too', async () => {
    const small = await makeTenant(t.platform, 'small-team');
    const owner = await makeUser(t.platform, { email: 'owner@small.test' });
    await addMember(t.platform, owner, small, 'owner');
    const sentByOwner = invite(t.platform, small, 'byowner@elsewhere.test', 'viewer', owner.id);
    const sentByNoOne = invite(t.platform, small, 'bycli@elsewhere.test');
    const acceptedAt = Date.parse('2030-01-02T03:04:05.000Z');
    t.platform.db.run("update invitations set state = 'accepted', accepted_at = ? where id = ?", [acceptedAt, sentByNoOne.id]);
    const res = await request(app)
      .get('/api/v1/t/small-team/invitations')
      .set(bearer(personalToken(t.platform, owner)));
    expect(res.status).toBe(200);
    const byId = new Map(res.body.data.map((i: { id: string }) => [i.id, i]));
    expect(byId.get(sentByOwner.id)).toMatchObject({ state: 'pending', invited_by: owner.id, accepted_at: null });
    expect(byId.get(sentByNoOne.id)).toMatchObject({ state: 'accepted', invited_by: null, accepted_at: '2030-01-02T03:04:05.000Z' });
    const revoked = await request(app)
      .post(`/api/v1/t/small-team/invitations/${sentByOwner.id}/revoke`)
      .set(bearer(personalToken(t.platform, owner)));
    expect(revoked.body.data).toMatchObject({ id: sentByOwner.id, state: 'revoked', invited_by: owner.id, accepted_at: null });
  });

  itPagesByCursor('/api/v1/t/{slug}/invitations', Buffer.from('12.x').toString('base64url'), () => ({ t, app, list }));
});

describe("the team API's idempotency keys, whose operations write the control plane", () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let token: string;
  let acme: TenantRecord;

  beforeAll(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    acme = await makeTenant(t.platform, 'keys');
    token = await ownerToken(t.platform, acme);
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(() => t.cleanup());

  const send = (key: string, email: string) =>
    request(app)
      .post('/api/v1/t/keys/invitations')
      .set(bearer(token))
      .set('Idempotency-Key', key)
      .send({ emails: [email], role_id: roleId(t.platform, 'editor') });
  const revoke = (key: string, id: string) => request(app).post(`/api/v1/t/keys/invitations/${id}/revoke`).set(bearer(token)).set('Idempotency-Key', key);
  const invitationsTo = (email: string) => t.platform.db.all<{ id: string; state: string }>('select id, state from invitations where email = ?', [email]);
  const audited = (action: string, id: string) =>
    t.platform.db.get<{ n: number }>('select count(*) as n from audit_events where action = ? and target_id = ?', [action, id])?.n;
  /** Storing an answer fails once (a busy or full file), after the work was done; `when` picks the answer (the one after the mail). */
  const failStoringTheAnswerOnce = (when: (answer: StoredAnswer) => boolean = () => true) => {
    const { prototype } = IdempotencyStore;
    const complete = Object.getOwnPropertyDescriptor(prototype, 'complete')?.value as IdempotencyStore['complete'];
    let failed = false;
    jest.spyOn(prototype, 'complete').mockImplementation(function (this: IdempotencyStore, principal, key, answer) {
      if (failed || !when(answer)) return complete.call(this, principal, key, answer);
      failed = true;
      throw new Error('disk I/O error');
    });
  };
  const mailedAnswer = (answer: StoredAnswer) => (answer.body as { data: Array<{ mailed: boolean }> }).data.every((s) => s.mailed);

  it('answers a retry of an invitation whose answer could not be stored with the invitation sent, never a second one nor a refusal', async () => {
    failStoringTheAnswerOnce(mailedAnswer);
    const first = await send('invite-once', 'once@elsewhere.test');
    expect(first.status).toBe(500);
    const again = await send('invite-once', 'once@elsewhere.test');
    expect(again.status).toBe(201);
    const sent = invitationsTo('once@elsewhere.test');
    expect(sent).toHaveLength(1);
    // The answer stored with the invitation: its link, shown this once; not known to be mailed.
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.data).toEqual([expect.objectContaining({ id: sent[0].id, email: 'once@elsewhere.test', url: expect.stringContaining('/invitations/') })]);
    expect(outboxMails(t.dataDir).filter((m) => m.to === 'once@elsewhere.test')).toHaveLength(1);
  });

  it('answers a retry of a revocation whose answer could not be stored as the revocation, not 409 "revoked already"', async () => {
    const sent = await send('invite-to-revoke', 'revoked@elsewhere.test');
    const id = sent.body.data[0].id as string;
    failStoringTheAnswerOnce();
    expect((await revoke('revoke-once', id)).status).toBe(500);
    const again = await revoke('revoke-once', id);
    expect(again.status).toBe(200);
    expect(again.body.data).toMatchObject({ id, state: 'revoked' });
    expect(invitationsTo('revoked@elsewhere.test')).toEqual([{ id, state: 'revoked' }]);
    expect(audited('invitation.revoke', id)).toBe(1);
  });

  it('answers a revocation sent twice without an Idempotency-Key, after or at once, with the first one, revoking once', async () => {
    const [one, two] = await Promise.all(['plain-1', 'plain-2'].map((key) => send(`invite-${key}`, `${key}@elsewhere.test`)));
    const plain = (id: string) => request(app).post(`/api/v1/t/keys/invitations/${id}/revoke`).set(bearer(token));
    const first = await plain(one.body.data[0].id);
    const again = await plain(one.body.data[0].id);
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(again.body).toEqual(first.body);
    const both = await Promise.all([plain(two.body.data[0].id), plain(two.body.data[0].id)]);
    expect(both.map((r) => [r.status, r.body.data.state])).toEqual([
      [200, 'revoked'],
      [200, 'revoked'],
    ]);
    expect([audited('invitation.revoke', one.body.data[0].id), audited('invitation.revoke', two.body.data[0].id)]).toEqual([1, 1]);
  });

  it('sends one invitation for two identical requests at once, the other told the key is in use or replayed', async () => {
    const [a, b] = await Promise.all([send('at-once', 'twice@elsewhere.test'), send('at-once', 'twice@elsewhere.test')]);
    expect([a.status, b.status].sort()).toEqual(expect.arrayContaining([201]));
    expect([a.status, b.status].every((s) => s === 201 || s === 409)).toBe(true);
    expect(invitationsTo('twice@elsewhere.test')).toHaveLength(1);
  });
});

describe("the API's invitations sent twice without an Idempotency-Key", () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let token: string;

  beforeAll(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    token = await ownerToken(t.platform, await makeTenant(t.platform, 'twice'));
  });
  afterAll(() => t.cleanup());

  const send = (emails: string[]) =>
    request(app)
      .post('/api/v1/t/twice/invitations')
      .set(bearer(token))
      .send({ emails, role_id: roleId(t.platform, 'editor') });
  const invitationsTo = (email: string) => t.platform.db.all<{ id: string }>('select id from invitations where email = ?', [email]);

  it.each([
    ['one after the other', async (emails: string[]) => [await send(emails), await send(emails)]],
    ['at once', (emails: string[]) => Promise.all([send(emails), send(emails)])],
  ])('answers the same invitations sent twice %s with the invitations the first made, inviting and mailing once', async (label, twice) => {
    const emails = [`a-${label.length}@elsewhere.test`, `b-${label.length}@elsewhere.test`];
    const answers = await twice(emails);
    expect(answers.map((res) => [res.status, res.body.errors])).toEqual([
      [201, undefined],
      [201, undefined],
    ]);
    const ids = emails.map((email) => invitationsTo(email).map((i) => i.id));
    expect(ids.map((found) => found.length)).toEqual([1, 1]);
    // Both answers name the same invitations; only the one that made them holds their links.
    for (const res of answers)
      expect(res.body.data.map((s: { id: string; email: string }) => [s.id, s.email])).toEqual(emails.map((email, i) => [ids[i][0], email]));
    expect(answers.filter((res) => res.body.data.every((s: { url?: string }) => s.url?.includes('/invitations/')))).toHaveLength(1);
    expect(outboxMails(t.dataDir).filter((m) => emails.includes(m.to))).toHaveLength(2);
  });
});

describe('an invitation sent over the API by a server killed before its answer', () => {
  it('is answered to the retry with its key after a restart, from the answer stored with it, never invited twice nor left "in use"', async () => {
    const t = await createTestPlatform();
    const tenant = await makeTenant(t.platform, 'killed');
    const token = await ownerToken(t.platform, tenant);
    const body = JSON.stringify({ emails: ['cut@elsewhere.test'], role_id: roleId(t.platform, 'editor') });
    await t.platform.close();
    try {
      const post = (base: string) =>
        fetch(`${base}/api/v1/t/killed/invitations`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': 'cut-off' },
          body,
        });
      const again = await retriedAfterKill(t.dataDir, 'invitations:written', post);
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      const answer = again.body as { data: Array<{ id: string; email: string; mailed: boolean }> };
      const db = new BetterSqlite3(path.join(t.dataDir, 'platform.sqlite'), { readonly: true });
      try {
        const rows = db.prepare("select id from invitations where email = 'cut@elsewhere.test'").all() as Array<{ id: string }>;
        expect(rows).toHaveLength(1);
        expect(answer.data).toEqual([expect.objectContaining({ id: rows[0].id, email: 'cut@elsewhere.test', mailed: false })]);
      } finally {
        db.close();
      }
    } finally {
      fs.rmSync(t.dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});

describe("the API's resending of an invitation", () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let tenant: TenantRecord;
  let token: string;

  beforeAll(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    tenant = await makeTenant(t.platform, 'resends');
    token = await ownerToken(t.platform, tenant);
  });
  afterAll(() => t.cleanup());

  const resend = (id: string, key?: string) => {
    const req = request(app).post(`/api/v1/t/resends/invitations/${id}/resend`).set(bearer(token));
    return key ? req.set('Idempotency-Key', key) : req;
  };

  it('sends a new link with a fresh expiry for an expired invitation, mailed and in the answer, and the old link stops working', async () => {
    const sent = invite(t.platform, tenant, 'late@elsewhere.test', 'editor');
    t.platform.db.run('update invitations set expires_at = ? where id = ?', [Date.now() - 1000, sent.id]);
    const res = await resend(sent.id);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id: sent.id, email: 'late@elsewhere.test', url: expect.stringContaining('/invitations/'), mailed: true });
    expect(Date.parse(res.body.data.expires_at)).toBeGreaterThan(Date.now());
    expect(res.body.data.url).not.toBe(sent.url);
    expect((await request(app).get(linkPath(res.body.data.url))).status).toBe(200);
    expect((await request(app).get(linkPath(sent.url))).status).not.toBe(200);
    expect(outboxMails(t.dataDir).filter((m) => m.to === 'late@elsewhere.test' && m.text.includes(res.body.data.url))).toHaveLength(1);
    expect(auditOf(t.platform, 'invitation.resend').filter((e) => e.target_id === sent.id)).toHaveLength(1);
  });

  it('refuses an address already invited by naming its pending invitation and the operation that resends it, which then does, writing nothing else', async () => {
    const pending = invite(t.platform, tenant, 'waiting@elsewhere.test', 'viewer');
    const refused = await request(app)
      .post('/api/v1/t/resends/invitations')
      .set(bearer(token))
      .send({ emails: ['fresh@elsewhere.test', 'waiting@elsewhere.test'], role_id: roleId(t.platform, 'viewer') });
    expect(refused.status).toBe(400);
    const told = `contains waiting@elsewhere.test, who already has a pending invitation (${pending.id}): resend it with POST /api/v1/t/resends/invitations/${pending.id}/resend`;
    expect(refused.body.errors).toEqual([{ field: 'emails', message: told }]);
    expect(t.platform.db.all('select id from invitations where email = ?', ['fresh@elsewhere.test'])).toEqual([]);
    const path = /resend it with POST (\S+)$/.exec(told)?.[1] ?? '';
    const resent = await request(app).post(path).set(bearer(token));
    expect(resent.status).toBe(200);
    expect(resent.body.data).toMatchObject({ id: pending.id, email: 'waiting@elsewhere.test', url: expect.stringContaining('/invitations/') });
  });

  it('replays a resend retried with its Idempotency-Key instead of sending a third link', async () => {
    const sent = invite(t.platform, tenant, 'retry@elsewhere.test', 'viewer');
    const first = await resend(sent.id, 'resend-once');
    const again = await resend(sent.id, 'resend-once');
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.data.url).toBe(first.body.data.url);
    expect(auditOf(t.platform, 'invitation.resend').filter((e) => e.target_id === sent.id)).toHaveLength(1);
  });

  it("refuses a revoked invitation with 409, and another workspace's with 404, its link unchanged", async () => {
    const revoked = invite(t.platform, tenant, 'gone@elsewhere.test', 'viewer');
    expect((await request(app).post(`/api/v1/t/resends/invitations/${revoked.id}/revoke`).set(bearer(token))).status).toBe(200);
    expect((await resend(revoked.id)).status).toBe(409);
    const elsewhere = invite(t.platform, await makeTenant(t.platform, 'not-resends'), 'other@elsewhere.test', 'viewer');
    const before = invitationRow(t.platform, elsewhere.id)?.token_hash;
    expect((await resend(elsewhere.id)).status).toBe(404);
    expect(invitationRow(t.platform, elsewhere.id)?.token_hash).toBe(before);
  });

  it("answers 404 for another workspace's slug, even with that workspace's invitation id, or a token limited to another workspace, sending nothing", async () => {
    const theirs = await makeTenant(t.platform, 'their-resends');
    const elsewhere = invite(t.platform, theirs, 'theirs@elsewhere.test', 'viewer');
    const mine = invite(t.platform, tenant, 'mine@elsewhere.test', 'viewer');
    const before = [invitationRow(t.platform, elsewhere.id)?.token_hash, invitationRow(t.platform, mine.id)?.token_hash];
    const mailsBefore = outboxMails(t.dataDir).length;
    expect((await request(app).post(`/api/v1/t/their-resends/invitations/${elsewhere.id}/resend`).set(bearer(token))).status).toBe(404);
    const both = await makeUser(t.platform);
    await addMember(t.platform, both, tenant, 'owner');
    await addMember(t.platform, both, theirs, 'owner');
    const limitedToTheirs = personalToken(t.platform, both, { tenant: theirs });
    expect((await request(app).post(`/api/v1/t/resends/invitations/${mine.id}/resend`).set(bearer(limitedToTheirs))).status).toBe(404);
    expect([invitationRow(t.platform, elsewhere.id)?.token_hash, invitationRow(t.platform, mine.id)?.token_hash]).toEqual(before);
    expect(outboxMails(t.dataDir)).toHaveLength(mailsBefore);
    expect(auditOf(t.platform, 'invitation.resend').filter((e) => e.target_id === elsewhere.id || e.target_id === mine.id)).toHaveLength(0);
  });
});
