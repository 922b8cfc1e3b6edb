import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import path from 'node:path';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { postForm, signIn, type Agent } from '../../support/http-agent';
import { makeItem } from '../../support/content';
import { outboxMails } from '../../support/outbox';
import { outboxDir } from '../../../core/mail/mailer';
import { MailDispatcher } from '../../../workspace/notifications/mail-dispatcher';
import { addItem, fillTenant, itemTitles, tenantState } from '../../support/tenant-data';
import { startChild } from '../../support/child-process';
import { migrationsFolderWith, newestRealMigration, undoNewestRealMigration } from '../../support/migrations-folder';
import { withTenantFile } from '../../support/tenant-file';
import { backupFleet } from '../../../control-plane/backups/backup-fleet';
import { listBackups } from '../../../control-plane/backups/list-backups';
import { restoreTenant } from '../../../control-plane/backups/restore-tenant';
import { backupIdAt, tenantBackupsDir } from '../../../control-plane/backups/backup-location';
import { tenantPaths, tenantsRoot } from '../../../tenant-runtime/tenant-paths';
import { suspendTenant } from '../../../control-plane/lifecycle/suspend-tenant';
import { CLI_OPERATOR } from '../../../control-plane/lifecycle/operator';
import { archiveTenant } from '../../../control-plane/lifecycle/archive-tenant';
import { TenantStatusHistory } from '../../../control-plane/lifecycle/tenant-status-history';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import request from 'supertest';
import { bearer, personalToken } from '../../support/api-tokens';
import { utcDay } from '../../../core/time/utc-time';
import { migrateOneTenant } from '../../../control-plane/fleet/migrate-one-tenant';

const WRITER = path.resolve(__dirname, '../../support/children/tenant-writer.js');

