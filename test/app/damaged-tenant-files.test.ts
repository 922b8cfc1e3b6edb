import fs from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { createTestPlatform, type TestPlatform } from '../support/test-platform';
import { addMember, makeTenant, makeUser } from '../support/factories';
import { signIn, type Agent } from '../support/http-agent';
import { DAMAGES, damage, folderSnapshot, outOfReach, type DamageKind } from '../support/damage';
import { migrationsFolderWith } from '../support/migrations-folder';
import { createApp } from '../../app/create-app';
import { createLogger } from '../../core/logging/logger';
import { tenantPaths } from '../../tenant-runtime/tenant-paths';
import { addItem } from '../support/tenant-data';
import { cliFor } from '../support/cli-runner';
import type { TenantRecord } from '../../control-plane/tenants/tenant-record';

const KINDS = Object.keys(DAMAGES) as DamageKind[];

/** A platform whose log lines (warn and above) are kept, with acme and globex, an app, and each tenant's owner signed in. */
async function twoTenants(logLines: Array<Record<string, unknown>> = []) {
  logLines.length = 0;
  const logger = createLogger('warn', { write: (line: string) => logLines.push(JSON.parse(line)) });
  const t = await createTestPlatform({}, { logger });
  const acme = await makeTenant(t.platform, 'acme', 'Acme');
  const globex = await makeTenant(t.platform, 'globex', 'Globex');
  const app = createApp(t.platform).app;
  const owner = await makeUser(t.platform);
  await addMember(t.platform, owner, acme, 'owner');
  const other = await makeUser(t.platform);
  await addMember(t.platform, other, globex, 'owner');
  return { t, acme, globex, app, member: await signIn(app, owner.email), stranger: await signIn(app, other.email) };
}

describe.each(KINDS)('a tenant with %s', (kind) => {
  let t: TestPlatform;
  let acme: TenantRecord;
  let member: Agent;
  let stranger: Agent;
  const logLines: Array<Record<string, unknown>> = [];

  beforeEach(async () => {
    ({ t, acme, member, stranger } = await twoTenants(logLines));
    damage(t.platform, acme, kind);
  });
  afterEach(() => t.cleanup());

  const folder = () => folderSnapshot(tenantPaths(t.dataDir, acme.id).dir);
  const damageLines = () => logLines.filter((l) => String(l.msg).includes('damaged') && l.tenantId === acme.id);

  it('is marked damaged with the reason, answers its members 503 and keeps its folder untouched', async () => {
    const before = folder();
    const first = await member.get('/t/acme/items');
    expect(first.status).toBe(503);
    expect(first.text).toContain('cannot be opened');
    expect(first.text).not.toMatch(/being upgraded|tenantry tenants migrate/);
    expect(t.platform.tenants.findById(acme.id)).toMatchObject({
      status: 'damaged',
      failure_reason: expect.stringContaining('found by the connection router'),
    });
    const again = await member.get('/t/acme');
    expect(again.status).toBe(503);
    expect(again.text).toContain('Acme is unavailable');
    const json = await member.get('/t/acme/api/items/1').set('Accept', 'application/json');
    expect(json.status).toBe(503);
    expect(json.body.error.code).toBe('tenant_damaged');
    expect(t.platform.router.isOpen(acme.id)).toBe(false);
    expect(folder()).toEqual(before);
  });

  it('logs one line per tenant and minute, not one per request', async () => {
    for (let i = 0; i < 5; i++) await member.get('/t/acme');
    await member.get('/t/acme/api/items/1').set('Accept', 'application/json');
    expect(damageLines()).toHaveLength(1);
    // No error with a stack for each of its members' requests either: the 503 is an answer, not a bug.
    expect(logLines.filter((l) => Number(l.level) >= 50)).toEqual([]);
  });

  it('is still a 404 for a member of another tenant, who learns nothing', async () => {
    const res = await stranger.get('/t/acme');
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('Acme');
    const unknown = await stranger.get('/t/no-such-tenant');
    expect(res.text).toBe(unknown.text);
  });

  it('is refused by the fleet migration, never migrated into an empty workspace, and ends damaged', async () => {
    const before = folder();
    const dir = migrationsFolderWith(
      '0099-add-notes',
      "export async function up(knex: import('knex').Knex) { await knex.schema.createTable('notes', (t) => t.increments('id')); }\n",
    );
    const tenantry = cliFor(t.dataDir, { platformOptions: { tenantMigrationsDir: dir } });
    const run = await tenantry(['tenants', 'migrate', '--tenant', 'acme']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^failed\s+acme\s+still at \S+: damaged, not migrated: /m);
    expect(t.platform.tenants.findById(acme.id)?.status).toBe('damaged');
    expect(folder()).toEqual(before);
    const again = await tenantry(['tenants', 'migrate', '--tenant', 'acme']);
    expect(again.stderr).toMatch(/Tenant acme is damaged .*; it is not migrated\. Run "tenantry doctor"\./);
    expect(folder()).toEqual(before);
  });
});

