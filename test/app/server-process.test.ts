import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { freePort, isAlive, ROOT, startServerProcess as start, type ServerProcess } from '../support/server-process';
import { runAndKillAt } from '../support/killed-command';
import { openPlatformDatabase } from '../../control-plane/db/platform-database';
import BetterSqlite3 from 'better-sqlite3';
import { createTestPlatform } from '../support/test-platform';
import { makeTenant } from '../support/factories';
import { undoNewestRealMigration } from '../support/migrations-folder';
import { tenantPaths } from '../../tenant-runtime/tenant-paths';

const BIN = path.join(ROOT, 'bin', 'tenantry.js');

/** The server as `npm start` runs it, in real processes: listen errors, one server per data folder, signals, concurrent starts. */
describe('the server process', () => {
  const dirs: string[] = [];
  const tempDataDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-server-'));
    dirs.push(dir);
    return dir;
  };
  const started: ServerProcess[] = [];
  const startServerProcess = (...args: Parameters<typeof start>) => {
    const server = start(...args);
    started.push(server);
    return server;
  };
  // A failing expectation must not leave a server running.
  afterEach(async () => {
    for (const server of started.splice(0)) {
      if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
      await server.exited;
    }
  });
  afterAll(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stops with a clear message and exit code 1 when its port is taken, never claiming to serve', async () => {
    const port = await freePort();
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    try {
      const dataDir = tempDataDir();
      const server = startServerProcess(dataDir, port);
      const { code } = await server.exited;
      expect(code).toBe(1);
      expect(server.output().stderr).toContain(`error: Cannot listen on 127.0.0.1:${port}: the port is already in use`);
      expect(server.output().stdout).not.toContain('is serving');
      expect(server.output().stdout).not.toContain('setup?key=');
      // Its lock is gone with it, and leaves no journal in the data folder.
      expect(fs.readdirSync(dataDir)).not.toContain('server.lock-journal');
      const before = fs.readdirSync(dataDir).sort();
      expect((await startServerProcess(dataDir, port).exited).code).toBe(1);
      expect(fs.readdirSync(dataDir).sort()).toEqual(before);
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  }, 30_000);

  it('refuses a second server on the same data folder, and lets one start again after the first was killed', async () => {
    const dataDir = tempDataDir();
    const first = startServerProcess(dataDir, await freePort());
    const pid = await first.serving;
    expect(pid).toBe(first.child.pid);
    const second = startServerProcess(dataDir, await freePort());
    expect((await second.exited).code).toBe(1);
    expect(second.output().stderr).toContain(`error: Another Tenantry server is already running on ${dataDir}`);
    expect(isAlive(pid)).toBe(true);

    first.child.kill('SIGKILL');
    await first.exited;
    const third = startServerProcess(dataDir, await freePort());
    expect(await third.serving).toBe(third.child.pid);
    third.child.kill('SIGTERM');
    expect(await third.exited).toEqual({ code: 0, signal: null });
  }, 60_000);

  it('is one process under npm start: SIGTERM to the printed pid stops the server and frees its port', async () => {
    const port = await freePort();
    const server = startServerProcess(tempDataDir(), port, {}, ['npm', 'start', '--silent']);
    const pid = await server.serving;
    expect(pid).not.toBe(server.child.pid); // npm itself; the printed pid is the server's own
    process.kill(pid, 'SIGTERM');
    await server.exited;
    expect(isAlive(pid)).toBe(false);
    const probe = net.createServer();
    await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(port, '127.0.0.1', resolve));
    await new Promise((resolve) => probe.close(resolve));
  }, 60_000);

  it('starts on an empty folder beside other processes starting there, none failing with "database is locked"', async () => {
    const dataDir = tempDataDir();
    const cli = () =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [BIN, 'platform', 'migrate'], {
          env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let stderr = '';
        child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
        child.on('exit', (code) => resolve({ code, stderr }));
      });
    const servers = [startServerProcess(dataDir, await freePort()), startServerProcess(dataDir, await freePort())];
    const clis = await Promise.all([cli(), cli(), cli()]);
    for (const run of clis) expect(run).toEqual({ code: 0, stderr: '' });
    const outcomes = await Promise.all(
      servers.map((s) =>
        s.serving.then(
          () => 'serving',
          () => 'refused',
        ),
      ),
    );
    expect([...outcomes].sort()).toEqual(['refused', 'serving']);
    const refused = servers[outcomes.indexOf('refused')];
    await refused.exited;
    for (const s of servers) expect(s.output().stderr).not.toMatch(/database is locked/);
    expect(refused.output().stderr).toContain('Another Tenantry server is already running');
    const secrets = JSON.parse(fs.readFileSync(path.join(dataDir, 'secrets.json'), 'utf8'));
    expect(Object.keys(secrets).sort()).toEqual(['secretsKey', 'sessionSecret']);
  }, 60_000);

  it('answers while a tenant behind the code waits for its migration, then serves it up to date', async () => {
    const t = await createTestPlatform();
    dirs.push(t.dataDir);
    const acme = await makeTenant(t.platform, 'acme');
    await makeTenant(t.platform, 'globex');
    // acme one migration behind: its newest migration undone in its file and in its record.
    t.platform.router.closeAll();
    const { undone: latest, previous } = await undoNewestRealMigration(tenantPaths(t.dataDir, acme.id).database);
    const file = new BetterSqlite3(tenantPaths(t.dataDir, acme.id).database);
    t.platform.tenants.setSchemaVersion(acme.id, previous);
    await t.platform.close();
    const recorded = () => {
      const db = openPlatformDatabase(t.dataDir);
      try {
        return db.get<{ schema_version: string }>('select schema_version from tenants where id = ?', [acme.id])?.schema_version;
      } finally {
        db.close();
      }
    };
    // Another process holds acme's write lock (a long command): its migration has to wait.
    file.exec('begin immediate');
    const port = await freePort();
    const server = startServerProcess(t.dataDir, port);
    try {
      await server.serving;
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/login`)).status).toBe(200);
      expect(recorded()).toBe(previous);
      file.exec('rollback');
      file.close();
      for (let i = 0; i < 120 && recorded() !== latest; i++) await new Promise((resolve) => setTimeout(resolve, 250));
      expect(recorded()).toBe(latest);
    } finally {
      if (file.open) file.close();
      server.child.kill('SIGTERM');
      await server.exited;
    }
  }, 90_000);

  it('finishes or rolls back on start-up what a killed command left', async () => {
    const dataDir = tempDataDir();
    const killed = await runAndKillAt(dataDir, 'provisioning:after:seed-tenant', ['tenants', 'create', '--name', 'Acme', '--slug', 'acme']);
    expect(killed.pausedAt).toBe('provisioning:after:seed-tenant');
    const server = startServerProcess(dataDir, await freePort());
    await server.serving;
    const db = openPlatformDatabase(dataDir);
    try {
      expect(db.all("select slug, status from tenants where status = 'provisioning'")).toEqual([]);
      expect(fs.readdirSync(path.join(dataDir, 'tenants', '.provisioning'))).toEqual([]);
    } finally {
      db.close();
      server.child.kill('SIGTERM');
      await server.exited;
    }
  }, 60_000);
});
