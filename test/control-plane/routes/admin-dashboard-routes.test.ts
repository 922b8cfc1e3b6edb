import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { signIn, type Agent } from '../../support/http-agent';
import { damage } from '../../support/damage';
import { DiskUsageSamples } from '../../../control-plane/lifecycle/disk-usage';
import { backupFleet } from '../../../control-plane/backups/backup-fleet';
import { archiveTenant } from '../../../control-plane/lifecycle/archive-tenant';
import { CLI_OPERATOR } from '../../../control-plane/lifecycle/operator';
import { tenantPaths } from '../../../tenant-runtime/tenant-paths';

const DAY = 24 * 3600_000;

describe('the platform dashboard', () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let admin: Agent;
  beforeEach(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    admin = await signIn(app, (await makeUser(t.platform, { superAdmin: true })).email);
  });
  afterEach(() => t.cleanup());

  it('shows tenants by status, data on disk with its growth, router counters, fleet runs and damaged tenants', async () => {
    const acme = await makeTenant(t.platform, 'acme', 'Acme');
    await makeTenant(t.platform, 'globex', 'Globex');
    const member = await makeUser(t.platform);
    await addMember(t.platform, member, acme, 'owner');
    const memberAgent = await signIn(app, member.email);
    await memberAgent.get('/t/acme');
    await memberAgent.get('/t/acme/items');
    damage(t.platform, (await makeTenant(t.platform, 'broken', 'Broken Ltd'))!, 'a 0-byte file');
    await memberAgent.get('/t/broken');
    t.platform.health.reportDamaged(t.platform.tenants.findBySlug('broken')!.id, 'the database file is empty (0 bytes)', 'a test');
    const samples = new DiskUsageSamples(t.platform.db);
    samples.record({ live_bytes: 10 * 1048576, archive_bytes: 0, tenant_count: 2 }, Date.now() - 8 * DAY);
    samples.record({ live_bytes: 12 * 1048576, archive_bytes: 1048576, tenant_count: 3 }, Date.now() - 1000);
    const runStarted = Date.now() - 5000;
    t.platform.db.run("insert into fleet_runs (target_version, status, concurrency, started_at, finished_at) values ('0099-x', 'failed', 2, ?, ?)", [
      runStarted,
      Date.now(),
    ]);

    const res = await admin.get('/admin');
    expect(res.status).toBe(200);
    const statusCount = (status: string) => new RegExp(`<strong>(\\d+)</strong><span class="status status-${status}">`).exec(res.text)?.[1];
    expect([statusCount('active'), statusCount('damaged'), statusCount('archived')]).toEqual(['2', '1', '0']);
    // Sizes as the fleet page and the CLI say them (formatBytes).
    expect(res.text).toContain('<strong>13 MiB</strong>total');
    expect(res.text).toContain('<strong>1.0 MiB</strong>archive');
    expect(res.text).toContain('Last 7 days: +3.0 MiB');
    expect(res.text).toContain(`<strong>1 / ${t.platform.config.tenantCacheSize}</strong>open handles`);
    expect(res.text).toMatch(/<strong>50\.0 %<\/strong>hit rate/);
    expect(res.text).toContain('0099-x');
    expect(res.text).toContain(`<td>${new Date(runStarted).toISOString().slice(0, 16).replace('T', ' ')} UTC</td>`);
    expect(res.text).toContain('Broken Ltd');
    expect(res.text).toContain('the database file is empty (0 bytes)');
  });

  it('measures the disk itself when nothing has sampled it yet', async () => {
    await makeTenant(t.platform, 'acme');
    const res = await admin.get('/admin');
    expect(res.status).toBe(200);
    expect(new DiskUsageSamples(t.platform.db).latest()?.live_bytes).toBeGreaterThan(0);
    expect(res.text).toContain('Growth shows once there are samples a day apart');
  });

  it('is a 404 for everyone but super admins, signed in or not', async () => {
    const owner = await makeUser(t.platform);
    await addMember(t.platform, owner, await makeTenant(t.platform, 'acme'), 'owner');
    expect((await (await signIn(app, owner.email)).get('/admin')).status).toBe(404);
    expect((await request(app).get('/admin')).status).toBe(302);
  });
});