describe.each([
  ['a database file it may not read', false],
  ['a folder it may not enter', true],
])('a tenant with %s (a server that does not run as root)', (_name, folderToo) => {
  let t: TestPlatform;
  let acme: TenantRecord;
  let member: Agent;
  let admin: Agent;
  let undo: () => void;

  beforeEach(async () => {
    t = await createTestPlatform();
    acme = await makeTenant(t.platform, 'acme', 'Acme');
    const globex = await makeTenant(t.platform, 'globex', 'Globex');
    const { app } = createApp(t.platform);
    const owner = await makeUser(t.platform);
    await addMember(t.platform, owner, acme, 'owner');
    await addMember(t.platform, owner, globex, 'owner');
    member = await signIn(app, owner.email);
    const operator = await makeUser(t.platform, { superAdmin: true });
    admin = await signIn(app, operator.email);
    t.platform.router.closeTenant(acme.id);
    const { dir, database } = tenantPaths(t.dataDir, acme.id);
    undo = outOfReach(folderToo ? dir : database, { folderToo: true });
  });
  afterEach(() => {
    undo();
    t.cleanup();
  });

  it('answers its members 503 as damaged, naming the refusal, while the other tenant and the console keep working', async () => {
    const res = await member.get('/t/acme/items');
    expect(res.status).toBe(503);
    expect(t.platform.tenants.findById(acme.id)).toMatchObject({ status: 'damaged', failure_reason: expect.stringContaining('EACCES: permission denied') });
    expect((await member.get('/t/globex/items')).status).toBe(200);
    expect((await admin.get('/admin/tenants')).status).toBe(200);
    expect((await admin.get('/admin/tenants/acme')).status).toBe(200);
  });

  it('is reported by the doctor, which checks the others and lists every tenant', async () => {
    const tenantry = cliFor(t.dataDir);
    const doctor = await tenantry(['doctor']);
    expect(doctor.stderr).not.toMatch(/unexpected failure|EACCES: permission denied, (open|stat)/);
    expect(doctor.stdout).toMatch(/acme: .*cannot be (read|reached) \(EACCES: permission denied\)/);
    expect(doctor.code).toBe(1);
    const list = await tenantry(['tenants', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^globex\s/m);
  });
});

describe('a tenant whose file is damaged while it serves', () => {
  let t: TestPlatform;
  let acme: TenantRecord;
  let member: Agent;
  const logLines: Array<Record<string, unknown>> = [];

  beforeEach(async () => {
    const made = await twoTenants(logLines);
    ({ t, acme } = made);
    const { globex, app } = made;
    const owner = await makeUser(t.platform);
    await addMember(t.platform, owner, acme, 'owner');
    await addMember(t.platform, owner, globex, 'owner');
    member = await signIn(app, owner.email);
    t.platform.router.closeTenant(acme.id);
    const db = new BetterSqlite3(tenantPaths(t.dataDir, acme.id).database);
    const insert = db.prepare('insert into items (title, body, created_at, updated_at) values (?, ?, 1, 1)');
    db.transaction(() => {
      for (let i = 0; i < 2000; i++) insert.run(`item ${i}`, 'x'.repeat(2000));
    })();
    db.close();
  });
  afterEach(() => t.cleanup());

  /**
   * A disk fault: pages in the middle of the file overwritten, where opening it does not look (the
   * open reads the schema only; a full check on every open would cost each router miss).
   */
  const corrupt = () => {
    const file = tenantPaths(t.dataDir, acme.id).database;
    const fd = fs.openSync(file, 'r+');
    try {
      for (let page = 100; page * 4096 < fs.statSync(file).size; page += 7) fs.writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, page * 4096);
    } finally {
      fs.closeSync(fd);
    }
  };

  it('is marked damaged at the request that finds it, which gets the 503 like every later one, while other tenants keep working', async () => {
    corrupt();

    const found = await member.get('/t/acme/items?page=40');

    expect(found.status).toBe(503);
    expect(t.platform.tenants.findById(acme.id)).toMatchObject({ status: 'damaged', failure_reason: expect.stringContaining('found by a request') });
    expect(t.platform.router.isOpen(acme.id)).toBe(false);
    expect((await member.get('/t/acme/items')).status).toBe(503);
    expect((await member.get('/t/globex/items')).status).toBe(200);
    expect(logLines.filter((l) => l.msg === 'request failed')).toEqual([]);
  });
});

describe("a tenant whose file was replaced by another tenant's database", () => {
  let t: TestPlatform;
  let acme: TenantRecord;
  let globex: TenantRecord;
  let member: Agent;
  let rival: Agent;

  beforeEach(async () => {
    ({ t, acme, globex, member, stranger: rival } = await twoTenants());
    await addItem(t, globex, 'Globex merger plans');
    // An operator copies the wrong folder's file into acme's (both tenants closed, files checkpointed).
    t.platform.router.closeTenant(acme.id);
    t.platform.router.closeTenant(globex.id);
    fs.copyFileSync(tenantPaths(t.dataDir, globex.id).database, tenantPaths(t.dataDir, acme.id).database);
  });
  afterEach(() => t.cleanup());

  it("answers acme's members 503 as damaged and never shows them globex's items, by page, by id or by the API", async () => {
    const list = await member.get('/t/acme/items');
    expect(list.status).toBe(503);
    expect(list.text).not.toContain('Globex merger plans');
    const byId = await member.get('/t/acme/items/1');
    expect(byId.status).toBe(503);
    expect(byId.text).not.toContain('Globex merger plans');
    const json = await member.get('/t/acme/api/items/1').set('Accept', 'application/json');
    expect(json.status).toBe(503);
    expect(JSON.stringify(json.body)).not.toContain('Globex merger plans');
    expect(t.platform.tenants.findById(acme.id)).toMatchObject({ status: 'damaged', failure_reason: expect.stringContaining('belongs to another workspace') });
  });

  it('leaves globex serving its own members from its own file', async () => {
    await member.get('/t/acme/items');
    const res = await rival.get('/t/globex/items');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Globex merger plans');
    expect(t.platform.tenants.findById(globex.id)).toMatchObject({ status: 'active' });
  });

  it("is reported by the doctor as the other workspace's file", async () => {
    const doctor = await cliFor(t.dataDir)(['doctor']);
    expect(doctor.stdout).toMatch(/acme: .*belongs to another workspace/);
    expect(doctor.stdout).not.toMatch(/globex: .*belongs to another workspace/);
    expect(doctor.code).toBe(1);
  });
});
