import fs from 'node:fs';
import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { makeItem, tenantContent } from '../../support/content';
import { auditOf } from '../../support/team';
import { bearer, personalToken } from '../../support/api-tokens';
import { tenantPaths } from '../../../tenant-runtime/tenant-paths';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import type { UserRecord } from '../../../control-plane/users/user-record';

/** Archive, restore and purge of a tenant through the super-admin API (/api/v1/admin/tenants/:id/<step>). */
describe('the super-admin API: archive, restore and purge', () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let root: UserRecord;
  let token: string;

  beforeAll(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    root = await makeUser(t.platform, { superAdmin: true });
    token = personalToken(t.platform, root, { scopes: ['admin.tenants', 'admin.users'] });
  });
  afterAll(() => t.cleanup());

  const post = (path: string, body?: object, as = token) => {
    const req = request(app).post(`/api/v1/admin/tenants/${path}`).set(bearer(as));
    return body === undefined ? req : req.send(body);
  };
  const snapshot = (id: string) => ({
    row: t.platform.tenants.findById(id),
    history: t.platform.db.all('select * from tenant_status_history where tenant_id = ? order by id', [id]),
    memberships: t.platform.db.all('select * from memberships where tenant_id = ? order by id', [id]),
    live: fs.existsSync(tenantPaths(t.dataDir, id).dir),
    archived: fs.existsSync(tenantPaths(t.dataDir, id, 'archive').dir),
  });
  const expectProblem = (res: request.Response, status: number, code: string) => {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status, code });
  };

  it('archives a tenant only when its slug is typed in confirm, then restores it with its data and members', async () => {
    const keep = await makeTenant(t.platform, 'keep');
    const member = await makeUser(t.platform);
    await addMember(t.platform, member, keep, 'editor');
    await makeItem(t.platform, keep, { title: 'Survives the archive' });
    const content = await tenantContent(t.platform, keep);
    const before = snapshot(keep.id);

    for (const body of [undefined, {}, { confirm: 'kept' }, { confirm: 42 }]) {
      const refused = await post(`${keep.id}/archive`, body);
      expectProblem(refused, 400, 'validation_failed');
      expect(refused.body.errors).toEqual([{ field: 'confirm', message: "must be the tenant's slug (keep) to confirm" }]);
    }
    expect(snapshot(keep.id)).toEqual(before);

    const archived = await post('keep/archive', { confirm: 'keep', note: 'Contract ended' });
    expect(archived.status).toBe(200);
    expect(archived.body.data).toMatchObject({ id: keep.id, slug: 'keep', status: 'archived' });
    expect(snapshot(keep.id)).toMatchObject({ live: false, archived: true, row: { status: 'archived', status_reason: 'Contract ended' } });
    expect(auditOf(t.platform, 'tenant.archive').at(-1)).toMatchObject({ actor_user_id: root.id, tenant_id: keep.id, target_id: keep.id });

    // Archived twice is a step the transition table does not list.
    expectProblem(await post('keep/archive', { confirm: 'keep' }), 409, 'conflict');

    const restored = await post(`${keep.id}/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body.data).toMatchObject({ id: keep.id, status: 'active' });
    expect(snapshot(keep.id)).toMatchObject({ live: true, archived: false, row: { status: 'active' } });
    expect(snapshot(keep.id).memberships).toEqual(before.memberships);
    expect(await tenantContent(t.platform, t.platform.tenants.findById(keep.id) as TenantRecord)).toEqual(content);
    expect(auditOf(t.platform, 'tenant.restore').at(-1)).toMatchObject({ actor_user_id: root.id, tenant_id: keep.id });

    // The member reads the tenant again.
    const items = await request(app)
      .get('/api/v1/t/keep/items')
      .set(bearer(personalToken(t.platform, member)));
    expect(items.status).toBe(200);
    expect(items.body.data.map((i: { title: string }) => i.title)).toEqual(['Survives the archive']);
  });

  it('answers 409 with a stable code for a step the transition table does not allow, changing nothing', async () => {
    const live = await makeTenant(t.platform, 'live');
    const before = snapshot(live.id);
    const restore = await post('live/restore');
    expectProblem(restore, 409, 'conflict');
    expect(restore.body.detail).toBe('Tenant live is active; it cannot be restored.');
    expectProblem(await post('live/purge', { confirm: 'live' }), 409, 'conflict');
    expect(snapshot(live.id)).toEqual(before);
  });

  it('answers 404 problem+json for an unknown tenant or an id of the wrong shape', async () => {
    for (const id of ['t000000000000000000000000', 'nobody', 'T-not-an-id', '%2E%2E']) {
      expectProblem(await post(`${id}/archive`, { confirm: id }), 404, 'not_found');
      expectProblem(await post(`${id}/restore`), 404, 'not_found');
      expectProblem(await post(`${id}/purge`, { confirm: id }), 404, 'not_found');
    }
  });

  it('gives a non-super-admin 404 and a token without admin.tenants 403, as the other admin routes do, and changes nothing', async () => {
    const guarded = await makeTenant(t.platform, 'guarded');
    const owner = await makeUser(t.platform);
    await addMember(t.platform, owner, guarded, 'owner');
    const ownerToken = personalToken(t.platform, owner);
    const unscoped = personalToken(t.platform, root, { scopes: ['admin.users'] });
    const before = snapshot(guarded.id);
    const steps: Array<[string, object | undefined]> = [
      ['archive', { confirm: 'guarded' }],
      ['restore', undefined],
      ['purge', { confirm: 'guarded' }],
    ];
    for (const [step, body] of steps) {
      // The same answers the existing admin routes give (GET /tenants, suspend).
      expect((await request(app).get('/api/v1/admin/tenants').set(bearer(ownerToken))).status).toBe(404);
      expect((await request(app).get('/api/v1/admin/tenants').set(bearer(unscoped))).status).toBe(403);
      expectProblem(await post(`guarded/${step}`, body, ownerToken), 404, 'not_found');
      const forbidden = await post(`guarded/${step}`, body, unscoped);
      expectProblem(forbidden, 403, 'forbidden');
      expect(forbidden.body.detail).toContain('admin.tenants');
    }
    expect(snapshot(guarded.id)).toEqual(before);
  });

  it('replays an archive sent again under the same Idempotency-Key', async () => {
    const once = await makeTenant(t.platform, 'once');
    const send = () => post('once/archive', { confirm: 'once' }).set('Idempotency-Key', 'archive-once-1');
    const first = await send();
    expect(first.status).toBe(200);
    const again = await send();
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(auditOf(t.platform, 'tenant.archive').filter((a) => a.tenant_id === once.id)).toHaveLength(1);
  });

  it('purges an archived tenant on its typed slug: a tombstone stays, reachable by id, and the slug is free again', async () => {
    const gone = await makeTenant(t.platform, 'gone');
    await addMember(t.platform, await makeUser(t.platform), gone, 'owner');
    expect((await post('gone/archive', { confirm: 'gone' })).status).toBe(200);

    const before = snapshot(gone.id);
    for (const body of [undefined, { confirm: 'gon' }]) {
      const refused = await post('gone/purge', body);
      expectProblem(refused, 400, 'validation_failed');
      expect(refused.body.errors.map((e: { field: string }) => e.field)).toEqual(['confirm']);
    }
    expect(snapshot(gone.id)).toEqual(before);

    const purged = await post('gone/purge', { confirm: 'gone' });
    expect(purged.status).toBe(200);
    expect(purged.body.data).toMatchObject({ id: gone.id, slug: 'gone', status: 'purged' });
    expect(snapshot(gone.id)).toMatchObject({ live: false, archived: false, memberships: [], row: { status: 'purged', slug: 'gone' } });
    expect(auditOf(t.platform, 'tenant.purge').at(-1)).toMatchObject({ actor_user_id: root.id, tenant_id: gone.id });
    expect(t.platform.tenants.findBySlug('gone')).toBeUndefined();

    // The tombstone is reached by its id and cannot be restored; the slug no longer names it.
    expectProblem(await post(`${gone.id}/restore`), 409, 'conflict');
    expectProblem(await post('gone/restore'), 404, 'not_found');
    const list = await request(app).get('/api/v1/admin/tenants').set(bearer(token));
    expect(list.body.data.map((x: { slug: string }) => x.slug)).not.toContain('gone');

    const again = await request(app).post('/api/v1/admin/tenants').set(bearer(token)).send({ name: 'Gone again', slug: 'gone' });
    expect(again.status).toBe(201);
    expect(again.body.data).toMatchObject({ slug: 'gone', status: 'active' });
    expect(again.body.data.id).not.toBe(gone.id);
  });

  it('documents the three steps in the OpenAPI document, with the confirm field where it is asked for', async () => {
    const { paths } = (await request(app).get('/api/v1/openapi.json')).body as {
      paths: Record<
        string,
        { post: { summary: string; 'x-permission': string; requestBody?: { content: Record<string, { schema: { required?: string[] } }> } } }
      >;
    };
    const step = (name: string) => paths[`/api/v1/admin/tenants/{id}/${name}`].post;
    for (const name of ['archive', 'restore', 'purge']) expect(step(name)).toMatchObject({ summary: expect.any(String), 'x-permission': 'admin.tenants' });
    expect(step('archive').requestBody?.content['application/json'].schema.required).toEqual(['confirm']);
    expect(step('purge').requestBody?.content['application/json'].schema.required).toEqual(['confirm']);
    // Only a restore from a backup names one (`backup`); the archive's takes no field.
    expect(step('restore').requestBody?.content['application/json'].schema.required).toBeUndefined();
  });
});