describe('/metrics and /healthz', () => {
  let t: TestPlatform;
  const TOKEN = 'metrics-token-0123456789abcdef0123456789';
  beforeEach(async () => {
    t = await createTestPlatform({ METRICS_TOKEN: TOKEN });
  });
  afterEach(() => t.cleanup());

  it('serves Prometheus metrics to a scraper on this machine: request durations by route, router, tenants by status, fleet runs', async () => {
    const { app } = createApp(t.platform);
    const acme = await makeTenant(t.platform, 'acme');
    const member = await makeUser(t.platform);
    await addMember(t.platform, member, acme, 'owner');
    const agent = await signIn(app, member.email);
    await agent.get('/t/acme/items');
    await agent.get('/t/acme/items/12345');
    const res = await request(app).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.type).toBe('text/plain');
    expect(res.text).toMatch(/tenantry_http_request_duration_seconds_count\{method="GET",route="\/t\/:slug\/items",status="200"\} 1/);
    expect(res.text).toMatch(/tenantry_http_request_duration_seconds_count\{method="GET",route="\/t\/:slug\/items\/:id",status="404"\} 1/);
    expect(res.text).not.toContain('route="/t/acme');
    expect(res.text).toMatch(/tenantry_router_open_handles 1/);
    expect(res.text).toMatch(/tenantry_router_opens_total 1/);
    expect(res.text).toMatch(/tenantry_tenants\{status="active"\} 1/);
    expect(res.text).toMatch(/tenantry_tenants\{status="purged"\} 0/);
    expect(res.text).toContain('# TYPE tenantry_fleet_runs gauge');
  });

  it("says how the fleet's backups stand: failures of the last day, tenants without a backup, the age of the oldest newest backup", async () => {
    const { app } = createApp(t.platform);
    const gauge = (text: string, name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
    const empty = (await request(app).get('/metrics')).text;
    expect([
      gauge(empty, 'tenantry_backups_failed_last_day'),
      gauge(empty, 'tenantry_tenants_without_backup'),
      gauge(empty, 'tenantry_backup_oldest_latest_age_seconds'),
    ]).toEqual([0, 0, 0]);

    await makeTenant(t.platform, 'acme');
    const bravo = await makeTenant(t.platform, 'bravo');
    await makeTenant(t.platform, 'charlie');
    const gone = await makeTenant(t.platform, 'gone');
    await archiveTenant(t.platform, gone.id, { confirm: 'gone' }, CLI_OPERATOR); // not backed up, not counted
    await backupFleet(t.platform, { slugs: ['acme'], trigger: 'cli' });
    t.platform.router.closeAll();
    fs.rmSync(tenantPaths(t.dataDir, bravo.id).database);
    expect((await backupFleet(t.platform, { slugs: ['bravo'], trigger: 'cli' })).failed).toHaveLength(1);
    t.platform.db.run('update backup_state set last_backup_at = ? where last_backup_at is not null', [Date.now() - 2 * 3600_000]);

    const res = await request(app).get('/metrics');
    expect(gauge(res.text, 'tenantry_backups_failed_last_day')).toBe(1);
    expect(gauge(res.text, 'tenantry_tenants_without_backup')).toBe(2); // bravo (its backup failed) and charlie
    expect(gauge(res.text, 'tenantry_backup_oldest_latest_age_seconds')).toBeGreaterThanOrEqual(7200);
    expect(gauge(res.text, 'tenantry_backup_oldest_latest_age_seconds')).toBeLessThan(7260);
    expect(res.text).not.toMatch(/tenantry_backup[^\n]*\{/); // no label per tenant
  });

  it('counts requests to one route under one series, whatever the case of the letters in its address', async () => {
    const { app } = createApp(t.platform);
    await makeTenant(t.platform, 'acme');
    for (const path of ['/api/v1/t/acme/items', '/API/V1/T/acme/items', '/Api/v1/t/acme/items', '/api/V1/T/acme/items']) {
      expect((await request(app).get(path)).status).toBe(401);
    }
    const res = await request(app).get('/metrics');
    const series = res.text.split('\n').filter((line) => line.startsWith('tenantry_http_request_duration_seconds_count'));
    expect(series).toEqual(['tenantry_http_request_duration_seconds_count{method="GET",route="/api/v1/t/:slug/items",status="401"} 4']);
  });

  it('refuses a scraper elsewhere without the token, or with a wrong one, and lets it in with the token', async () => {
    const { app } = createApp(t.platform);
    const viaProxy = () => request(app).get('/metrics').set('X-Forwarded-For', '203.0.113.9');
    const refused = await viaProxy();
    expect(refused.status).toBe(403);
    expect(refused.text).not.toContain('tenantry_');
    expect((await viaProxy().set('Authorization', 'Bearer wrong')).status).toBe(403);
    expect((await viaProxy().set('Authorization', `Bearer ${TOKEN}x`)).status).toBe(403);
    expect((await viaProxy().set('Authorization', `Basic ${TOKEN}`)).status).toBe(403);
    const allowed = await viaProxy().set('Authorization', `Bearer ${TOKEN}`);
    expect(allowed.status).toBe(200);
    expect(allowed.text).toContain('tenantry_tenants');
  });

  it('has /healthz say only that the server is up', async () => {
    const { app } = createApp(t.platform);
    const res = await request(app).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
  });

  it('has /healthz answer 503, naming the reason without a path, when the control plane cannot be read', async () => {
    const { app } = createApp(t.platform);
    const member = await makeUser(t.platform);
    await addMember(t.platform, member, await makeTenant(t.platform, 'acme'), 'owner');
    const agent = await signIn(app, member.email);
    // The control plane is damaged on disk: every page after its first overwritten, and another
    // process's write then makes this server read the file again instead of its cached pages.
    const file = path.join(t.dataDir, 'platform.sqlite');
    t.platform.db.connection().pragma('wal_checkpoint(TRUNCATE)');
    const page = t.platform.db.connection().pragma('page_size', { simple: true }) as number;
    const size = fs.statSync(file).size;
    const fd = fs.openSync(file, 'r+');
    fs.writeSync(fd, Buffer.alloc(size - page, 7), 0, size - page, page);
    fs.closeSync(fd);
    const other = new BetterSqlite3(file);
    other.pragma('user_version = 7');
    other.close();

    expect((await agent.get('/t/acme/items')).status).toBe(500); // what members get meanwhile
    const res = await request(app).get('/healthz');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ ok: false, error: 'control_plane_unreadable' });
    expect(res.text).not.toContain(t.dataDir);
  });

  it('refuses a token shorter than 32 characters at start-up', async () => {
    await expect(createTestPlatform({ METRICS_TOKEN: 'short' })).rejects.toThrow('METRICS_TOKEN: must be at least 32 characters');
    expect(fs.existsSync(t.dataDir)).toBe(true);
  });
});
