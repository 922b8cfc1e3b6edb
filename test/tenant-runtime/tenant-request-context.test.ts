import request from 'supertest';
import BetterSqlite3 from 'better-sqlite3';
import { createTestPlatform, type TestPlatform } from '../support/test-platform';
import { createApp } from '../../app/create-app';
import { makeTenant } from '../support/factories';
import { itemSnapshot, makeItem } from '../support/content';
import { bearer, ownerToken } from '../support/api-tokens';
import { IdempotencyStore } from '../../core/http/idempotency-store';
import * as workflowMail from '../../workspace/notifications/workflow-mail';
import type { TenantRecord } from '../../control-plane/tenants/tenant-record';

describe("a tenant step's audit record", () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let acme: TenantRecord;
  let token: string;

  beforeAll(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    acme = await makeTenant(t.platform, 'acme');
    token = await ownerToken(t.platform, acme);
  });
  afterAll(() => t.cleanup());
  afterEach(() => jest.restoreAllMocks());

  const auditRows = (action: string, id: number) =>
    t.platform.db.all<{ action: string }>('select action from audit_events where tenant_id = ? and action = ? and target_id = ?', [
      acme.id,
      action,
      String(id),
    ]);

  it('is not written when the tenant transaction around the step rolls back, and a retry records the step once', async () => {
    const item = await makeItem(t.platform, acme, { title: 'Rolled back' });
    const before = await itemSnapshot(t.platform, acme, item.id);
    jest.spyOn(IdempotencyStore.prototype, 'complete').mockImplementationOnce(() => {
      throw new BetterSqlite3.SqliteError('database or disk is full', 'SQLITE_FULL');
    });
    const submit = () => request(app).post(`/api/v1/t/acme/items/${item.id}/submit`).set(bearer(token)).set('Idempotency-Key', 'submit-once').send({});
    const failed = await submit();
    expect(failed.status).toBeGreaterThanOrEqual(500);
    expect(await itemSnapshot(t.platform, acme, item.id)).toEqual(before);
    expect(auditRows('item.submit', item.id)).toEqual([]);

    const retried = await submit();
    expect(retried.status).toBe(200);
    expect(auditRows('item.submit', item.id)).toHaveLength(1);
  });

  it('is not written when the step throws after recording it, inside the tenant transaction', async () => {
    const item = await makeItem(t.platform, acme, { title: 'Thrown after' });
    jest.spyOn(workflowMail, 'workflowMailFor').mockImplementationOnce(() => {
      throw new Error('members unreadable');
    });
    const res = await request(app).post(`/api/v1/t/acme/items/${item.id}/submit`).set(bearer(token)).set('Idempotency-Key', 'thrown-after').send({});
    expect(res.status).toBe(500);
    expect((await itemSnapshot(t.platform, acme, item.id)).item?.status).toBe('draft');
    expect(auditRows('item.submit', item.id)).toEqual([]);
  });

  it('is written at once for a step that commits outside any other transaction (the API without a key)', async () => {
    const item = await makeItem(t.platform, acme, { title: 'Committed' });
    const res = await request(app).post(`/api/v1/t/acme/items/${item.id}/submit`).set(bearer(token)).send({});
    expect(res.status).toBe(200);
    expect(auditRows('item.submit', item.id)).toHaveLength(1);
  });
});
