import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../core/config/load-config';
import { ConfigError } from '../../../core/errors/app-errors';
import { isLoopbackHost } from '../../../core/config/loopback-host';

describe('account and developer-mode settings', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-config-'));
  });
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  const failureOf = (env: Record<string, string>): string => {
    try {
      loadConfig({ DATA_DIR: dataDir, ...env });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
    throw new Error('the configuration was accepted');
  };

  it('uses the documented defaults: 30 minutes of impersonation and break-glass, reset links for an hour, no developer sign-in', () => {
    const config = loadConfig({ DATA_DIR: dataDir });
    expect(config).toMatchObject({ impersonationMinutes: 30, breakGlassMinutes: 30, passwordResetMinutes: 60, devLogin: false });
  });

  it('never lets impersonation last longer than 30 minutes', () => {
    expect(loadConfig({ DATA_DIR: dataDir, IMPERSONATION_MINUTES: '5' }).impersonationMinutes).toBe(5);
    expect(failureOf({ IMPERSONATION_MINUTES: '31' })).toContain('IMPERSONATION_MINUTES: must be at most 30');
    expect(failureOf({ IMPERSONATION_MINUTES: '0' })).toContain('IMPERSONATION_MINUTES: must be at least 1');
    expect(failureOf({ BREAK_GLASS_MINUTES: '121' })).toContain('BREAK_GLASS_MINUTES: must be at most 120');
    expect(failureOf({ PASSWORD_RESET_MINUTES: '2' })).toContain('PASSWORD_RESET_MINUTES: must be at least 5');
    expect(failureOf({ DEV_LOGIN: 'yes' })).toContain('DEV_LOGIN: must be 1, 0, true or false');
  });

  it.each(['127.0.0.1', '::1', 'localhost', '127.0.0.2'])('accepts DEV_LOGIN=1 with HOST=%s', (host) => {
    expect(loadConfig({ DATA_DIR: dataDir, DEV_LOGIN: '1', HOST: host }).devLogin).toBe(true);
  });

  it.each(['0.0.0.0', '::', '192.168.1.10', 'tenantry.example.com'])('refuses DEV_LOGIN=1 with HOST=%s, naming both variables', (host) => {
    const message = failureOf({ DEV_LOGIN: '1', HOST: host });
    expect(message).toContain('DEV_LOGIN');
    expect(message).toContain(`HOST is ${host}`);
  });

  it('accepts any HOST while DEV_LOGIN is off', () => {
    expect(loadConfig({ DATA_DIR: dataDir, HOST: '0.0.0.0', DEV_LOGIN: '0' }).devLogin).toBe(false);
  });
});

describe('isLoopbackHost', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['::1', true],
    ['[::1]', true],
    ['0:0:0:0:0:0:0:1', true],
    ['::ffff:127.0.0.1', true],
    ['LOCALHOST', true],
    ['0.0.0.0', false],
    ['::', false],
    ['::ffff:10.0.0.1', false],
    ['10.0.0.1', false],
    ['localhost.example.com', false],
    ['', false],
  ])('%s -> %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});
