import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import BetterSqlite3 from 'better-sqlite3';
import { ownerOf, ownerStamp } from '../../../tenant-runtime/tenant-file-owner';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeTenant, makeUser } from '../../support/factories';
import { addItem, fillTenant, storeReply, tenantState } from '../../support/tenant-data';
import { withTenantFile } from '../../support/tenant-file';
import { endpointStates, plantEndpoint } from '../../support/webhooks';
import { msg } from '../../../core/i18n/message';
import { manifestFor, rawTarGz, repack, unpack } from '../../support/archives';
import { cliFor } from '../../support/cli-runner';
import { exportTenant } from '../../../control-plane/transfer/export-tenant';
import { importTenant } from '../../../control-plane/transfer/import-tenant';
import { tenantPaths, tenantsRoot } from '../../../tenant-runtime/tenant-paths';
import { SecretBox } from '../../../core/crypto/secret-box';
import { SecretRepository } from '../../../workspace/secrets/secret-repository';
import { ImportRefusedError } from '../../../core/errors/app-errors';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';

describe('export and import', () => {
  let t: TestPlatform;
  let acme: TenantRecord;
  let outDir: string;
  let archive: string;

  beforeAll(async () => {
    t = await createTestPlatform();
    acme = await makeTenant(t.platform, 'acme');
    await fillTenant(t, acme);
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-exports-'));
    archive = path.join(outDir, 'acme.tar.gz');
    await exportTenant(t.platform, { slug: 'acme', out: archive, actorUserId: null });
  });
  afterAll(async () => {
    await t.cleanup();
    fs.rmSync(outDir, { recursive: true, force: true });
  });

  let counter = 0;
  const nextSlug = () => `imported-${++counter}`;
  const importAs = (file: string, slug = nextSlug(), maxBytes?: number) => importTenant(t.platform, { file, slug, actorUserId: null, maxBytes });
  /** The tenants, the folders under tenants/ (work folders included): what a refused import must not change. */
  const footprint = () => {
    const root = tenantsRoot(t.dataDir);
    // Work folders (.importing/, .provisioning/, ...) are listed with what they hold; an empty one holds nothing.
    const walk = (dir: string): string[] =>
      fs.existsSync(dir)
        ? fs.readdirSync(dir).flatMap((n) => {
            if (!n.startsWith('.')) return [n];
            const inside = walk(path.join(dir, n)).map((c) => `${n}/${c}`);
            return inside.length ? [n, ...inside] : [];
          })
        : [];
    return { slugs: t.platform.tenants.list().map((x) => x.slug), entries: walk(root).sort() };
  };
  const withoutSecrets = (state: ReturnType<typeof tenantState>) => ({ ...state, tables: { ...state.tables, secrets: undefined } });
  const variant = async (name: string, change: (dir: string) => void, recomputeChecksums = true) => {
    const file = path.join(outDir, `${name}.tar.gz`);
    await repack(archive, file, change, { recomputeChecksums });
    return file;
  };
  const onDatabase = (fn: (db: BetterSqlite3.Database) => void) => (dir: string) => {
    const db = new BetterSqlite3(path.join(dir, 'tenant.sqlite'));
    try {
      fn(db);
    } finally {
      db.close();
    }
  };

  it('round trip: an import holds every row and file of the export, secrets left out and named, in a file that names the new tenant as its owner', async () => {
    const result = await importAs(archive, 'acme-copy');

    expect(result).toMatchObject({
      kind: 'export',
      from: { id: acme.id, slug: 'acme' },
      migrated: [],
      secretsToEnterAgain: ['mailer_api_key'],
      attachmentsWithoutFile: 0,
    });
    expect(result.tenant).toMatchObject({ slug: 'acme-copy', name: 'acme', status: 'active', schema_version: t.platform.tenantSource.latest });
    const imported = tenantState(t.dataDir, result.tenant.id);
    expect(withoutSecrets(imported)).toEqual(withoutSecrets(tenantState(t.dataDir, acme.id)));
    expect(imported.tables.secrets).toEqual([]);
    const db = new BetterSqlite3(tenantPaths(t.dataDir, result.tenant.id).database, { readonly: true });
    try {
      expect(ownerOf(db)).toBe(ownerStamp(result.tenant.id));
    } finally {
      db.close();
    }
  });

  it('carries no webhook signing secret, and pauses the endpoints an export brings, naming the tenant it came from and asking for a new secret', async () => {
    const hooked = await makeTenant(t.platform, 'hooked');
    await plantEndpoint(t.platform, hooked, 'https://hooks.hooked.example/tenantry');
    const file = path.join(outDir, 'hooked.tar.gz');
    await exportTenant(t.platform, { slug: 'hooked', out: file, actorUserId: null });
    const sealed = withTenantFile(t, 'hooked', (db) => db.prepare('select secret_ciphertext from webhook_endpoints').get() as { secret_ciphertext: Buffer });
    const unpacked = await unpack(file);
    const bytes = fs.readFileSync(path.join(unpacked, 'tenant.sqlite'));
    fs.rmSync(unpacked, { recursive: true, force: true });
    expect(sealed.secret_ciphertext.length).toBeGreaterThan(16);
    expect(bytes.includes(sealed.secret_ciphertext)).toBe(false);

    const { tenant } = await importAs(file);

    expect(await endpointStates(t.platform, tenant)).toEqual([
      {
        url: 'https://hooks.hooked.example/tenantry',
        enabled: 0,
        disabled_reason: msg('Paused: copied from {{source}}. Check its address, give it a new secret, then enable it', { source: 'hooked' }),
      },
    ]);
    expect(await endpointStates(t.platform, hooked)).toEqual([{ url: 'https://hooks.hooked.example/tenantry', enabled: 1, disabled_reason: null }]);
  });

  it("imports values of exactly their column's length, counted in characters however many bytes each takes", async () => {
    const titles = ['x'.repeat(200), '表'.repeat(200), '😀'.repeat(200)];
    for (const [i, title] of titles.entries()) {
      const file = await variant(
        `full-title-${i}`,
        onDatabase((db) => {
          db.prepare('update items set title = ?, channel = ? where id = (select min(id) from items)').run(title, 'é'.repeat(50));
          db.prepare("update item_tags set tag = ? where tag = 'launch'").run('ü'.repeat(40));
        }),
      );
      const result = await importAs(file);
      const rows = tenantState(t.dataDir, result.tenant.id).tables;
      expect(rows.items).toContainEqual(expect.objectContaining({ title, channel: 'é'.repeat(50) }));
      expect(rows.item_tags).toContainEqual(expect.objectContaining({ tag: 'ü'.repeat(40) }));
    }
  });

  it("leaves out the API answers kept for idempotency keys (an invitation's holds its link): none in the archive, none brought in by an import", async () => {
    const reply = JSON.stringify({ data: { url: 'https://tenantry.example/invitations/inv-token-0123456789' } });
    withTenantFile(t, 'acme', (db) => storeReply(db, reply));
    try {
      const file = path.join(outDir, 'with-replies.tar.gz');
      await exportTenant(t.platform, { slug: 'acme', out: file, actorUserId: null });
      const unpacked = await unpack(file);
      const bytes = fs.readFileSync(path.join(unpacked, 'tenant.sqlite'));
      fs.rmSync(unpacked, { recursive: true, force: true });
      expect(bytes.includes(Buffer.from('inv-token-0123456789'))).toBe(false);
    } finally {
      withTenantFile(t, 'acme', (db) => db.prepare('delete from idempotency_keys').run());
    }
    // An archive that still carries one (made elsewhere, or by an older version) brings none in.
    const carried = await variant(
      'carried-replies',
      onDatabase((db) => storeReply(db, reply)),
    );
    const result = await importAs(carried);
    expect(tenantState(t.dataDir, result.tenant.id).tables.idempotency_keys).toEqual([]);
  });

  it("brings in none of the file's usage counters: the imported tenant's day and month start unused, whatever figures the file holds", async () => {
    const today = new Date().toISOString().slice(0, 10);
    const counted = await variant(
      'usage-counters',
      onDatabase((db) => {
        const count = db.prepare('insert into usage_counters (metric, day, user_id, value) values (?, ?, ?, ?)');
        count.run('api_requests', today, '', 5000);
        count.run('csv_rows_imported', today, '', -1_000_000);
      }),
    );
    const result = await importAs(counted);
    expect(tenantState(t.dataDir, result.tenant.id).tables.usage_counters).toEqual([]);
  });

  it('puts no byte of a secret in the archive', async () => {
    const ciphertext = withSource((db) => (db.prepare('select ciphertext from secrets').get() as { ciphertext: Buffer }).ciphertext);
    const unpacked = await unpack(archive);
    const bytes = fs.readFileSync(path.join(unpacked, 'tenant.sqlite'));
    fs.rmSync(unpacked, { recursive: true, force: true });
    expect(bytes.includes(ciphertext)).toBe(false);
    expect(bytes.includes(Buffer.from('sk-live'))).toBe(false);
  });

  const withSource = <T>(fn: (db: BetterSqlite3.Database) => T): T => {
    const db = new BetterSqlite3(tenantPaths(t.dataDir, acme.id).database, { readonly: true });
    try {
      return fn(db);
    } finally {
      db.close();
    }
  };

  it('stops on a full disk with "the disk is full" on the CLI and exit code 1, not a crash, leaves nothing behind, and imports once there is space', async () => {
    const before = footprint();
    const writeSync = fs.writeSync;
    const full = jest.spyOn(fs, 'writeSync').mockImplementation(() => {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
    });
    let run: Awaited<ReturnType<ReturnType<typeof cliFor>>>;
    try {
      run = await cliFor(t.dataDir)(['tenants', 'import', archive, '--slug', 'imported-full']);
    } finally {
      full.mockRestore();
    }
    expect(fs.writeSync).toBe(writeSync);

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('error: the disk is full; nothing more could be written.');
    expect(footprint()).toEqual(before);
    expect((await importAs(archive, 'imported-full')).tenant.status).toBe('active');
  });

  it('refuses a slug that is taken, before reading the file', async () => {
    await expect(importAs(archive, 'acme')).rejects.toThrow('Some fields need attention.');
  });

  describe('refuses hostile or broken input with the reason, leaving nothing behind', () => {
    const refused = async (file: string, reason: string | RegExp, maxBytes?: number) => {
      const before = footprint();
      const attempt = importAs(file, nextSlug(), maxBytes);
      await expect(attempt).rejects.toBeInstanceOf(ImportRefusedError);
      await expect(attempt).rejects.toThrow(reason);
      expect(footprint()).toEqual(before);
    };

    it('an extra trigger', async () => {
      const file = await variant(
        'extra-trigger',
        onDatabase((db) => db.exec("create trigger steal after insert on items begin update items set title = 'pwned'; end")),
      );
      await refused(file, 'the database has a trigger "steal" that no Tenantry migration creates');
    });

    it('an extra table', async () => {
      await refused(
        await variant(
          'extra-table',
          onDatabase((db) => db.exec('create table stash (x blob)')),
        ),
        'the database has a table "stash" that no Tenantry migration creates',
      );
    });

    it('an extra view', async () => {
      await refused(
        await variant(
          'extra-view',
          onDatabase((db) => db.exec('create view peek as select * from secrets')),
        ),
        'a view "peek" that no Tenantry migration creates',
      );
    });

    it('a table altered from what the migrations make', async () => {
      await refused(
        await variant(
          'altered',
          onDatabase((db) => db.exec('alter table items add column payload text')),
        ),
        'the database\'s table "items" differs from what the migrations create',
      );
    });

    it('a file that does not match its checksum', async () => {
      const file = await variant(
        'wrong-checksum',
        (dir) => {
          const name = fs.readdirSync(path.join(dir, 'files'))[0];
          fs.appendFileSync(path.join(dir, 'files', name), 'tampered');
        },
        false,
      );
      await refused(file, /files\/[0-9a-f]{32} does not match the checksum in the manifest/);
    });

    it('a value of a kind its column cannot hold (a blob for a title), naming the column', async () => {
      await refused(
        await variant(
          'blob-title',
          onDatabase((db) => db.exec("insert into items (title, body, created_at, updated_at) values (x'00ff', 'b', 1, 1)")),
        ),
        "the database's items.title holds a value of a kind its column cannot hold",
      );
      await refused(
        await variant(
          'text-time',
          onDatabase((db) => db.exec("update items set updated_at = 'yesterday' where id = (select min(id) from items)")),
        ),
        "the database's items.updated_at holds a value of a kind its column cannot hold",
      );
    });

    it('a text longer than its varchar(n) column, naming the column and n (SQLite never enforces n)', async () => {
      const setTitle = (title: string) => onDatabase((db) => db.prepare('update items set title = ? where id = (select min(id) from items)').run(title));
      await refused(
        await variant('long-title', setTitle('x'.repeat(201))),
        "the database's items.title holds a value longer than the 200 characters its column declares",
      );
      await refused(
        await variant(
          'long-tag',
          onDatabase((db) => db.prepare("update item_tags set tag = ? where tag = 'launch'").run('t'.repeat(41))),
        ),
        "the database's item_tags.tag holds a value longer than the 40 characters its column declares",
      );
      // length() stops at a NUL character: the bytes behind one are held to 4n (800) all the same.
      await refused(await variant('nul-title', setTitle(`x\u0000${'y'.repeat(1000)}`)), "the database's items.title holds a value longer than the 200");
    });

    it('migrations this version does not have, each named briefly and printably, in one short line', async () => {
      const file = await variant(
        'unknown-migrations',
        onDatabase((db) => {
          const add = db.prepare('insert into tenant_migrations (name, applied_at) values (?, 1)');
          add.run(`\u001b[2J${'z'.repeat(100_000)}`);
          for (let i = 0; i < 7; i++) add.run(`9999-future-${i}`);
        }),
      );
      const attempt = importAs(file);
      await expect(attempt).rejects.toThrow(/upgrade first$/);
      const message = (await attempt.catch((error: Error) => error)) as Error;
      expect(message.message.length).toBeLessThan(600);
      expect(message.message).not.toContain('\u001b');
      expect(message.message).toContain('and 3 more');
    });

    it('a tenant name in the manifest that no one could type, blaming the export and not an option never given', async () => {
      const file = await variant('bad-name', (dir) => {
        const manifestFile = path.join(dir, 'manifest.json');
        const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { tenant: { name: string } };
        manifest.tenant.name = 'Evil\u001b[31m';
        fs.writeFileSync(manifestFile, JSON.stringify(manifest));
      });
      await refused(file, /Import refused: the export's tenant name cannot be used \(.+\): give one with --name$/);
      const named = await importTenant(t.platform, { file, slug: nextSlug(), name: 'Renamed', actorUserId: null });
      expect(named.tenant.name).toBe('Renamed');
    });

    it('a truncated archive', async () => {
      const bytes = fs.readFileSync(archive);
      const file = path.join(outDir, 'truncated.tar.gz');
      fs.writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
      await refused(file, /the archive is truncated or corrupt|is missing from the archive/);
    });

    it('a path traversal entry, without writing outside the work folder', async () => {
      const escaped = path.join(tenantsRoot(t.dataDir), 'escaped.txt');
      const file = path.join(outDir, 'traversal.tar.gz');
      fs.writeFileSync(
        file,
        rawTarGz([
          { name: 'manifest.json', body: '{}' },
          { name: '../../../escaped.txt', body: 'owned' },
        ]),
      );
      await refused(file, 'it holds an entry outside the export layout: "../../../escaped.txt"');
      expect(fs.existsSync(escaped)).toBe(false);
    });

    it('an absolute path entry', async () => {
      const file = path.join(outDir, 'absolute.tar.gz');
      fs.writeFileSync(file, rawTarGz([{ name: '/tmp/tenantry-absolute', body: 'x' }]));
      await refused(file, 'outside the export layout: "/tmp/tenantry-absolute"');
      expect(fs.existsSync('/tmp/tenantry-absolute')).toBe(false);
    });

    it('a symbolic link, even at an allowed path', async () => {
      const file = path.join(outDir, 'symlink.tar.gz');
      fs.writeFileSync(file, rawTarGz([{ name: 'files/0123456789abcdef0123456789abcdef', type: '2', link: '/etc/passwd' }]));
      await refused(file, '"files/0123456789abcdef0123456789abcdef" is a SymbolicLink, not a plain file');
    });

    it('a zip bomb: an entry that unpacks beyond the limit', async () => {
      const file = path.join(outDir, 'bomb.tar.gz');
      fs.writeFileSync(file, rawTarGz([{ name: 'tenant.sqlite', body: Buffer.alloc(32 * 1024 * 1024) }]));
      expect(fs.statSync(file).size).toBeLessThan(100 * 1024);
      await refused(file, 'the archive unpacks to more than 8 MB (IMPORT_MAX_MB)', 8 * 1024 * 1024);
    });

    it('a zip bomb of zeros after the last entry, which no entry accounts for', async () => {
      const tarBytes = zlib.gunzipSync(rawTarGz([{ name: 'manifest.json', body: '{}' }]));
      const file = path.join(outDir, 'padding-bomb.tar.gz');
      fs.writeFileSync(file, zlib.gzipSync(Buffer.concat([tarBytes, Buffer.alloc(24 * 1024 * 1024)])));
      expect(fs.statSync(file).size).toBeLessThan(100 * 1024);
      await refused(file, 'the archive unpacks to more than 8 MB (IMPORT_MAX_MB)', 8 * 1024 * 1024);
    });

    it('an entry twice', async () => {
      const file = path.join(outDir, 'twice.tar.gz');
      fs.writeFileSync(
        file,
        rawTarGz([
          { name: 'tenant.sqlite', body: 'a' },
          { name: 'tenant.sqlite', body: 'b' },
        ]),
      );
      await refused(file, '"tenant.sqlite" appears twice');
    });

    it('a file the manifest does not list', async () => {
      const file = await variant('unlisted', (dir) => fs.writeFileSync(path.join(dir, 'files', 'ffffffffffffffffffffffffffffffff'), 'extra'), false);
      await refused(file, 'files/ffffffffffffffffffffffffffffffff is in the archive but not in its manifest');
    });

    it('an archive without a manifest', async () => {
      const file = path.join(outDir, 'no-manifest.tar.gz');
      fs.writeFileSync(file, rawTarGz([{ name: 'tenant.sqlite', body: 'x' }]));
      await refused(file, 'it has no manifest.json: it is not a Tenantry export');
    });

    it('a database that is not SQLite, with matching checksums', async () => {
      const junk = Buffer.from('definitely not a database');
      const file = path.join(outDir, 'junk-db.tar.gz');
      fs.writeFileSync(
        file,
        rawTarGz([
          { name: 'manifest.json', body: manifestFor({ 'tenant.sqlite': junk }, []) },
          { name: 'tenant.sqlite', body: junk },
        ]),
      );
      await refused(file, 'tenant.sqlite is not a SQLite database');
    });

    it('a damaged database with matching checksums', async () => {
      const file = await variant('damaged', (dir) => {
        const db = path.join(dir, 'tenant.sqlite');
        const reader = new BetterSqlite3(db, { readonly: true });
        const { rootpage } = reader.prepare("select rootpage from sqlite_master where name = 'items'").get() as { rootpage: number };
        const pageSize = reader.pragma('page_size', { simple: true }) as number;
        reader.close();
        // Scribble over the header and cell pointers of the items table's root page.
        const bytes = fs.readFileSync(db);
        bytes.fill(0x41, (rootpage - 1) * pageSize, (rootpage - 1) * pageSize + 64);
        fs.writeFileSync(db, bytes);
      });
      await refused(file, /^Import refused: the database (is damaged \(integrity_check|cannot be read \(database disk image is malformed)/);
    });

    it('a file that is neither an export nor a database', async () => {
      const file = path.join(outDir, 'notes.txt');
      fs.writeFileSync(file, 'hello');
      await refused(file, 'the file is neither a Tenantry export (.tar.gz) nor a tenant.sqlite database');
    });
  });

  describe('adopt', () => {
    it('takes a bare tenant.sqlite from another install; secrets sealed with another key are left out and named', async () => {
      const other = await createTestPlatform();
      try {
        const legacy = await makeTenant(other.platform, 'legacy');
        await fillTenant(other, legacy);
        other.platform.router.closeAll();

        const result = await importAs(tenantPaths(other.dataDir, legacy.id).database, 'adopted');

        expect(result).toMatchObject({ kind: 'adopted', from: null, secretsToEnterAgain: ['mailer_api_key'], attachmentsWithoutFile: 2 });
        expect(result.tenant).toMatchObject({ slug: 'adopted', status: 'active' });
        expect(withoutSecrets(tenantState(t.dataDir, result.tenant.id)).tables).toEqual({ ...withoutSecrets(tenantState(other.dataDir, legacy.id)).tables });
      } finally {
        await other.cleanup();
      }
    });

    it("keeps the secrets of a database sealed with this deployment's key, and they open", async () => {
      t.platform.router.closeAll();
      const result = await importAs(tenantPaths(t.dataDir, acme.id).database, 'adopted-here');

      expect(result.secretsToEnterAgain).toEqual([]);
      const lease = await t.platform.router.acquire(result.tenant.id);
      try {
        expect(new SecretRepository(lease.db).reveal(new SecretBox(t.config.secretsKey), 'mailer_api_key')).toBe('sk-live-acme-0123456789');
      } finally {
        lease.release();
      }
    });

    it('pauses the webhook endpoints a bare database brings, saying it was imported', async () => {
      const hooked = await makeTenant(t.platform, 'hooked-bare');
      await plantEndpoint(t.platform, hooked, 'https://hooks.bare.example/tenantry');
      t.platform.router.closeAll();

      const { tenant } = await importAs(tenantPaths(t.dataDir, hooked.id).database);

      expect(await endpointStates(t.platform, tenant)).toEqual([
        { url: 'https://hooks.bare.example/tenantry', enabled: 0, disabled_reason: 'Paused: imported. Check its address, then enable it' },
      ]);
    });

    it('refuses a database whose write-ahead log beside it may hold its latest changes, until they are written into it', async () => {
      const file = path.join(outDir, 'live.sqlite');
      fs.copyFileSync(tenantPaths(t.dataDir, acme.id).database, file);
      const live = new BetterSqlite3(file);
      live.pragma('journal_mode = WAL');
      live.pragma('wal_autocheckpoint = 0');
      live.exec("insert into items (title, body, created_at, updated_at) values ('Only in the WAL', '', 1, 1)");
      const before = footprint();
      await expect(importAs(file)).rejects.toThrow(/live\.sqlite-wal lies beside the database and may hold its latest changes/);
      expect(footprint()).toEqual(before);
      live.close();
      const adopted = await importAs(file);
      expect(tenantState(t.dataDir, adopted.tenant.id).tables.items).toContainEqual(expect.objectContaining({ title: 'Only in the WAL' }));
    });

    it('refuses a database with an extra trigger', async () => {
      const file = path.join(outDir, 'hostile.sqlite');
      fs.copyFileSync(tenantPaths(t.dataDir, acme.id).database, file);
      const db = new BetterSqlite3(file);
      db.exec('create trigger t after delete on items begin select 1; end');
      db.close();
      await expect(importAs(file)).rejects.toThrow('the database has a trigger "t" that no Tenantry migration creates');
    });
  });

  it('gives the imported tenant its first owner', async () => {
    const user = await makeUser(t.platform, { email: 'new-owner@example.com' });
    const result = await importTenant(t.platform, { file: archive, slug: nextSlug(), ownerEmail: user.email, actorUserId: null });
    expect(result.ownerAdded).toBe('new-owner@example.com');
    expect(t.platform.memberships.findActive(user.id, result.tenant.id)?.role_key).toBe('owner');
  });

  it('puts no byte of a row deleted before the export in the archive, with no secret to strip either: the copy holds live rows only', async () => {
    const plain = await makeTenant(t.platform, 'plain');
    const marker = 'deleted-before-the-export-';
    await addItem(t, plain, marker.repeat(300));
    await addItem(t, plain, 'kept after the deletion');
    withTenantFile(t, 'plain', (db) => db.prepare('delete from items where title like ?').run(`${marker}%`));
    const out = path.join(outDir, 'plain.tar.gz');
    const { manifest } = await exportTenant(t.platform, { slug: 'plain', out, actorUserId: null });
    expect(manifest.secrets_removed).toEqual([]);
    const unpacked = await unpack(out);
    const bytes = fs.readFileSync(path.join(unpacked, 'tenant.sqlite'));
    fs.rmSync(unpacked, { recursive: true, force: true });
    expect(bytes.includes(Buffer.from('kept after the deletion'))).toBe(true);
    expect(bytes.includes(Buffer.from(marker))).toBe(false);
  });
});
