import crypto from 'node:crypto';
import { makeTenant } from '../../support/factories';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import { SecretBox } from '../../../core/crypto/secret-box';
import { SecretRepository } from '../../../workspace/secrets/secret-repository';
import { withTenantDb } from '../files/file-fixtures';
import { cliTestPlatform } from '../../support/cli-runner';
import { holdDataDirLock } from '../../../core/process/data-dir-lock';
import { killCliAt } from '../../support/child-process';

describe('tenantry secrets rotate-key', () => {
  const { t, tenantry: cli } = cliTestPlatform();
  let acme: TenantRecord;
  const newHex = crypto.randomBytes(32).toString('hex');

  beforeEach(async () => {
    acme = await makeTenant(t.platform, 'acme');
    await withTenantDb(t.platform, acme, (db) => new SecretRepository(db).save(new SecretBox(t.config.secretsKey), 'MAIL_KEY', 'mail-key-0000000000000', null));
  });

  it('refuses to run without NEW_SECRETS_KEY, or with a malformed one, and changes nothing', async () => {
    for (const env of [{}, { NEW_SECRETS_KEY: 'short' }]) {
      const run = await cli(['secrets', 'rotate-key'], { env });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('NEW_SECRETS_KEY must be set to 64 hex characters');
    }
    expect(await withTenantDb(t.platform, acme, (db) => new SecretRepository(db).reveal(new SecretBox(t.config.secretsKey), 'MAIL_KEY'))).toBe(
      'mail-key-0000000000000',
    );
  });

  it('re-encrypts every tenant, reports each one and says what to do next', async () => {
    const run = await cli(['secrets', 'rotate-key'], { env: { NEW_SECRETS_KEY: newHex } });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/rotated\s+acme\s+1 re-encrypted/);
    expect(run.stdout).toContain('set SECRETS_KEY to the value of NEW_SECRETS_KEY');
    expect(run.stdout + run.stderr).not.toContain(newHex);
    expect(await withTenantDb(t.platform, acme, (db) => new SecretRepository(db).reveal(new SecretBox(Buffer.from(newHex, 'hex')), 'MAIL_KEY'))).toBe(
      'mail-key-0000000000000',
    );
  });

  it('prints a JSON report and exits 1 when a tenant fails', async () => {
    await withTenantDb(t.platform, acme, (db) => db.run('update secrets set auth_tag = zeroblob(16)'));
    const run = await cli(['secrets', 'rotate-key', '--json'], { env: { NEW_SECRETS_KEY: newHex } });
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ rotated_tenants: 0, failed: 1, tenants: [{ slug: 'acme', outcome: 'failed', rotated: 0 }] });
  });

  it('refuses to run beside a server on the same data folder, saying to stop it, and changes nothing', async () => {
    const server = holdDataDirLock(t.dataDir);
    try {
      const run = await cli(['secrets', 'rotate-key'], { env: { NEW_SECRETS_KEY: newHex } });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('A Tenantry server is running on');
      expect(run.stderr).toContain('stop it first');
    } finally {
      server.release();
    }
    expect(await withTenantDb(t.platform, acme, (db) => new SecretRepository(db).reveal(new SecretBox(t.config.secretsKey), 'MAIL_KEY'))).toBe(
      'mail-key-0000000000000',
    );
  });

  it('refuses the key already in use', async () => {
    const run = await cli(['secrets', 'rotate-key'], { env: { NEW_SECRETS_KEY: t.config.secretsKey.toString('hex') } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('already in use');
  });

  it('killed after its first tenant, leaves each tenant whole under one key, and a second run finishes the rest', async () => {
    const globex = await makeTenant(t.platform, 'globex');
    await withTenantDb(t.platform, globex, (db) =>
      new SecretRepository(db).save(new SecretBox(t.config.secretsKey), 'MAIL_KEY', 'mail-key-1111111111111', null),
    );
    t.platform.router.closeAll();
    await killCliAt('secrets-rotation:tenant-resealed', ['secrets', 'rotate-key'], { DATA_DIR: t.dataDir, LOG_LEVEL: 'silent', NEW_SECRETS_KEY: newHex });
    const keyIds = async () =>
      Promise.all([acme, globex].map((tenant) => withTenantDb(t.platform, tenant, (db) => db.get<{ key_id: string }>('select key_id from secrets')!.key_id)));
    const newKey = new SecretBox(Buffer.from(newHex, 'hex'));
    expect((await keyIds()).sort()).toEqual([newKey.keyId, new SecretBox(t.config.secretsKey).keyId].sort());
    t.platform.router.closeAll();

    const run = await cli(['secrets', 'rotate-key', '--json'], { env: { NEW_SECRETS_KEY: newHex } });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ failed: 0, rotated_tenants: 2 });
    expect(await keyIds()).toEqual([newKey.keyId, newKey.keyId]);
    expect(await withTenantDb(t.platform, globex, (db) => new SecretRepository(db).reveal(newKey, 'MAIL_KEY'))).toBe('mail-key-1111111111111');
  }, 60_000);
});