describe('restoreTenant', () => {
  let t: TestPlatform;
  let acme: TenantRecord;
  let globex: TenantRecord;

  const backUp = async (slug: string) => (await backupFleet(t.platform, { slugs: [slug], trigger: 'cli' })).outcomes[0].backupId!;
  const restore = (slug: string, backupId?: string) => restoreTenant(t.platform, { slug, backupId, actorUserId: null });
  const leftovers = () => {
    const dir = path.join(tenantsRoot(t.dataDir), '.restoring');
    return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  };

  beforeEach(async () => {
    t = await createTestPlatform();
    acme = await makeTenant(t.platform, 'acme');
    globex = await makeTenant(t.platform, 'globex');
    await fillTenant(t, acme);
    await fillTenant(t, globex);
  });
  afterEach(() => t.cleanup());

  it('gives back every row and every file the backup holds (round trip)', async () => {
    const before = tenantState(t.dataDir, acme.id);
    const backupId = await backUp('acme');
    await addItem(t, acme, 'written after the backup');
    fs.rmSync(path.join(tenantPaths(t.dataDir, acme.id).files, Object.keys(before.files)[0]));

    const result = await restore('acme', backupId);

    expect(result).toMatchObject({ backupId, migrated: [] });
    expect(result.tenant.status).toBe('active');
    expect(tenantState(t.dataDir, acme.id)).toEqual(before);
    expect(leftovers()).toEqual([]);
  });

  it('keeps the state it replaced as a pre-restore backup, which restores it again', async () => {
    const backupId = await backUp('acme');
    await addItem(t, acme, 'written after the backup');
    const replaced = tenantState(t.dataDir, acme.id);

    const result = await restore('acme', backupId);
    const preRestore = listBackups(t.platform, acme.id).find((b) => b.id === result.preRestoreBackupId);
    expect(preRestore).toMatchObject({ kind: 'pre-restore', verified: true });

    await restore('acme', result.preRestoreBackupId!);
    expect(tenantState(t.dataDir, acme.id)).toEqual(replaced);
  });

  it('restores the newest verified backup when none is named', async () => {
    await backUp('acme');
    await addItem(t, acme, 'in the newest backup');
    await backUp('acme');
    await addItem(t, acme, 'after both');

    await restore('acme');

    expect(itemTitles(t.dataDir, acme.id)).toContain('in the newest backup');
    expect(itemTitles(t.dataDir, acme.id)).not.toContain('after both');
  });

  it('restores the backup taken last when none is named, not one dated in the future by a clock that was ahead then', async () => {
    await addItem(t, acme, 'while the clock was ahead');
    const early = await backUp('acme');
    const dir = tenantBackupsDir(t.config.backupDir, acme.id);
    const dated = backupIdAt(Date.now() + 200 * 86_400_000);
    fs.renameSync(path.join(dir, early), path.join(dir, dated));
    await addItem(t, acme, 'after the clock was set back');
    const last = await backUp('acme');
    await addItem(t, acme, 'after both');

    expect((await restore('acme')).backupId).toBe(last);
    expect(itemTitles(t.dataDir, acme.id)).toContain('after the clock was set back');
    expect(itemTitles(t.dataDir, acme.id)).not.toContain('after both');
  });

  it('restores the newest backup taken as one when none is named, not the pre-restore backup the last restore left, which restores when named', async () => {
    await addItem(t, acme, 'in the backup');
    const backupId = await backUp('acme');
    await addItem(t, acme, 'after the backup');
    const first = await restore('acme', backupId);
    expect(itemTitles(t.dataDir, acme.id)).not.toContain('after the backup');
    const preRestore = listBackups(t.platform, acme.id).find((b) => b.kind === 'pre-restore')!;
    expect(preRestore.id).not.toBe(first.backupId);

    expect((await restore('acme')).backupId).toBe(backupId);
    expect(itemTitles(t.dataDir, acme.id)).not.toContain('after the backup');

    await restore('acme', preRestore.id);
    expect(itemTitles(t.dataDir, acme.id)).toContain('after the backup');
  });

  it('never touches another tenant', async () => {
    const backupId = await backUp('acme');
    const globexBefore = tenantState(t.dataDir, globex.id);
    const lease = await t.platform.router.acquire(globex.id);
    lease.release();

    await restore('acme', backupId);

    expect(tenantState(t.dataDir, globex.id)).toEqual(globexBefore);
    expect(t.platform.tenants.findById(globex.id)?.status).toBe('active');
    expect(t.platform.router.isOpen(globex.id)).toBe(true);
  });

  it('keeps a suspended tenant suspended, with its reason and end date, through the transition table', async () => {
    const backupId = await backUp('acme');
    const suspended = suspendTenant(t.platform, acme.id, { reason: 'Unpaid', until: '2099-03-01 09:00' }, CLI_OPERATOR);

    const { tenant } = await restore('acme', backupId);
    expect(tenant).toMatchObject({ status: 'suspended', status_reason: 'Unpaid', status_until: suspended.status_until });
    expect(new TenantStatusHistory(t.platform.db).list(acme.id).map((h) => `${h.action}:${h.from_status}->${h.to_status}`)).toEqual([
      'bring-back:maintenance->suspended',
      'take-offline:suspended->maintenance',
      'suspend:active->suspended',
      'activate:provisioning->active',
    ]);
  });

  it('refuses an archived tenant: the transition table has no way to take it offline for a backup', async () => {
    const backupId = await backUp('acme');
    await archiveTenant(t.platform, acme.id, { confirm: 'acme' }, CLI_OPERATOR);

    await expect(restore('acme', backupId)).rejects.toThrow('Tenant acme is archived; only active, suspended, damaged tenants can be restored from a backup.');
    expect(t.platform.tenants.findById(acme.id)?.status).toBe('archived');
    expect(leftovers()).toEqual([]);
  });

  it('refuses a backup that fails its checksums before anything changes', async () => {
    const backupId = await backUp('acme');
    await addItem(t, acme, 'still here');
    const before = tenantState(t.dataDir, acme.id);
    const copy = path.join(tenantBackupsDir(t.config.backupDir, acme.id), backupId, 'tenant.sqlite');
    const bytes = fs.readFileSync(copy);
    bytes[bytes.length - 100] ^= 0xff;
    fs.writeFileSync(copy, bytes);

    await expect(restore('acme', backupId)).rejects.toThrow(`Backup ${backupId} cannot be used: tenant.sqlite does not match its checksum`);
    expect(tenantState(t.dataDir, acme.id)).toEqual(before);
    expect(t.platform.tenants.findById(acme.id)?.status).toBe('active');
    expect(leftovers()).toEqual([]);
  });

  describe('refuses a backup changed since it was taken, manifest and all, before anything changes', () => {
    const sha256 = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    /** Changes a backup's folder, then writes its manifest's sizes and checksums again, as someone with access to it could. */
    const tamper = async (change: (dir: string, manifest: { files: Array<{ path: string; size: number; sha256: string }> }) => void) => {
      const backupId = await backUp('acme');
      const dir = path.join(tenantBackupsDir(t.config.backupDir, acme.id), backupId);
      const manifestFile = path.join(dir, 'manifest.json');
      const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
      change(dir, manifest);
      for (const entry of manifest.files as Array<{ path: string; size: number; sha256: string }>) {
        const file = path.join(dir, entry.path);
        if (fs.lstatSync(file, { throwIfNoEntry: false })?.isFile()) Object.assign(entry, { size: fs.statSync(file).size, sha256: sha256(file) });
      }
      fs.writeFileSync(manifestFile, JSON.stringify(manifest));
      return backupId;
    };
    const refused = async (backupId: string, reason: string) => {
      await addItem(t, acme, 'still here');
      const before = tenantState(t.dataDir, acme.id);
      await expect(restore('acme', backupId)).rejects.toThrow(`Backup ${backupId} cannot be used: ${reason}`);
      expect(tenantState(t.dataDir, acme.id)).toEqual(before);
      expect(t.platform.tenants.findById(acme.id)?.status).toBe('active');
      expect(auditActions()).not.toContain('tenant.restore.started');
      expect(leftovers()).toEqual([]);
    };
    const auditActions = () => t.platform.db.connection().prepare('select action from audit_events').pluck().all() as string[];
    const onDatabase = (dir: string, sql: string) => {
      const db = new BetterSqlite3(path.join(dir, 'tenant.sqlite'));
      db.exec(sql);
      db.close();
    };

    it('a trigger planted in its database', async () => {
      const backupId = await tamper((dir) => onDatabase(dir, 'create trigger evil after insert on items begin delete from items; end'));
      await refused(backupId, 'the database has a trigger "evil" that no Tenantry migration creates');
    });

    it("another tenant's database, its manifest naming this tenant", async () => {
      const theirs = path.join(tenantBackupsDir(t.config.backupDir, globex.id), await backUp('globex'), 'tenant.sqlite');
      const backupId = await tamper((dir) => fs.copyFileSync(theirs, path.join(dir, 'tenant.sqlite')));
      await refused(backupId, "its database belongs to another tenant (the file's header names another owner)");
    });

    it("its database replaced by a file that is not a database, named as such (not as another tenant's)", async () => {
      const text = await tamper((dir) => fs.writeFileSync(path.join(dir, 'tenant.sqlite'), 'not a database at all, '.repeat(100)));
      await refused(text, 'tenant.sqlite is not a SQLite database');
      const empty = await tamper((dir) => fs.writeFileSync(path.join(dir, 'tenant.sqlite'), ''));
      await refused(empty, 'tenant.sqlite is not a SQLite database');
    });

    it('a migration recorded in its database that its manifest does not list', async () => {
      const backupId = await tamper((dir) => onDatabase(dir, "insert into tenant_migrations (name, applied_at) values ('9999-from-elsewhere', 1)"));
      await refused(backupId, 'the database records migrations this version of Tenantry does not have (9999-from-elsewhere): upgrade first');
    });

    it('its database replaced by a link to an endless file, which is never read', async () => {
      const backupId = await tamper((dir) => {
        fs.rmSync(path.join(dir, 'tenant.sqlite'));
        fs.symlinkSync('/dev/zero', path.join(dir, 'tenant.sqlite'));
      });
      await refused(backupId, 'tenant.sqlite is not a regular file');
    });

    it('a manifest that lists no database, or a file twice', async () => {
      const without = await tamper((_dir, manifest) => {
        manifest.files = manifest.files.filter((f) => f.path !== 'tenant.sqlite');
      });
      await refused(without, 'its manifest lists no tenant.sqlite');
      const twice = await tamper((_dir, manifest) => {
        manifest.files.push(manifest.files[0]);
      });
      await refused(twice, 'its manifest lists a file twice');
    });
  });

  it('lists a backup whose manifest is a pipe as unreadable, without waiting on it', async () => {
    const backupId = await backUp('acme');
    const dir = path.join(tenantBackupsDir(t.config.backupDir, acme.id), '20990103T000000000Z');
    fs.mkdirSync(dir);
    execFileSync('mkfifo', [path.join(dir, 'manifest.json')]);
    const listed = listBackups(t.platform, acme.id);
    expect(listed.find((b) => b.id === '20990103T000000000Z')).toMatchObject({ verified: false, problem: 'manifest unreadable: not a regular file' });
    expect(listed.find((b) => b.id === backupId)?.verified).toBe(true);
  });

  it('refuses an unknown backup id and a tenant without backups with a clear message', async () => {
    await expect(restore('acme')).rejects.toThrow('Tenant acme has no verified backup to restore.');
    await expect(restore('acme', '../../etc')).rejects.toThrow('No backup');
    await expect(restore('acme', '20200101T000000000Z')).rejects.toThrow('No backup 20200101T000000000Z for this tenant.');
  });

  it('takes the tenant offline with a 503 and Retry-After for members while requests run, then serves the restored data', async () => {
    const { app } = createApp(t.platform);
    const user = await makeUser(t.platform);
    await addMember(t.platform, user, acme, 'owner');
    const member: Agent = await signIn(app, user.email);
    const backupId = await backUp('acme');
    await addItem(t, acme, 'not in the backup');
    // A long request holds the handle: the restore drains it while other requests come in.
    const longRequest = await t.platform.router.acquire(acme.id);
    setTimeout(() => longRequest.release(), 400);

    let restoring = true;
    const answers: Array<{ status: number; retryAfter?: string; text: string }> = [];
    const load = (async () => {
      while (restoring) {
        const res = await member.get('/t/acme/items');
        answers.push({ status: res.status, retryAfter: res.headers['retry-after'], text: res.text });
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await restore('acme', backupId);
    restoring = false;
    await load;

    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([200, 503]));
    const offline = answers.filter((a) => a.status === 503);
    expect(offline.every((a) => a.retryAfter === '5' && a.text.includes('being restored'))).toBe(true);
    const after = await member.get('/t/acme/items');
    expect(after.status).toBe(200);
    expect(after.text).not.toContain('not in the backup');
    expect(after.text).toContain('acme: launch post');
  });

  it('answers non-members of a tenant in maintenance with the same 404 as ever', async () => {
    const { app } = createApp(t.platform);
    const stranger = await makeUser(t.platform);
    await addMember(t.platform, stranger, globex, 'owner');
    const agent = await signIn(app, stranger.email);
    t.platform.tenants.update(acme.id, { status: 'maintenance' });

    const res = await agent.get('/t/acme/items');

    expect(res.status).toBe(404);
    expect(res.headers['retry-after']).toBeUndefined();
  });

  it('gives up and puts everything back when another process keeps the database open', async () => {
    const backupId = await backUp('acme');
    const before = tenantState(t.dataDir, acme.id);
    const writer = startChild(WRITER, [JSON.stringify([tenantPaths(t.dataDir, acme.id).database])]);
    await writer.message((m) => m === 'writing');
    try {
      await expect(restoreTenant(t.platform, { slug: 'acme', backupId, actorUserId: null, drainTimeoutMs: 300 })).rejects.toThrow(
        'The tenant database is still open in another process',
      );
    } finally {
      writer.process.send('stop');
      await writer.exited;
    }
    expect(t.platform.tenants.findById(acme.id)?.status).toBe('active');
    const after = tenantState(t.dataDir, acme.id);
    // Only the other process's own writes were added meanwhile.
    expect((after.tables.items as Array<{ title: string }>).filter((i) => !i.title.startsWith('live-write-'))).toEqual(before.tables.items);
    expect(after.files).toEqual(before.files);
    expect(leftovers()).toEqual([]);
    const actions = t.platform.db.all<{ action: string }>("select action from audit_events where tenant_id = ? and action like 'tenant.restore%' order by id", [
      acme.id,
    ]);
    expect(actions.map((a) => a.action)).toEqual(['tenant.restore.started', 'tenant.restore.rolled_back']);
  });

  describe("the workspace's metered use", () => {
    const DAY_MS = 86_400_000;
    const today = () => utcDay();
    /** A day of this UTC month other than today (the 1st, or the 2nd on the 1st). */
    const earlierThisMonth = () => `${today().slice(0, 7)}-${today().endsWith('-01') ? '02' : '01'}`;
    /** The first day the usage charts show (30 days with today): this month's or the last one's. */
    const chartStart = () => utcDay(Date.now() - 29 * DAY_MS);
    const longAgo = () => utcDay(Date.now() - 60 * DAY_MS);
    const counters = () =>
      withTenantFile(t, 'acme', (db) => db.prepare('select metric, day, user_id, value from usage_counters order by metric, day, user_id').all());
    const count = (metric: string, day: string, value: number, userId = '') =>
      withTenantFile(t, 'acme', (db) =>
        db
          .prepare(
            'insert into usage_counters (metric, day, user_id, value) values (?, ?, ?, ?) on conflict (metric, day, user_id) do update set value = excluded.value',
          )
          .run(metric, day, userId, value),
      );
    const restoreAudit = () =>
      JSON.parse(
        t.platform.db.get<{ after: string }>("select after from audit_events where tenant_id = ? and action = 'tenant.restore' order by id desc limit 1", [
          acme.id,
        ])!.after,
      );

    it("keeps this month's counters: a workspace at its daily API limit is still at it after a restore of a backup taken before", async () => {
      const owner = await makeUser(t.platform);
      await addMember(t.platform, owner, acme, 'owner');
      t.platform.plans.setTenantOverrides(acme.id, { limits: { api_requests_per_day: 3 } });
      const { app } = createApp(t.platform);
      const token = bearer(personalToken(t.platform, owner));
      const call = () => request(app).get('/api/v1/t/acme/items').set(token);
      expect((await call()).status).toBe(200);
      const backupId = await backUp('acme');
      expect((await call()).status).toBe(200);
      expect((await call()).status).toBe(200);
      expect((await call()).status).toBe(429);

      const result = await restore('acme', backupId);

      expect(result).toMatchObject({ usageCarried: 1, usageNotCarried: null });
      expect((await call()).status).toBe(429);
      expect(counters()).toEqual([{ metric: 'api_requests', day: today(), user_id: '', value: 3 }]);
      expect(restoreAudit()).toMatchObject({ backup_id: backupId, usage_carried: 1 });
    });

    it("takes the larger of the two per counter and day of this month and of the usage charts' days, and leaves older days as the backup holds them", async () => {
      count('items_created', today(), 2, 'u1');
      count('csv_rows_imported', earlierThisMonth(), 900);
      count('api_requests', chartStart(), 10);
      count('api_requests', longAgo(), 40);
      const backupId = await backUp('acme');
      count('items_created', today(), 5, 'u1');
      count('items_created', today(), 1, 'u2');
      count('csv_rows_imported', earlierThisMonth(), 300);
      count('api_requests', chartStart(), 15);
      count('api_requests', longAgo(), 70);
      t.platform.router.closeAll();

      const result = await restore('acme', backupId);

      expect(result.usageCarried).toBe(4);
      expect(counters()).toEqual(
        [
          { metric: 'api_requests', day: chartStart(), user_id: '', value: 15 },
          { metric: 'api_requests', day: longAgo(), user_id: '', value: 40 },
          { metric: 'csv_rows_imported', day: earlierThisMonth(), user_id: '', value: 900 },
          { metric: 'items_created', day: today(), user_id: 'u1', value: 5 },
          { metric: 'items_created', day: today(), user_id: 'u2', value: 1 },
        ].sort((a, b) => `${a.metric} ${a.day} ${a.user_id}`.localeCompare(`${b.metric} ${b.day} ${b.user_id}`)),
      );
    });

    it.each([
      [
        'holds no database',
        'the file is not a database (no SQLite header)',
        (file: string) => fs.writeFileSync(file, 'not a database at all, just text'.repeat(200)),
      ],
      ['is missing', 'the database file is missing', (file: string) => fs.rmSync(file)],
      [
        'has a damaged counters table',
        'the database cannot be read (database disk image is malformed)',
        (file: string) => {
          const db = new BetterSqlite3(file);
          const page = (db.prepare("select rootpage from sqlite_master where name = 'usage_counters'").get() as { rootpage: number }).rootpage;
          const size = db.pragma('page_size', { simple: true }) as number;
          db.close();
          const fd = fs.openSync(file, 'r+');
          fs.writeSync(fd, Buffer.alloc(size, 0xa5), 0, size, (page - 1) * size);
          fs.closeSync(fd);
        },
      ],
    ])('still restores when the current database %s, carrying no counters and saying why', async (_case, reason, damage) => {
      count('api_requests', today(), 2);
      const backupId = await backUp('acme');
      const before = tenantState(t.dataDir, acme.id);
      count('api_requests', today(), 9);
      t.platform.router.closeAll();
      damage(tenantPaths(t.dataDir, acme.id).database);

      const result = await restore('acme', backupId);

      expect(result.tenant.status).toBe('active');
      expect(result.usageCarried).toBe(0);
      expect(result.usageNotCarried).toBe(reason);
      expect(tenantState(t.dataDir, acme.id)).toEqual(before);
      expect(restoreAudit()).toMatchObject({ backup_id: backupId, usage_carried: 0, usage_not_carried: result.usageNotCarried });
      expect(leftovers()).toEqual([]);
    });
  });

  it('records the restore in the audit trail', async () => {
    const backupId = await backUp('acme');
    await restore('acme', backupId);
    const rows = t.platform.db.all<{ action: string; after: string }>(
      "select action, after from audit_events where tenant_id = ? and action like 'tenant.restore%' order by id",
      [acme.id],
    );
    expect(rows.map((r) => r.action)).toEqual(['tenant.restore.started', 'tenant.restore']);
    expect(JSON.parse(rows[1].after)).toMatchObject({ status: 'active', backup_id: backupId });
  });
});

describe('restoreTenant of a backup behind the code', () => {
  let t: TestPlatform;
  const NEW = '0099-add-a-column';

  beforeEach(async () => {
    t = await createTestPlatform(
      {},
      {
        tenantMigrationsDir: migrationsFolderWith(
          NEW,
          `import type { Knex } from 'knex';
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('items', (t) => t.string('summary', 200).nullable());
}
`,
        ),
      },
    );
  });
  afterEach(() => t.cleanup());

  it('runs the pending migrations after the swap and records the version', async () => {
    const acme = await makeTenant(t.platform, 'acme');
    withTenantFile(t, 'acme', (db) => {
      db.exec('alter table items drop column summary');
      db.prepare('delete from tenant_migrations where name = ?').run(NEW);
    });
    const backupId = (await backupFleet(t.platform, { slugs: ['acme'], trigger: 'cli' })).outcomes[0].backupId!;
    expect(listBackups(t.platform, acme.id)[0].schemaVersion).toBe(newestRealMigration());

    const result = await restoreTenant(t.platform, { slug: 'acme', backupId, actorUserId: null });

    expect(result.migrated).toEqual([NEW]);
    expect(result.tenant).toMatchObject({ status: 'active', schema_version: NEW });
    expect(withTenantFile(t, 'acme', (db) => db.prepare("select 1 as ok from pragma_table_info('items') where name = 'summary'").get())).toEqual({ ok: 1 });
  });

  it("records the migration of the restored data in the audit trail, as the fleet migration does: from the backup's version to the current one, by the operator", async () => {
    const acme = await makeTenant(t.platform, 'acme');
    withTenantFile(t, 'acme', (db) => {
      db.exec('alter table items drop column summary');
      db.prepare('delete from tenant_migrations where name = ?').run(NEW);
    });
    const backupId = (await backupFleet(t.platform, { slugs: ['acme'], trigger: 'cli' })).outcomes[0].backupId!;
    await restoreTenant(t.platform, { slug: 'acme', backupId, actorUserId: null });
    const rows = t.platform.db.all<{ action: string; actor_user_id: string | null; before: string; after: string }>(
      "select action, actor_user_id, before, after from audit_events where tenant_id = ? and action = 'tenant.migrated'",
      [acme.id],
    );
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0].before)).toEqual({ schema_version: newestRealMigration() });
    expect(JSON.parse(rows[0].after)).toEqual({ schema_version: NEW, migrations: [NEW], by: 'operator' });
  });

  it('records no migration when the backup was already current', async () => {
    const acme = await makeTenant(t.platform, 'acme');
    const backupId = (await backupFleet(t.platform, { slugs: ['acme'], trigger: 'cli' })).outcomes[0].backupId!;
    await restoreTenant(t.platform, { slug: 'acme', backupId, actorUserId: null });
    expect(t.platform.db.all("select 1 from audit_events where tenant_id = ? and action = 'tenant.migrated'", [acme.id])).toEqual([]);
  });

  it("carries this month's counters into a backup taken before there were counters, once its migrations made their table", async () => {
    const acme = await makeTenant(t.platform, 'acme');
    withTenantFile(t, 'acme', (db) => {
      db.exec('alter table items drop column summary');
      db.exec('drop table usage_counters');
      db.prepare("delete from tenant_migrations where name in (?, '0022-create-usage-counters')").run(NEW);
    });
    const backupId = (await backupFleet(t.platform, { slugs: ['acme'], trigger: 'cli' })).outcomes[0].backupId!;
    await migrateOneTenant(t.dataDir, acme.id, t.platform.tenantSource);
    withTenantFile(t, 'acme', (db) => db.prepare("insert into usage_counters (metric, day, value) values ('api_requests', ?, 7)").run(utcDay()));

    const result = await restoreTenant(t.platform, { slug: 'acme', backupId, actorUserId: null });

    expect(result).toMatchObject({ migrated: ['0022-create-usage-counters', NEW], usageCarried: 1, usageNotCarried: null });
    expect(withTenantFile(t, 'acme', (db) => db.prepare('select metric, day, user_id, value from usage_counters').all())).toEqual([
      { metric: 'api_requests', day: utcDay(), user_id: '', value: 7 },
    ]);
  });
});

