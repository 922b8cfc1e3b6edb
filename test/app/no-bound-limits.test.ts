import request from 'supertest';
import { SqliteHandle } from '../../core/db/sqlite-handle';
import { createTestPlatform, type TestPlatform } from '../support/test-platform';
import { createApp } from '../../app/create-app';
import { addMember, makeTenant, makeUser } from '../support/factories';
import { signIn, type Agent } from '../support/http-agent';
import { bearer, personalToken } from '../support/api-tokens';
import { inTenant, makeItem, plantAttachments } from '../support/content';
import { invite } from '../support/team';
import { plantEndpoint } from '../support/webhooks';
import { ItemComments } from '../../workspace/items/item-comments';
import { ItemHistory } from '../../workspace/items/item-history';

/** A LIMIT or OFFSET bound as a bare parameter: SQLite plans with its value, so every run compiles the statement again (docs/decisions/051). */
const BARE_BOUND_ROWS = /\b(limit|offset)\s+\?/i;

/**
 * The pages and API lists read their rows with statements that stay compiled: every SQL a
 * handle (tenant file or control plane) compiles is noted from the platform's start, and none
 * binds its LIMIT or OFFSET bare.
 */
describe('statements that keep their compiled plan on the pages and API lists', () => {
  const compiled: string[] = [];
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let owner: Agent;
  let root: Agent;
  let token: string;
  let itemId: number;
  let endpointId: string;

  const api = (path: string) => request(app).get(`/api/v1/t/studio${path}`).set(bearer(token));

  /** Each path answers 200, and nothing their requests compiled binds its LIMIT or OFFSET bare. */
  async function expectKeptPlans(get: (path: string) => Promise<{ status: number }>, paths: string[]): Promise<void> {
    const from = compiled.length;
    for (const path of paths) expect({ path, status: (await get(path)).status }).toEqual({ path, status: 200 });
    expect(compiled.slice(from).filter((sql) => BARE_BOUND_ROWS.test(sql))).toEqual([]);
  }

  beforeAll(async () => {
    const compile = jest.spyOn(SqliteHandle.prototype as unknown as { compile(sql: string): unknown }, 'compile');
    compile.mockImplementation(function (this: SqliteHandle, sql: string) {
      compiled.push(sql);
      return this.connection().prepare(sql);
    });
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    const tenant = await makeTenant(t.platform, 'studio');
    const ownerUser = await makeUser(t.platform, { name: 'Olive Owner' });
    await addMember(t.platform, ownerUser, tenant, 'owner');
    for (let i = 0; i < 3; i++) await addMember(t.platform, await makeUser(t.platform), tenant, i ? 'editor' : 'approver');
    invite(t.platform, tenant, 'guest@studio.test');
    const actor = { id: ownerUser.id, name: ownerUser.name };
    const item = await makeItem(t.platform, tenant, { title: 'Spring launch', createdBy: ownerUser.id, status: 'in_review' });
    itemId = item.id;
    for (let i = 0; i < 30; i++) await makeItem(t.platform, tenant, { title: `Weekly note ${i}`, tags: ['news'] });
    await inTenant(t.platform, tenant, (db) => {
      db.write(() => {
        new ItemComments(db).add(item.id, actor, 'Ready for a look.');
        new ItemHistory(db).record({ itemId: item.id, action: 'submit', from: 'draft', to: 'in_review', actor });
      });
      plantAttachments(db, item.id, 3, actor, (i) => 1_000 + i);
    });
    endpointId = await plantEndpoint(t.platform, tenant, 'https://hooks.example.test/in');
    token = personalToken(t.platform, ownerUser);
    owner = await signIn(app, ownerUser.email);
    await makeUser(t.platform, { email: 'root@example.com', superAdmin: true });
    root = await signIn(app, 'root@example.com');
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await t.cleanup();
  });

  it('shows the items list (its pages, with and without filters), an item and the dashboard with statements that stay compiled', async () => {
    await expectKeptPlans(
      (path) => owner.get(path),
      [
        '/t/studio',
        '/t/studio/items',
        '/t/studio/items?page=2',
        '/t/studio/items?tag=news&q=note',
        `/t/studio/items/${itemId}`,
        '/t/studio/items.csv',
        '/t/studio/webhooks',
        `/t/studio/webhooks/${endpointId}`,
      ],
    );
  });

  it('shows the members, invitations and API tokens pages with statements that stay compiled', async () => {
    await expectKeptPlans((path) => owner.get(path), ['/t/studio/members', '/t/studio/invitations', '/t/studio/tokens', '/account/tokens']);
  });

  it("answers the API's lists (items, an item's comments and attachments, members, invitations) with statements that stay compiled", async () => {
    await expectKeptPlans(api, [
      '/items',
      '/items?limit=5',
      '/items?limit=7&status=draft',
      `/items/${itemId}/comments?limit=3`,
      `/items/${itemId}/attachments?limit=2`,
      '/members?limit=2',
      '/invitations?limit=2',
    ]);
    const next = (await api('/items?limit=5')).body.next_cursor as string;
    await expectKeptPlans(api, [`/items?limit=5&cursor=${next}`]);
  });

  it("shows the super admin's tenants, users, audit, usage, fleet pages and a tenant's page with statements that stay compiled", async () => {
    await expectKeptPlans(
      (path) => root.get(path),
      [
        '/admin',
        '/admin/tenants',
        '/admin/tenants?page=1&sort=slug&dir=desc',
        '/admin/users',
        '/admin/audit',
        '/admin/audit?page=1',
        '/admin/usage',
        '/admin/fleet',
        '/admin/tenants/studio',
      ],
    );
  });

  it("noted the statements the handles compiled (the items list's page among them)", () => {
    expect(compiled).toContainEqual(expect.stringMatching(/^select `items`\.\* from `items` order by `items`\.`id` desc limit/));
  });
});
