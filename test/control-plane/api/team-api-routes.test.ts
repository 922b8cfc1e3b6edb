import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { bearer, personalToken } from '../../support/api-tokens';
import { invite, roleId } from '../../support/team';
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

  itPagesByCursor('/api/v1/t/{slug}/invitations', Buffer.from('12.x').toString('base64url'), () => ({ t, app, list }));
});
