import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { makeTenant } from '../../support/factories';
import { makeItem } from '../../support/content';
import { bearer, ownerToken } from '../../support/api-tokens';
import { retriedAfterKill } from '../../support/server-process';
import { AuditLog } from '../../../control-plane/audit/audit-log';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import { withTenantDb } from '../files/file-fixtures';

describe('an item deleted over the API whose answer was cut off', () => {
  let t: TestPlatform;
  let tenant: TenantRecord;
  let token: string;

  beforeEach(async () => {
    t = await createTestPlatform();
    tenant = await makeTenant(t.platform, 'acme');
    token = await ownerToken(t.platform, tenant);
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await t.cleanup();
  });

  const itemCount = () => withTenantDb(t.platform, tenant, (db) => db.get<{ n: number }>('select count(*) as n from items')?.n);

  it('is answered to the retry with the deletion when a failure followed it, not 404 nor "in use"', async () => {
    const item = await makeItem(t.platform, tenant, { title: 'Old draft' });
    const { app } = createApp(t.platform);
    const record = jest.spyOn(AuditLog.prototype, 'record').mockImplementationOnce(() => {
      throw new Error('database is locked');
    });
    const del = () => request(app).post(`/api/v1/t/acme/items/${item.id}/delete`).set(bearer(token)).set('Idempotency-Key', 'delete-once');
    expect((await del()).status).toBe(500);
    record.mockRestore();
    const again = await del();
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual({ data: { id: item.id, title: 'Old draft', status: 'draft', deleted: true } });
    expect(await itemCount()).toBe(0);
  });

  it('is answered to the retry with the deletion after the server was killed once its rows were gone and started again', async () => {
    const item = await makeItem(t.platform, tenant, { title: 'Killed draft' });
    t.platform.router.closeAll();
    const del = (base: string) =>
      fetch(`${base}/api/v1/t/acme/items/${item.id}/delete`, { method: 'POST', headers: { ...bearer(token), 'idempotency-key': 'delete-killed' } });
    const again = await retriedAfterKill(t.dataDir, 'files:rows-deleted', del);
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual({ data: { id: item.id, title: 'Killed draft', status: 'draft', deleted: true } });
    expect(await itemCount()).toBe(0);
  }, 90_000);
});
