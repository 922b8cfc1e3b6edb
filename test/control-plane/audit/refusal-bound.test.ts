import path from 'node:path';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeTenant, makeUser } from '../../support/factories';
import { auditOf } from '../../support/team';
import { startChild } from '../../support/child-process';
import { doorOf, OPEN_RECORD_SQL, REFUSAL_WINDOW_MS } from '../../../control-plane/audit/refusal-bound';
import type { AuditRecord } from '../../../tenant-runtime/audit-sink';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import type { UserRecord } from '../../../control-plane/users/user-record';

const RECORDER = path.resolve(__dirname, '../../support/children/refusal-recorder.ts');

describe('refused access recorded with a bound', () => {
  let t: TestPlatform;
  let acme: TenantRecord;
  let globex: TenantRecord;
  let mallory: UserRecord;
  let eve: UserRecord;

  beforeAll(async () => {
    t = await createTestPlatform();
    acme = await makeTenant(t.platform, 'acme');
    globex = await makeTenant(t.platform, 'globex');
    mallory = await makeUser(t.platform);
    eve = await makeUser(t.platform);
  });
  afterAll(() => t.cleanup());
  beforeEach(() => t.platform.db.run("delete from audit_events where action = 'access.refused'"));
  afterEach(() => jest.restoreAllMocks());

  const refusal = (actor: UserRecord, tenant: TenantRecord | null, path: string, extra: Partial<AuditRecord> = {}): AuditRecord => ({
    action: 'access.refused',
    actorUserId: actor.id,
    tenantId: tenant?.id ?? null,
    targetType: 'path',
    targetId: path,
    after: { method: 'GET', path },
    ip: '203.0.113.7',
    userAgent: 'probe/1.0',
    ...extra,
  });
  const refused = () => auditOf(t.platform, 'access.refused');
  const afterOf = (row: { after: string | null }) => JSON.parse(row.after ?? '{}') as Record<string, unknown>;

  it('counts 50 refusals of one member at one workspace into one record that says 50, with the first and the latest path', () => {
    for (let n = 1; n <= 50; n++) t.platform.audit.record(refusal(mallory, acme, `/t/acme/items/${n}`));
    const rows = refused();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor_user_id: mallory.id, tenant_id: acme.id, target_id: '/t/acme/items/1', ip: '203.0.113.7' });
    expect(afterOf(rows[0])).toEqual({
      count: 50,
      last_at: expect.any(String),
      last_method: 'GET',
      last_path: '/t/acme/items/50',
      method: 'GET',
      path: '/t/acme/items/1',
    });
  });

  it('leaves a single refusal as it always was, with no count', () => {
    t.platform.audit.record(refusal(mallory, acme, '/t/acme'));
    expect(refused().map(afterOf)).toEqual([{ method: 'GET', path: '/t/acme' }]);
  });

  it('keeps two members apart, and two workspaces of one member apart', () => {
    for (let n = 0; n < 3; n++) {
      t.platform.audit.record(refusal(mallory, acme, '/t/acme'));
      t.platform.audit.record(refusal(eve, acme, '/t/acme'));
      t.platform.audit.record(refusal(mallory, globex, '/t/globex'));
    }
    expect(refused().map((r) => [r.actor_user_id, r.tenant_id, afterOf(r).count])).toEqual([
      [mallory.id, acme.id, 3],
      [eve.id, acme.id, 3],
      [mallory.id, globex.id, 3],
    ]);
  });

  it('keeps doors apart: the workspace pages, the API, the admin API and the console, even with no tenant', () => {
    for (const p of ['/t/nowhere', '/api/v1/t/nowhere/items', '/api/v1/admin/tenants', '/admin/users', '/t/elsewhere', '/admin']) {
      t.platform.audit.record(refusal(mallory, null, p));
    }
    expect(refused().map((r) => [r.target_id, afterOf(r).count])).toEqual([
      ['/t/nowhere', 2],
      ['/api/v1/t/nowhere/items', undefined],
      ['/api/v1/admin/tenants', undefined],
      ['/admin/users', 2],
    ]);
  });

  it('keeps each refused permission apart, and a token apart from the same person without it', () => {
    const permission = (name: string, extra: Partial<AuditRecord> = {}) =>
      refusal(mallory, acme, '/t/acme/members', { targetType: 'permission', targetId: name, ...extra });
    t.platform.audit.record(permission('team.manage'));
    t.platform.audit.record(permission('team.manage'));
    t.platform.audit.record(permission('content.delete'));
    t.platform.audit.record(permission('team.manage', { apiTokenId: 'k_token' }));
    expect(refused().map((r) => [r.target_id, r.api_token_id, afterOf(r).count])).toEqual([
      ['team.manage', null, 2],
      ['content.delete', null, undefined],
      ['team.manage', 'k_token', undefined],
    ]);
  });

  it('starts a new record once the window has passed since the first refusal', () => {
    const start = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(start);
    t.platform.audit.record(refusal(mallory, acme, '/t/acme'));
    clock.mockReturnValue(start + REFUSAL_WINDOW_MS - 1);
    t.platform.audit.record(refusal(mallory, acme, '/t/acme'));
    clock.mockReturnValue(start + REFUSAL_WINDOW_MS + 1);
    t.platform.audit.record(refusal(mallory, acme, '/t/acme'));
    t.platform.audit.record(refusal(mallory, acme, '/t/acme'));
    expect(refused().map((r) => [r.created_at, afterOf(r).count])).toEqual([
      [start, 2],
      [start + REFUSAL_WINDOW_MS + 1, 2],
    ]);
  });

  it("finds the open record among the tenant's refusals, not among every event of the person (a busy script leaves thousands)", () => {
    const plan = t.platform.db.all<{ detail: string }>(`explain query plan ${OPEN_RECORD_SQL}`, [
      mallory.id,
      0,
      0,
      'access.refused',
      acme.id,
      'path',
      null,
      null,
    ]);
    expect(plan.map((step) => step.detail).join(' | ')).toContain('USING INDEX audit_events_tenant_id_action_created_at_index (tenant_id=? AND action=?');
  });

  it('counts nothing else: every other action is written one record each', () => {
    for (let n = 0; n < 3; n++) t.platform.audit.record({ action: 'item.view_probe', actorUserId: mallory.id, tenantId: acme.id });
    expect(auditOf(t.platform, 'item.view_probe')).toHaveLength(3);
  });

  it('makes one record for one window when two processes record the same refusals at once', async () => {
    const entry = JSON.stringify(refusal(mallory, acme, '/t/acme/items/9'));
    const children = [0, 1].map(() => startChild(RECORDER, [t.dataDir, '100', entry]));
    await Promise.all(children.map((child) => child.message((m) => m === 'ready')));
    for (const child of children) child.process.send('go');
    const runs = await Promise.all(children.map((child) => child.exited));
    expect(runs.map((r) => [r.code, r.stderr])).toEqual([
      [0, ''],
      [0, ''],
    ]);
    expect(refused().map((r) => afterOf(r).count)).toEqual([200]);
  }, 60_000);
});

describe('the door a refused path knocked at', () => {
  it.each([
    ['/t/acme/items/1', 'pages'],
    ['/items/1', 'pages'],
    ['/administrator', 'pages'],
    ['/admin', 'console'],
    ['/admin/tenants/x', 'console'],
    ['/api/v1/admin', 'admin-api'],
    ['/api/v1/admin/users/u1', 'admin-api'],
    ['/api/v1/administrators', 'api'],
    ['/api/v1/t/acme/items', 'api'],
    ['/api/v1/tenants', 'api'],
  ])('takes %s for the %s', (path, door) => expect(doorOf(path)).toBe(door));
});
