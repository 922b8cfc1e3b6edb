import fs from 'node:fs';
import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { inTenant, makeItem, tenantContent } from '../../support/content';
import { invite, makeCustomRole } from '../../support/team';
import { bearer, personalToken, serviceToken } from '../../support/api-tokens';
import { accountsSnapshot } from '../../support/accounts';
import { signIn, postForm } from '../../support/http-agent';
import { addEndpoint } from '../../support/webhooks';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import { tenantPaths } from '../../../tenant-runtime/tenant-paths';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

/**
 * A token of tenant A (a member of A only, or A's service token) tries tenant B's things: by B's
 * slug, by B's ids in A's URLs, by B's ids in a body. Every attempt is a 404 and nothing changes.
 */
describe('a token of one tenant on another tenant', () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let a: TenantRecord;
  let b: TenantRecord;
  let tokens: Record<string, string>;
  let bItem: number;
  let bFile: string;
  let bInvitation: string;
  let bEndpoint: string;
  let bMembership: number;

  beforeAll(async () => {
    t = await createTestPlatform({ WEBHOOKS_ALLOW_PRIVATE: '1' });
    app = createApp(t.platform).app;
    a = await makeTenant(t.platform, 'alpha');
    b = await makeTenant(t.platform, 'bravo');
    const alice = await makeUser(t.platform);
    const bob = await makeUser(t.platform);
    await addMember(t.platform, alice, a, 'owner');
    await addMember(t.platform, bob, b, 'owner');
    tokens = {
      personal: personalToken(t.platform, alice),
      service: serviceToken(t.platform, alice, a, ['content.view', 'content.create', 'content.edit', 'content.approve', 'content.publish', 'team.view']),
    };
    // A's own items take ids 1..3, so B's id 4 is not in A's file.
    for (let i = 0; i < 3; i++) await makeItem(t.platform, a);
    for (let i = 0; i < 3; i++) await makeItem(t.platform, b);
    bItem = (await makeItem(t.platform, b, { title: 'Bravo secret plan' })).id;
    const bobToken = personalToken(t.platform, bob);
    bFile = (
      await request(app)
        .post(`/api/v1/t/bravo/items/${bItem}/attachments`)
        .set(bearer(bobToken))
        .attach('file', PNG, { filename: 'b.png', contentType: 'image/png' })
    ).body.data.id;
    // Archived now: B's members may delete it, A's may not.
    await inTenant(t.platform, b, (db) => db.run("update items set status = 'archived' where id = ?", [bItem]));
    bInvitation = invite(t.platform, b, 'guest@bravo.test').id;
    bMembership = t.platform.memberships.listMembers(b.id)[0].membership_id;
    bEndpoint = (await addEndpoint(t.platform, b, 'http://127.0.0.1:9/hooks', ['item.submitted'])).id;
  });
  afterAll(() => t.cleanup());

  const attempts = (): Array<[string, string, object?]> => [
    ['get', '/api/v1/t/bravo/items'],
    ['get', `/api/v1/t/bravo/items/${bItem}`],
    ['post', '/api/v1/t/bravo/items', { title: 'Planted' }],
    ['patch', `/api/v1/t/bravo/items/${bItem}`, { title: 'Defaced' }],
    ['post', `/api/v1/t/bravo/items/${bItem}/submit`, {}],
    ['post', `/api/v1/t/bravo/items/${bItem}/comments`, { body: 'Hi' }],
    ['post', `/api/v1/t/bravo/items/${bItem}/delete`, {}],
    ['get', `/api/v1/t/bravo/files/${bFile}`],
    ['get', '/api/v1/t/bravo/members'],
    ['get', `/api/v1/t/bravo/members/${bMembership}`],
    ['get', '/api/v1/t/bravo/settings'],
    // B's ids in A's URLs: they are not in A's file.
    ['get', `/api/v1/t/alpha/items/${bItem}`],
    ['patch', `/api/v1/t/alpha/items/${bItem}`, { title: 'Defaced' }],
    ['post', `/api/v1/t/alpha/items/${bItem}/archive`, {}],
    ['post', `/api/v1/t/alpha/items/${bItem}/delete`, {}],
    ['post', '/api/v1/t/alpha/items/999/delete', {}],
    ['post', `/api/v1/t/alpha/items/${bItem}/comments`, { body: 'Hi' }],
    ['get', `/api/v1/t/alpha/items/${bItem}/attachments`],
    ['get', `/api/v1/t/alpha/members/${bMembership}`],
    ['get', `/api/v1/t/alpha/files/${bFile}`],
    ['get', `/api/v1/t/alpha/files/..%2F..%2F${b.id}%2Ffiles%2F${bFile}`],
    ['post', `/api/v1/t/alpha/invitations/${bInvitation}/revoke`, {}],
    ['post', `/api/v1/t/alpha/invitations/i${'0'.repeat(24)}/revoke`, {}],
  ];

  it.each(['personal', 'service'])("a %s token of A gets 404 for each of B's things, and nothing changes", async (kind) => {
    const beforeB = await tenantContent(t.platform, b);
    const beforeA = await tenantContent(t.platform, a);
    const accounts = accountsSnapshot(t.platform);
    const invitations = t.platform.db.connection().prepare('select id, state from invitations order by id').all();
    // A service token holds no team.invite: in its own tenant that route is a 403 before any look-up.
    for (const [method, path, body] of attempts().filter(([, p]) => kind === 'personal' || !p.includes('/invitations/'))) {
      const req = (request(app) as unknown as Record<string, (p: string) => request.Test>)[method](path).set(bearer(tokens[kind]));
      const res = await (body ? req.send(body) : req);
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 404 });
      expect(res.type).toBe('application/problem+json');
      expect(JSON.stringify(res.body)).not.toContain('Bravo secret plan');
    }
    expect(await tenantContent(t.platform, b)).toEqual(beforeB);
    expect(await tenantContent(t.platform, a)).toEqual(beforeA);
    expect(accountsSnapshot(t.platform)).toEqual(accounts);
    expect(t.platform.db.connection().prepare('select id, state from invitations order by id').all()).toEqual(invitations);
    expect(await inTenant(t.platform, b, (db) => db.all('select id from attachments'))).toHaveLength(1);
    expect(fs.readdirSync(tenantPaths(t.dataDir, b.id).files)).toHaveLength(1);
  });

  it("refuses B's ids in a body field (a custom role of B in an invitation): 400 naming the field, nothing sent", async () => {
    const bRole = makeCustomRole(t.platform, b, 'Bravo reviewers', ['content.view']);
    const invitations = t.platform.db.connection().prepare('select id from invitations order by id').all();
    const res = await request(app)
      .post('/api/v1/t/alpha/invitations')
      .set(bearer(tokens.personal))
      .send({ emails: ['x@alpha.test'], role_id: bRole });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'role_id', message: 'must be one of the roles offered' }]);
    expect(t.platform.db.connection().prepare('select id from invitations order by id').all()).toEqual(invitations);
  });

  it("refuses B's ids in the body of an operation that takes none (a delete, a revocation): 400 naming each field, nothing changed", async () => {
    const beforeB = await tenantContent(t.platform, b);
    const invitations = t.platform.db.connection().prepare('select id, state from invitations order by id').all();
    for (const [path, body] of [
      ['/api/v1/t/alpha/items/999/delete', { id: bItem, tenant_id: b.id }],
      [`/api/v1/t/alpha/invitations/i${'0'.repeat(24)}/revoke`, { id: bInvitation, tenant_id: b.id }],
    ] as const) {
      const res = await request(app).post(path).set(bearer(tokens.personal)).send(body);
      expect({ path, status: res.status, fields: res.body.errors?.map((e: { field: string }) => e.field) }).toEqual({
        path,
        status: 400,
        fields: ['id', 'tenant_id'],
      });
    }
    expect(await tenantContent(t.platform, b)).toEqual(beforeB);
    expect(t.platform.db.connection().prepare('select id, state from invitations order by id').all()).toEqual(invitations);
  });

  it("answers 404 on A's webhook pages for B's endpoint, by URL and by form, and changes nothing", async () => {
    const alice = t.platform.memberships.listMembers(a.id)[0];
    const agent = await signIn(app, alice.email);
    const before = await inTenant(t.platform, b, (db) => db.all('select * from webhook_endpoints'));
    expect((await agent.get(`/t/alpha/webhooks/${bEndpoint}`)).status).toBe(404);
    for (const action of ['disable', 'delete', 'rotate-secret'])
      expect((await postForm(agent, `/t/alpha/webhooks/${bEndpoint}/${action}`, { confirmed: 'yes' })).status).toBe(404);
    expect((await agent.get(`/t/bravo/webhooks/${bEndpoint}`)).status).toBe(404);
    expect(await inTenant(t.platform, b, (db) => db.all('select * from webhook_endpoints'))).toEqual(before);
  });
});
