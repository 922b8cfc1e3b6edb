import fs from 'node:fs';
import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { makeTenant, makeUser } from '../../support/factories';
import { auditOf } from '../../support/team';
import { bearer, personalToken } from '../../support/api-tokens';
import { makeItem, tenantContent } from '../../support/content';
import { FullDisk } from '../../support/full-disk';
import { backupFleet } from '../../../control-plane/backups/backup-fleet';
import { listBackups } from '../../../control-plane/backups/list-backups';
import { tenantBackupsDir } from '../../../control-plane/backups/backup-location';
import { JobWorker } from '../../../core/workers/job-worker';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';

/** GET and POST /api/v1/admin/tenants/:id/backups and POST .../restore with a backup: the console's backups, through the API. */
describe("the super-admin API's backups of a tenant", () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let token: string;
  let tokenId: string;
  let acme: TenantRecord;
  let globex: TenantRecord;
  beforeEach(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    const admin = await makeUser(t.platform, { superAdmin: true });
    token = personalToken(t.platform, admin, { scopes: ['admin.tenants'] });
    tokenId = (t.platform.db.get<{ id: string }>('select id from api_tokens where user_id = ?', [admin.id]) as { id: string }).id;
    acme = await makeTenant(t.platform, 'acme', 'Acme');
    globex = await makeTenant(t.platform, 'globex', 'Globex');
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await t.cleanup();
  });

  const api = (method: 'get' | 'post', path: string, as = token) => request(app)[method](`/api/v1/admin${path}`).set(bearer(as));
  const backUp = (tenant: TenantRecord) => backupFleet(t.platform, { slugs: [tenant.slug], trigger: 'cli' }).then((r) => r.outcomes[0].backupId!);
  const titles = async (tenant: TenantRecord) => (await tenantContent(t.platform, tenant)).items.map((i) => (i as { title: string }).title);
  const backupIds = (tenant: TenantRecord) => listBackups(t.platform, tenant.id).map((b) => b.id);

  describe('the list', () => {
    it("lists the tenant's backups newest first with what the console shows, by id or slug", async () => {
      const older = await backUp(acme);
      const newer = await backUp(acme);
      const res = await api('get', `/tenants/${acme.id}/backups`);
      expect(res.status).toBe(200);
      expect(res.body.data.map((b: { id: string }) => b.id)).toEqual([newer, older]);
      expect(res.body.data[0]).toEqual({
        id: newer,
        taken_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
        kind: 'manual',
        bytes: expect.any(Number),
        files: 0,
        schema_version: expect.any(String),
        verified: true,
        problem: null,
      });
      expect(res.body.next_cursor).toBeNull();
      expect((await api('get', '/tenants/acme/backups')).body.data).toEqual(res.body.data);
    });

    it('pages with a cursor, each backup once', async () => {
      const ids = [await backUp(acme), await backUp(acme), await backUp(acme)].reverse();
      const first = await api('get', '/tenants/acme/backups?limit=2');
      expect(first.body.data.map((b: { id: string }) => b.id)).toEqual(ids.slice(0, 2));
      const second = await api('get', `/tenants/acme/backups?limit=2&cursor=${first.body.next_cursor}`);
      expect(second.body.data.map((b: { id: string }) => b.id)).toEqual(ids.slice(2));
      expect(second.body.next_cursor).toBeNull();
    });

    it('refuses a cursor no page gave and a parameter it does not take, naming them', async () => {
      expect((await api('get', '/tenants/acme/backups?cursor=..%2Fx')).body).toMatchObject({ status: 400, errors: [{ field: 'cursor' }] });
      expect((await api('get', '/tenants/acme/backups?page=2')).body).toMatchObject({ status: 400, errors: [{ field: 'page' }] });
    });
  });

  describe('back up now', () => {
    it('takes a verified backup and answers 201 with it, recorded as tenant.backup naming the token', async () => {
      const res = await api('post', '/tenants/acme/backups').send({});
      expect(res.status).toBe(201);
      expect(res.body.data).toMatchObject({ kind: 'manual', verified: true });
      expect(backupIds(acme)).toEqual([res.body.data.id]);
      expect(backupIds(globex)).toEqual([]);
      expect(auditOf(t.platform, 'tenant.backup')).toEqual([expect.objectContaining({ tenant_id: acme.id, api_token_id: tokenId })]);
    });

    it('replays the answer to a request sent again under the same Idempotency-Key, taking one backup', async () => {
      const first = await api('post', '/tenants/acme/backups').set('Idempotency-Key', 'nightly-1').send();
      const again = await api('post', '/tenants/acme/backups').set('Idempotency-Key', 'nightly-1').send();
      expect(again.status).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      expect(backupIds(acme)).toHaveLength(1);
    });

    it('takes one backup for two identical requests at once, refusing the other with a 409, and leaves no partial copy', async () => {
      const answers = await Promise.all([api('post', '/tenants/acme/backups').send(), api('post', '/tenants/acme/backups').send()]);
      expect(answers.map((r) => r.status).sort()).toEqual([201, 409]);
      expect(answers.find((r) => r.status === 409)?.body.detail).toContain('being taken right now');
      expect(backupIds(acme)).toHaveLength(1);
      expect(fs.readdirSync(tenantBackupsDir(t.platform.config.backupDir, acme.id))).toEqual(backupIds(acme));
    });

    it('answers 507 naming the full disk when the copy runs out of space, and keeps nothing', async () => {
      jest.spyOn(JobWorker.prototype, 'run').mockRejectedValue(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
      const res = await api('post', '/tenants/acme/backups').send();
      expect(res.status).toBe(507);
      expect(res.body.detail).toContain('the disk is full');
      expect(backupIds(acme)).toEqual([]);
    });

    it('refuses an archived tenant with a 409, an unknown tenant with a 404 and a body field with a 400, taking nothing', async () => {
      t.platform.db.run("update tenants set status = 'archived' where id = ?", [globex.id]);
      expect((await api('post', '/tenants/globex/backups').send()).status).toBe(409);
      expect((await api('post', '/tenants/nope/backups').send()).status).toBe(404);
      expect((await api('post', '/tenants/acme/backups').send({ kind: 'scheduled' })).body).toMatchObject({ status: 400, errors: [{ field: 'kind' }] });
      expect(backupIds(acme)).toEqual([]);
    });
  });

  describe('restore from a backup', () => {
    it("puts the tenant's data back as the backup holds it, keeping what it replaced, every record naming the token", async () => {
      await makeItem(t.platform, acme, { title: 'Before' });
      const backupId = await backUp(acme);
      await makeItem(t.platform, acme, { title: 'After' });
      const res = await api('post', '/tenants/acme/restore').send({ backup: backupId });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ data: { id: acme.id, status: 'active' }, restore: { backup_id: backupId, pre_restore_backup_id: expect.any(String) } });
      expect(await titles(acme)).toEqual(['Before']);
      const records = t.platform.db.all<{ action: string; api_token_id: string | null }>(
        "select action, api_token_id from audit_events where action like 'tenant.restore%' order by id",
      );
      expect(records.map((r) => r.action)).toEqual(['tenant.restore.started', 'tenant.restore']);
      expect(records.every((r) => r.api_token_id === tokenId)).toBe(true);
    });

    it('answers a backup of another tenant with a 404, restoring nothing', async () => {
      await makeItem(t.platform, acme, { title: 'Acme only' });
      await backUp(acme);
      const globexBackup = await backUp(globex);
      const before = backupIds(acme);
      const res = await api('post', `/tenants/${acme.id}/restore`).send({ backup: globexBackup });
      expect(res.status).toBe(404);
      expect(await titles(acme)).toEqual(['Acme only']);
      expect(backupIds(acme)).toEqual(before);
      expect(t.platform.tenants.findById(acme.id)?.status).toBe('active');
      expect(auditOf(t.platform, 'tenant.restore.started')).toEqual([]);
    });

    it('refuses a malformed backup id, a path, a field it does not take and a huge value with a 400 naming the field, a huge body with a 413', async () => {
      const backupId = await backUp(acme);
      const refused = async (body: object) => (await api('post', '/tenants/acme/restore').send(body)).body;
      expect(await refused({ backup: '../x' })).toMatchObject({ status: 400, errors: [{ field: 'backup' }] });
      expect(await refused({ backup: `../${globex.id}/${backupId}` })).toMatchObject({ status: 400, errors: [{ field: 'backup' }] });
      expect(await refused({ backup: 42 })).toMatchObject({ status: 400, errors: [{ field: 'backup', message: 'must be text' }] });
      expect(await refused({ backup: '2'.repeat(50_000) })).toMatchObject({ status: 400, errors: [{ field: 'backup' }] });
      expect(await refused({ backup: backupId, confirm: 'acme' })).toMatchObject({ status: 400, errors: [{ field: 'confirm' }] });
      // Past the body limit of every request (100 kB), refused before any route reads it.
      expect(await refused({ backup: backupId, padding: 'x'.repeat(200_000) })).toMatchObject({ status: 413, code: 'payload_too_large' });
      expect(auditOf(t.platform, 'tenant.restore.started')).toEqual([]);
    });

    it('answers 507 when BACKUP_DIR has no room for the state it would replace, changing nothing', async () => {
      await makeItem(t.platform, acme, { title: 'Kept' });
      const backupId = await backUp(acme);
      await makeItem(t.platform, acme, { title: 'Kept too' });
      const disk = new FullDisk(undefined, { within: t.platform.config.backupDir });
      disk.full = true;
      try {
        expect((await api('post', '/tenants/acme/restore').send({ backup: backupId })).status).toBe(507);
      } finally {
        disk.restore();
      }
      expect(await titles(acme)).toEqual(['Kept', 'Kept too']);
    });

    it('still brings an archived tenant back from its archive without a backup', async () => {
      expect((await api('post', '/tenants/acme/archive').send({ confirm: 'acme' })).status).toBe(200);
      const res = await api('post', '/tenants/acme/restore').send({});
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ slug: 'acme', status: 'active' });
    });
  });

  it('refuses a token without the admin.tenants scope with a 403 recorded as access.refused, doing nothing', async () => {
    const backupId = await backUp(acme);
    const admin = await makeUser(t.platform, { superAdmin: true });
    const unscoped = personalToken(t.platform, admin, { scopes: ['admin.users'] });
    expect((await api('get', '/tenants/acme/backups', unscoped)).status).toBe(403);
    expect((await api('post', '/tenants/acme/backups', unscoped).send()).status).toBe(403);
    expect((await api('post', '/tenants/acme/restore', unscoped).send({ backup: backupId })).status).toBe(403);
    expect(auditOf(t.platform, 'access.refused').map((r) => [r.target_id, JSON.parse(r.after ?? '{}').count])).toEqual([['admin.tenants', 3]]);
    expect(backupIds(acme)).toEqual([backupId]);
    expect(auditOf(t.platform, 'tenant.restore.started')).toEqual([]);
  });
});