describe('restoreTenant and the workflow mails the backup holds', () => {
  let t: TestPlatform;

  beforeEach(async () => {
    t = await createTestPlatform();
    fs.rmSync(outboxDir(t.dataDir), { recursive: true, force: true });
  });
  afterEach(() => {
    jest.restoreAllMocks();
    return t.cleanup();
  });

  it('sends none again of the mails the backup still held as waiting: they were sent, or given up, after it was taken', async () => {
    const parts = createApp(t.platform);
    const acme = await makeTenant(t.platform, 'acme');
    const editor = await makeUser(t.platform, { email: 'editor@example.com', name: 'Editor' });
    const approver = await makeUser(t.platform, { email: 'approver@example.com', name: 'Approver' });
    await addMember(t.platform, editor, acme, 'editor');
    await addMember(t.platform, approver, acme, 'approver');
    const agent = await signIn(parts.app, editor.email);
    const first = await makeItem(t.platform, acme, { title: 'Before the backup', createdBy: editor.id });
    const second = await makeItem(t.platform, acme, { title: 'After the restore', createdBy: editor.id });
    // The mail server is down when the step mails: the backup is taken while the mail waits.
    jest.spyOn(t.platform.mailer, 'send').mockRejectedValueOnce(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNECTION' }));
    await postForm(agent, `/t/acme/items/${first.id}/submit`, {});
    await parts.background.idle();
    const backupId = (await backupFleet(t.platform, { slugs: ['acme'], trigger: 'cli' })).outcomes[0].backupId!;
    // The server is back: the dispatcher sends it.
    await new MailDispatcher(t.platform, { now: () => Date.now() + 3600_000 }).tick();
    expect(outboxMails(t.dataDir).map((m) => m.subject)).toEqual(['Waiting for your review: Before the backup']);

    await restoreTenant(t.platform, { slug: 'acme', backupId, actorUserId: null });
    const audit = t.platform.db.get<{ after: string }>("select after from audit_events where action = 'tenant.restore' order by id desc limit 1");
    expect(JSON.parse(audit!.after)).toMatchObject({ backup_id: backupId, waiting_mails_dropped: 1 });
    await postForm(agent, `/t/acme/items/${second.id}/submit`, {});
    await parts.background.idle();
    await new MailDispatcher(t.platform, { now: () => Date.now() + 3600_000 }).tick();

    expect(outboxMails(t.dataDir).map((m) => m.subject)).toEqual(['Waiting for your review: Before the backup', 'Waiting for your review: After the restore']);
    expect(withTenantFile(t, 'acme', (db) => db.prepare('select count(*) as n from workflow_mails').get())).toEqual({ n: 0 });
  });
  it('deletes the mails the backup holds as given up 30 days after they ended, though the workspace queues no mail again', async () => {
    const parts = createApp(t.platform);
    const acme = await makeTenant(t.platform, 'acme');
    const editor = await makeUser(t.platform, { email: 'editor@example.com', name: 'Editor' });
    await addMember(t.platform, editor, acme, 'editor');
    await addMember(t.platform, await makeUser(t.platform, { email: 'approver@example.com' }), acme, 'approver');
    const item = await makeItem(t.platform, acme, { title: 'Secret launch', createdBy: editor.id });
    // Refused for good: given up at once, then the backup is taken.
    jest.spyOn(t.platform.mailer, 'send').mockRejectedValue(Object.assign(new Error('550 User unknown'), { responseCode: 550, command: 'RCPT TO' }));
    await postForm(await signIn(parts.app, editor.email), `/t/acme/items/${item.id}/submit`, {});
    await parts.background.idle();
    const backupId = (await backupFleet(t.platform, { slugs: ['acme'], trigger: 'cli' })).outcomes[0].backupId!;
    // The data the restore replaces holds none of them (deleted by hand), nor a hint.
    withTenantFile(t, 'acme', (db) => db.prepare('delete from workflow_mails').run());
    t.platform.db.run('delete from mail_schedule');

    await restoreTenant(t.platform, { slug: 'acme', backupId, actorUserId: null });
    const ended = () => withTenantFile(t, 'acme', (db) => db.prepare('select state from workflow_mails').all());
    expect(ended()).toEqual([{ state: 'failed' }]);
    await new MailDispatcher(t.platform, { now: () => Date.now() + 31 * 24 * 3600_000 }).tick();
    expect(ended()).toEqual([]);
    expect(t.platform.mailHints.get(acme.id)).toBeUndefined();
  });
});

describe('restoreTenant and the counts of items by status (decision 057)', () => {
  let t: TestPlatform;
  let acme: TenantRecord;
  beforeEach(async () => {
    t = await createTestPlatform();
    acme = await makeTenant(t.platform, 'acme');
  });
  afterEach(() => t.cleanup());

  const counts = () =>
    withTenantFile(t, 'acme', (db) => ({
      kept: db.prepare('select status, items from item_status_counts where items <> 0 order by status').all(),
      items: db.prepare('select status, count(*) as items from items group by status order by status').all(),
    }));
  const backUp = async () => (await backupFleet(t.platform, { slugs: ['acme'], trigger: 'cli' })).outcomes[0].backupId!;

  it('counts what the backup holds, not what the replaced state held: the items added and moved since are gone from the counts too', async () => {
    for (const status of ['draft', 'approved'] as const) await makeItem(t.platform, acme, { status });
    const backupId = await backUp();
    const before = counts();
    for (const status of ['published', 'published', 'approved'] as const) await makeItem(t.platform, acme, { status });
    withTenantFile(t, 'acme', (db) => db.exec("update items set status = 'archived' where status = 'draft'"));

    await restoreTenant(t.platform, { slug: 'acme', backupId, actorUserId: null });

    expect(counts()).toEqual(before);
    expect(counts().kept).toEqual([
      { status: 'approved', items: 1 },
      { status: 'draft', items: 1 },
    ]);
  });

  it('counts the items of a backup taken before the counts existed, once its migrations ran', async () => {
    for (const status of ['draft', 'scheduled', 'scheduled'] as const) await makeItem(t.platform, acme, { status });
    t.platform.router.closeTenant(acme.id);
    const { undone } = await undoNewestRealMigration(tenantPaths(t.dataDir, acme.id).database);
    expect(undone).toBe('0025-item-status-counts');
    const backupId = await backUp();
    await migrateOneTenant(t.dataDir, acme.id, t.platform.tenantSource);

    const result = await restoreTenant(t.platform, { slug: 'acme', backupId, actorUserId: null });

    expect(result.migrated).toEqual(['0025-item-status-counts']);
    expect(counts().kept).toEqual([
      { status: 'draft', items: 1 },
      { status: 'scheduled', items: 2 },
    ]);
    expect(counts().kept).toEqual(counts().items);
  });
});
