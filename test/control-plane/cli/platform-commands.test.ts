import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cliFor } from '../../support/cli-runner';

describe('tenantry platform migrate', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-cli-platform-'));
  });
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('migrates an empty data folder, printing what it applied, then says it is up to date', async () => {
    const tenantry = cliFor(dataDir);
    const first = await tenantry(['platform', 'migrate']);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^Applied \d+ control-plane migration\(s\):\n {2}0001-create-control-plane\n/);
    expect(fs.existsSync(path.join(dataDir, 'platform.sqlite'))).toBe(true);

    const second = await tenantry(['platform', 'migrate', '--json']);
    expect(second.code).toBe(0);
    const report = JSON.parse(second.stdout);
    expect(report.applied).toEqual([]);
    expect(report.version).toMatch(/^\d{4}-/);
    expect((await tenantry(['platform', 'migrate'])).stdout).toBe(`Control plane is up to date (${report.version}).\n`);
  });
});

describe('configuration errors', () => {
  it.each([
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ TENANT_CACHE_SIZE: '0' }, 'TENANT_CACHE_SIZE: must be at least 1'],
    [{ BASE_URL: 'not a url' }, 'BASE_URL'],
  ])('print the message naming the variable (%j) and exit 2 without a stack trace', async (env, message) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-cli-config-'));
    try {
      const run = await cliFor(dataDir)(['tenants', 'list'], { env });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^error: Invalid configuration:\n/);
      expect(run.stderr).toContain(message);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
