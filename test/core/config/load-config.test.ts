import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configSchema } from '../../../core/config/config-schema';
import { loadConfig } from '../../../core/config/load-config';
import { ConfigError } from '../../../core/errors/app-errors';

describe('loadConfig', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-config-'));
  });
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('uses the documented defaults', () => {
    const config = loadConfig({ DATA_DIR: dataDir });
    expect(config.port).toBe(3000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.baseUrl).toBe('http://localhost:3000');
    expect(config.tenantCacheSize).toBe(1024);
    expect(config.secureCookies).toBe(false);
    expect(config.reloadViews).toBe(false);
  });

  it("keeps its data in the project's data folder when DATA_DIR is unset, whichever folder it is started from", () => {
    const started = process.cwd();
    process.chdir(dataDir);
    try {
      expect(configSchema.parse({}).DATA_DIR).toBe(path.resolve(__dirname, '../../../data'));
      expect(configSchema.parse({ DATA_DIR: 'here' }).DATA_DIR).toBe('here');
    } finally {
      process.chdir(started);
    }
  });

  it('reloads page templates on every render only when RELOAD_VIEWS is set', () => {
    expect(loadConfig({ DATA_DIR: dataDir, RELOAD_VIEWS: '1' }).reloadViews).toBe(true);
    expect(loadConfig({ DATA_DIR: dataDir, RELOAD_VIEWS: 'false' }).reloadViews).toBe(false);
  });

  it.each([
    ['PORT', 'eighty', 'PORT'],
    ['PORT', '70000', 'PORT: must be 1-65535'],
    ['TENANT_CACHE_SIZE', '0', 'TENANT_CACHE_SIZE: must be at least 1'],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL'],
    ['BASE_URL', 'not a url', 'BASE_URL: must be an absolute http(s) URL'],
    ['SESSION_SECRET', 'short', 'SESSION_SECRET: must be at least 32 characters'],
    ['SECRETS_KEY', 'xyz', 'SECRETS_KEY: must be 64 hex characters'],
    ['BACKUP_SCHEDULE', 'every night', 'BACKUP_SCHEDULE: must be a cron expression'],
    ['BACKUP_SCHEDULE', '61 3 * * *', 'BACKUP_SCHEDULE: must be a cron expression'],
    ['BACKUP_KEEP_DAILY', '-1', 'BACKUP_KEEP_DAILY: must be 0 or more'],
    ['BACKUP_KEEP_WEEKLY', 'four', 'BACKUP_KEEP_WEEKLY: must be a whole number'],
    ['BACKUP_KEEP_DAILY', '400', 'BACKUP_KEEP_DAILY: must be at most 366'],
    ['IMPORT_MAX_MB', '0', 'IMPORT_MAX_MB: must be at least 1'],
    ['RELOAD_VIEWS', 'yes', 'RELOAD_VIEWS: must be 1, 0, true or false'],
  ])('names the variable when %s=%s is invalid', (name, value, expected) => {
    let error: unknown;
    try {
      loadConfig({ DATA_DIR: dataDir, [name]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(expected);
  });

  it('generates missing secrets into the data dir once, readable by the owner only', () => {
    const first = loadConfig({ DATA_DIR: dataDir });
    const second = loadConfig({ DATA_DIR: dataDir });
    const file = path.join(dataDir, 'secrets.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(first.sessionSecret).toHaveLength(64);
    expect(second.sessionSecret).toBe(first.sessionSecret);
    expect(second.secretsKey.equals(first.secretsKey)).toBe(true);
  });

  it('puts backups in DATA_DIR/backups unless BACKUP_DIR names another folder, keeping 7 daily and 4 weekly', () => {
    expect(loadConfig({ DATA_DIR: dataDir })).toMatchObject({ backupDir: path.join(dataDir, 'backups'), backupKeep: { daily: 7, weekly: 4 } });
    expect(loadConfig({ DATA_DIR: dataDir, BACKUP_DIR: '/mnt/other-disk/tenantry' }).backupDir).toBe('/mnt/other-disk/tenantry');
    expect(loadConfig({ DATA_DIR: dataDir, BACKUP_SCHEDULE: '15 3 * * *' }).backupSchedule).toBe('15 3 * * *');
  });

  it('reads a blank count as unset, as every optional setting: BACKUP_KEEP_DAILY= keeps 7 days of backups, not none', () => {
    expect(loadConfig({ DATA_DIR: dataDir, BACKUP_KEEP_DAILY: '', BACKUP_KEEP_WEEKLY: ' ' }).backupKeep).toEqual({ daily: 7, weekly: 4 });
    expect(loadConfig({ DATA_DIR: dataDir, BACKUP_KEEP_DAILY: '0', BACKUP_KEEP_WEEKLY: '12' }).backupKeep).toEqual({ daily: 0, weekly: 12 });
  });

  it('reads every blank number as unset, as an env file with PORT= or a compose ${VAR} of an unset variable gives it', () => {
    const blank = { PORT: '', TENANT_CACHE_SIZE: '', INVITATION_TTL_DAYS: ' ', ARCHIVE_RETENTION_DAYS: '', IMPORT_MAX_MB: '', API_RATE_LIMIT: '' };
    const config = loadConfig({ DATA_DIR: dataDir, ...blank, IMPERSONATION_MINUTES: '' });
    expect(config).toMatchObject({ port: 3000, tenantCacheSize: 1024, invitationTtlDays: 7 });
    expect(() => loadConfig({ DATA_DIR: dataDir, PORT: 'eighty' })).toThrow(/PORT.*must be a whole number/);
    expect(() => loadConfig({ DATA_DIR: dataDir, PORT: '70000' })).toThrow(/PORT.*must be 1-65535/);
    expect(() => loadConfig({ DATA_DIR: dataDir, TENANT_CACHE_SIZE: '0' })).toThrow(/TENANT_CACHE_SIZE.*must be at least 1/);
  });

  it('prefers secrets given in the environment', () => {
    const config = loadConfig({ DATA_DIR: dataDir, SESSION_SECRET: 'x'.repeat(40) });
    expect(config.sessionSecret).toBe('x'.repeat(40));
  });

  it('marks cookies Secure when the base URL is https', () => {
    expect(loadConfig({ DATA_DIR: dataDir, BASE_URL: 'https://tenantry.example.com/' }).secureCookies).toBe(true);
  });
});
