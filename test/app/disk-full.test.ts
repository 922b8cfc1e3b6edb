import fs from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { createTestPlatform, type TestPlatform } from '../support/test-platform';
import { createApp } from '../../app/create-app';
import { addMember, makeTenant, makeUser } from '../support/factories';
import request from 'supertest';
import { csrfFrom, postForm, signIn, type Agent } from '../support/http-agent';
import { FullDisk } from '../support/full-disk';
import { FIXTURES, seedItem, uploadFile } from '../workspace/files/file-fixtures';
import { inTenant } from '../support/content';
import { AttachmentRepository } from '../../workspace/files/attachment-repository';
import { provisionDeps, provisionTenant } from '../../control-plane/provisioning/provision-tenant';
import { createTempDatabase } from '../../control-plane/provisioning/create-temp-database';
import { tenantPaths, tenantsRoot } from '../../tenant-runtime/tenant-paths';
import type { TenantRecord } from '../../control-plane/tenants/tenant-record';
import { cliFor } from '../support/cli-runner';
import { bearer, personalToken } from '../support/api-tokens';

describe('a full disk', () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let acme: TenantRecord;
  let editor: Agent;
  let itemId: number;
  let disk: FullDisk;

  beforeEach(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    acme = await makeTenant(t.platform, 'acme');
    const globex = await makeTenant(t.platform, 'globex');
    const user = await makeUser(t.platform);
    await addMember(t.platform, user, acme, 'editor');
    await addMember(t.platform, user, globex, 'editor');
    editor = await signIn(app, user.email);
    itemId = await seedItem(t.platform, acme, 'Launch post');
    disk = new FullDisk(tenantPaths(t.dataDir, acme.id).files);
  });
  afterEach(async () => {
    disk.restore();
    await t.cleanup();
  });

  const filesIn = (tenant: TenantRecord) => {
    const dir = tenantPaths(t.dataDir, tenant.id).files;
    return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  };
  const attachments = () => inTenant(t.platform, acme, (db) => new AttachmentRepository(db).listForItem(itemId));
  const upload = () => uploadFile(editor, `/t/acme/items/${itemId}/attachments`, 'file', FIXTURES.pdf, 'brief.pdf', 'application/pdf');
  /** The same upload, asking for JSON. */
  const uploadJson = async () => {
    const token = await csrfFrom(editor, '/tenants');
    return editor
      .post(`/t/acme/items/${itemId}/attachments?_csrf=${encodeURIComponent(token)}`)
      .set('Accept', 'application/json')
      .attach('file', FIXTURES.pdf, { filename: 'brief.pdf', contentType: 'application/pdf' });
  };

  it('makes an upload say "The disk is full" and leave no temp file behind', async () => {
    const token = await csrfFrom(editor, '/tenants');
    disk.full = true;
    const res = await editor
      .post(`/t/acme/items/${itemId}/attachments?_csrf=${encodeURIComponent(token)}`)
      .attach('file', FIXTURES.pdf, { filename: 'brief.pdf', contentType: 'application/pdf' });

    expect(res.status).toBe(507);
    expect(res.text).toContain('The disk is full: the file could not be saved.');
    expect(filesIn(acme)).toEqual([]);
    disk.full = false;
    expect(await attachments()).toEqual([]);
  });

  it("shows the item's form again on saving an item, with the reason and the 507, what was typed kept and nothing written", async () => {
    const before = await inTenant(t.platform, acme, (db) => db.all('select * from items'));
    disk.full = true;
    const res = await postForm(editor, `/t/acme/items/${itemId}`, { title: 'A title typed on a full disk', body: 'Kept for the next try' });
    expect(res.status).toBe(507);
    expect(res.text).toContain('The disk is full: nothing could be saved.');
    expect(res.text).toContain('value="A title typed on a full disk"');
    expect(res.text).toContain('Kept for the next try');
    disk.full = false;
    expect(await inTenant(t.platform, acme, (db) => db.all('select * from items'))).toEqual(before);
  });

  it("removes the saved bytes when the upload's row cannot be written", async () => {
    const run = jest.spyOn(AttachmentRepository.prototype, 'insert').mockImplementation(() => {
      throw new BetterSqlite3.SqliteError('database or disk is full', 'SQLITE_FULL');
    });
    try {
      const res = await uploadJson();
      expect(res.status).toBe(507);
      expect(res.body.error).toMatchObject({ code: 'disk_full', message: expect.stringContaining('The disk is full') });
    } finally {
      run.mockRestore();
    }
    expect(filesIn(acme)).toEqual([]);
  });

  it('lets a member delete an attachment, which frees the space', async () => {
    expect((await upload()).status).toBe(303);
    const [row] = await attachments();
    disk.full = true;

    const res = await postForm(editor, `/t/acme/files/${row.id}/delete`, { confirmed: 'yes' });

    expect(res.status).toBe(303);
    expect(disk.full).toBe(false);
    expect(await attachments()).toEqual([]);
    expect(filesIn(acme)).toEqual([]);
  });

  it('never turns a workspace switch into a 500: pages and the switch API still answer', async () => {
    expect((await editor.get('/t/acme/items')).status).toBe(200);
    disk.full = true;

    const page = await editor.get('/t/globex');
    const switched = await editor
      .post('/api/v1/context/switch')
      .set('x-csrf-token', (await editor.get('/api/v1/context')).headers['x-csrf-token'])
      .send({ tenant: 'acme' });
    const back = await editor.get('/t/acme/items');

    expect(page.status).toBe(200);
    expect(switched.status).toBe(200);
    expect(switched.body.tenant).toMatchObject({ slug: 'acme' });
    expect(back.status).toBe(200);
  });

  it("answers a token's reads, uncounted, and still refuses a request past the plan's API requests per day", async () => {
    const owner = await makeUser(t.platform);
    await addMember(t.platform, owner, acme, 'owner');
    const read = (token: Record<string, string>) => request(app).get('/api/v1/t/acme/items').set(token);
    const token = bearer(personalToken(t.platform, owner));
    disk.full = true;

    const listed = await read(token);

    expect(listed.status).toBe(200);
    expect(listed.body.data).toEqual([expect.objectContaining({ title: 'Launch post' })]);
    disk.full = false;
    t.platform.plans.setTenantOverrides(acme.id, { limits: { api_requests_per_day: 1 } });
    expect((await read(token)).status).toBe(200);
    disk.full = true;
    const over = await read(token);
    expect(over.status).toBe(429);
    expect(over.body).toMatchObject({ code: 'limit_reached', used: 1, max: 1 });
  });

  describe('provisioning', () => {
    const leftovers = () => fs.readdirSync(`${tenantsRoot(t.dataDir)}/.provisioning`);

    it('reports "the disk is full" when the copy of the template runs out of space, and leaves nothing behind', async () => {
      const copy = jest.spyOn(fs, 'copyFileSync').mockImplementation(() => {
        throw Object.assign(new Error('ENOSPC: no space left on device, copyfile'), { code: 'ENOSPC', syscall: 'copyfile' });
      });
      try {
        await expect(provisionTenant(provisionDeps(t.platform), { slug: 'initech', name: 'Initech' })).rejects.toThrow(
          'Provisioning initech failed: the disk is full (at create-temp-database). Free some space, then try again.',
        );
      } finally {
        copy.mockRestore();
      }
      expect(t.platform.tenants.findBySlug('initech')).toMatchObject({ status: 'failed', failure_reason: 'create-temp-database: the disk is full' });
      expect(leftovers()).toEqual([]);
    });

    it('names a vague SQLite "disk I/O error" on a disk with no space left for what it is', async () => {
      const statfs = jest.spyOn(fs, 'statfsSync').mockReturnValue({ bavail: 0, bsize: 4096, blocks: 1000 } as unknown as fs.StatsFs);
      const failingSeed = {
        name: 'seed-tenant',
        run: () => {
          throw new BetterSqlite3.SqliteError('disk I/O error', 'SQLITE_IOERR_WRITE');
        },
      };
      try {
        await expect(
          provisionTenant(provisionDeps(t.platform, { steps: [createTempDatabase, failingSeed] }), { slug: 'initech', name: 'Initech' }),
        ).rejects.toThrow('Provisioning initech failed: the disk is full (at seed-tenant).');
      } finally {
        statfs.mockRestore();
      }
      expect(leftovers()).toEqual([]);
    });

    it('says so when not even the tenant row can be written', async () => {
      disk.full = true;
      await expect(provisionTenant(provisionDeps(t.platform), { slug: 'initech', name: 'Initech' })).rejects.toThrow(
        'Provisioning initech failed: the disk is full. Free some space, then try again.',
      );
      disk.full = false;
      expect(t.platform.tenants.findBySlug('initech')).toBeUndefined();
    });

    it('says so on the console and the CLI, with a 507 and exit code 1', async () => {
      const admin = await makeUser(t.platform, { superAdmin: true });
      const agent = await signIn(app, admin.email);
      disk.full = true;
      const page = await postForm(agent, '/admin/tenants', { name: 'Initech', slug: 'initech' });
      expect(page.status).toBe(507);
      expect(page.text).toContain('Provisioning initech failed: the disk is full.');

      const run = await cliFor(t.dataDir)(['tenants', 'create', '--name', 'Hooli', '--slug', 'hooli']);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('error: Provisioning hooli failed: the disk is full');
    });
  });
});

describe('GET /healthz', () => {
  it('says only "ok" when there is space, and warns, without paths or sizes, when DATA_DIR or BACKUP_DIR runs low', async () => {
    const fine = await createTestPlatform();
    const low = await createTestPlatform({ DISK_LOW_MB: '10000000' });
    try {
      expect((await request(createApp(fine.platform).app).get('/healthz')).body).toEqual({ ok: true });
      expect((await request(createApp(low.platform).app).get('/healthz')).body).toEqual({ ok: true, warnings: ['low_disk_space'] });
    } finally {
      await fine.cleanup();
      await low.cleanup();
    }
  });
});
