import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import BetterSqlite3 from 'better-sqlite3';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { tenantContent } from '../../support/content';
import { tenantsRoot } from '../../../tenant-runtime/tenant-paths';
import { cliFor } from '../../support/cli-runner';

const BIN = path.resolve(__dirname, '../../../bin/tenantry.js');

type Watcher = BetterSqlite3.Database;

/** A moment of the run, as another connection to the control plane can see it. */
type Moment = (db: Watcher, oldTenantId: string | undefined) => boolean;

const count = (db: Watcher, sql: string, ...params: string[]) => (db.prepare(sql).get(...params) as { n: number }).n;
const MOMENTS: Record<string, Moment> = {
  'old demo removed': (db, old) => count(db, 'select count(*) as n from tenants where id = ?', old ?? '') === 0,
  'users made': (db) => count(db, "select count(*) as n from demo_fixtures where kind = 'slug'") > 0,
  'tenant provisioning': (db) => count(db, "select count(*) as n from tenants where status = 'provisioning'") > 0,
  'tenant active, content not yet seeded': (db, old) => count(db, "select count(*) as n from tenants where status = 'active' and id <> ?", old ?? '') > 0,
};

/** Runs `tenantry demo --reset` as its own process; SIGKILLs it as soon as `moment` is seen (polling every millisecond). */
function runDemoProcess(dataDir: string, oldTenantId?: string, moment?: Moment): Promise<NodeJS.Signals | null> {
  const watcher = new BetterSqlite3(path.join(dataDir, 'platform.sqlite'), { readonly: true });
  return new Promise<NodeJS.Signals | null>((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'demo', '--reset', '--json'], {
      env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent', HOST: '127.0.0.1' },
      stdio: 'ignore',
    });
    const poll = setInterval(() => {
      if (moment?.(watcher, oldTenantId)) {
        clearInterval(poll);
        child.kill('SIGKILL');
      }
    }, 1);
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      clearInterval(poll);
      resolve(signal);
    });
  }).finally(() => watcher.close());
}

/**
 * Killable at any instant: `tenantry demo --reset` is SIGKILLed at moments of its work (old demo
 * removed, users made, tenant provisioning, tenant active before its content), and the next
 * `tenantry demo --reset` always leaves exactly one complete demo and nothing else behind.
 */
describe('tenantry demo --reset killed at any point', () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await createTestPlatform();
  });
  afterAll(() => t.cleanup());

  it('is finished by the next run: one demo, its five users and seven items, no stray row, folder or fixture', async () => {
    expect(await runDemoProcess(t.dataDir)).toBeNull();
    const tenantry = cliFor(t.dataDir);
    const db = t.platform.db.connection();
    const leftBehind = new Set<string>();
    for (const [name, moment] of Object.entries(MOMENTS)) {
      const signal = await runDemoProcess(t.dataDir, t.platform.tenants.findBySlug('demo')?.id, moment);
      if (signal === 'SIGKILL') {
        const state = db.prepare("select group_concat(kind || ':' || id) as f from demo_fixtures").get() as { f: string | null };
        const tenants = db.prepare('select group_concat(status) as s from tenants').get() as { s: string | null };
        leftBehind.add(`${tenants.s ?? 'no tenant'} | ${(state.f ?? '').replace(/:[^,]+/g, '')}`);
      }
      const again = await tenantry(['demo', '--reset', '--json']);
      expect({ name, code: again.code, stderr: again.stderr }).toEqual({ name, code: 0, stderr: '' });

      const tenants = db.prepare('select id, slug, status from tenants').all() as Array<{ id: string; slug: string; status: string }>;
      expect(tenants).toEqual([expect.objectContaining({ slug: 'demo', status: 'active' })]);
      expect(fs.readdirSync(tenantsRoot(t.dataDir)).filter((d) => !d.startsWith('.'))).toEqual([tenants[0].id]);
      const provisioning = path.join(tenantsRoot(t.dataDir), '.provisioning');
      expect(fs.existsSync(provisioning) ? fs.readdirSync(provisioning) : []).toEqual([]);
      expect(db.prepare("select count(*) as n from users where email like '%@demo.test'").get()).toEqual({ n: 5 });
      expect(db.prepare('select kind, count(*) as n from demo_fixtures group by kind order by kind').all()).toEqual([
        { kind: 'tenant', n: 1 },
        { kind: 'user', n: 5 },
      ]);
      expect((await tenantContent(t.platform, t.platform.tenants.findBySlug('demo')!)).items).toHaveLength(7);
    }
    // The kills must have landed in different states of the run, or this proves little.
    expect(leftBehind.size).toBeGreaterThanOrEqual(3);
  }, 120000);
});
