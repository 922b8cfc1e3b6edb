import crypto from 'node:crypto';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeTenant, makeUser } from '../../support/factories';
import { keyContext, sealedOf, TwoStepRepository, type TwoStepKeyRow } from '../../../control-plane/two-step/two-step-repository';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import { ConflictError } from '../../../core/errors/app-errors';
import { SecretBox, SecretKeyMismatchError } from '../../../core/crypto/secret-box';
import { rotateSecretsKey } from '../../../workspace/secrets/rotate-secrets-key';
import { SecretRepository } from '../../../workspace/secrets/secret-repository';
import { withTenantDb } from '../files/file-fixtures';
import { addEndpoint } from '../../support/webhooks';
import { holdDataDirLock } from '../../../core/process/data-dir-lock';
import { WebhookRepository } from '../../../workspace/webhooks/webhook-repository';

describe('rotating the secrets key', () => {
  let t: TestPlatform;
  let oldBox: SecretBox;
  let alpha: TenantRecord;
  let bravo: TenantRecord;
  let charlie: TenantRecord;
  const newKey = crypto.randomBytes(32);
  const newBox = new SecretBox(newKey);

  const reveal = (tenant: TenantRecord, box: SecretBox, name: string) => withTenantDb(t.platform, tenant, (db) => new SecretRepository(db).reveal(box, name));
  const save = (tenant: TenantRecord, name: string, value: string) =>
    withTenantDb(t.platform, tenant, (db) => new SecretRepository(db).save(oldBox, name, value, null));

  beforeEach(async () => {
    t = await createTestPlatform({ WEBHOOKS_ALLOW_PRIVATE: '1' });
    oldBox = new SecretBox(t.config.secretsKey);
    alpha = await makeTenant(t.platform, 'alpha');
    bravo = await makeTenant(t.platform, 'bravo');
    charlie = await makeTenant(t.platform, 'charlie');
    await save(alpha, 'A1', 'alpha-one-000000000000');
    await save(alpha, 'A2', 'alpha-two-000000000000');
    await save(bravo, 'B1', 'bravo-one-000000000000');
    await t.platform.tenants.update(bravo.id, { status: 'suspended' });
  });
  afterEach(() => t.cleanup());

  it("re-encrypts the control plane's two-step sign-in keys too: after the rotation the new key opens them, and a second run leaves them", async () => {
    const user = await makeUser(t.platform, { email: 'careful@example.com' });
    const repo = new TwoStepRepository(t.platform.db);
    repo.saveWaitingKey(user.id, oldBox.seal('JBSWY3DPEHPK3PXP', keyContext(user.id)));
    const result = await rotateSecretsKey(t.platform, newKey);
    expect(result.platformValues).toEqual({ rotated: 1, alreadyCurrent: 0 });
    const row = repo.keyOf(user.id) as TwoStepKeyRow;
    expect(newBox.open(sealedOf(row), keyContext(user.id))).toBe('JBSWY3DPEHPK3PXP');
    expect((await rotateSecretsKey(t.platform, newKey)).platformValues).toEqual({ rotated: 0, alreadyCurrent: 1 });
  });

  it('re-encrypts every tenant, suspended ones too: the new key opens the values and the old one no longer does', async () => {
    const result = await rotateSecretsKey(t.platform, newKey);
    expect(result.failed).toEqual([]);
    expect(result.outcomes.map((o) => [o.slug, o.outcome, o.rotated])).toEqual([
      ['alpha', 'rotated', 2],
      ['bravo', 'rotated', 1],
      ['charlie', 'rotated', 0],
    ]);
    expect(await reveal(alpha, newBox, 'A1')).toBe('alpha-one-000000000000');
    expect(await reveal(bravo, newBox, 'B1')).toBe('bravo-one-000000000000');
    await expect(reveal(alpha, oldBox, 'A2')).rejects.toThrow(SecretKeyMismatchError);
    expect(await withTenantDb(t.platform, alpha, (db) => db.all('select distinct key_id from secrets'))).toEqual([{ key_id: newBox.keyId }]);
  });

  it('records the rotation in the platform audit trail, with both key ids and what it re-encrypted', async () => {
    await rotateSecretsKey(t.platform, newKey);
    const events = t.platform.db.all<{ tenant_id: string | null; actor_user_id: string | null; after: string }>(
      "select tenant_id, actor_user_id, after from audit_events where action = 'secrets.key_rotate'",
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ tenant_id: null, actor_user_id: null });
    expect(JSON.parse(events[0].after)).toEqual({ from_key_id: oldBox.keyId, to_key_id: newBox.keyId, tenants: 3, rotated: 3, failed: [] });
  });

  it("re-encrypts each webhook endpoint's signing secret with the tenant's secrets, so deliveries still sign after the switch", async () => {
    const endpoint = await addEndpoint(t.platform, alpha, 'http://127.0.0.1:9/hook', ['item.submitted']);
    const result = await rotateSecretsKey(t.platform, newKey);
    expect(result.outcomes.find((o) => o.slug === 'alpha')).toMatchObject({ outcome: 'rotated', rotated: 3 });
    const signingSecret = (box: SecretBox) => withTenantDb(t.platform, alpha, (db) => new WebhookRepository(db).secretOf(box, endpoint.id));
    expect(await signingSecret(newBox)).toBe(endpoint.secret);
    await expect(signingSecret(oldBox)).rejects.toThrow(SecretKeyMismatchError);
  });

  it('rotates a tenant whose imported endpoint holds a secret no key here opens, leaving that one for a new secret', async () => {
    const mine = await addEndpoint(t.platform, alpha, 'http://127.0.0.1:9/mine', ['item.submitted']);
    const foreign = await addEndpoint(t.platform, alpha, 'http://127.0.0.1:9/imported', ['item.submitted']);
    // As an import from another deployment brings it: sealed under a key this one does not have.
    const elsewhere = new SecretBox(crypto.randomBytes(32)).seal('whsec_from_elsewhere', `webhook:${foreign.id}`);
    await withTenantDb(t.platform, alpha, (db) =>
      db.run('update webhook_endpoints set secret_ciphertext = ?, secret_iv = ?, secret_tag = ?, secret_key_id = ? where id = ?', [
        elsewhere.ciphertext,
        elsewhere.iv,
        elsewhere.authTag,
        elsewhere.keyId,
        foreign.id,
      ]),
    );

    const result = await rotateSecretsKey(t.platform, newKey);

    expect(result.failed).toEqual([]);
    expect(result.outcomes.find((o) => o.slug === 'alpha')).toMatchObject({ outcome: 'rotated', rotated: 3 });
    expect(await reveal(alpha, newBox, 'A1')).toBe('alpha-one-000000000000');
    expect(await withTenantDb(t.platform, alpha, (db) => new WebhookRepository(db).secretOf(newBox, mine.id))).toBe(mine.secret);
    expect(await withTenantDb(t.platform, alpha, (db) => db.get('select secret_key_id from webhook_endpoints where id = ?', [foreign.id]))).toEqual({
      secret_key_id: elsewhere.keyId,
    });
  });

  it('closes the handles it opened for tenants that are not active', async () => {
    await rotateSecretsKey(t.platform, newKey);
    expect(t.platform.router.isOpen(bravo.id)).toBe(false);
  });

  it('keeps a failing tenant as it was, goes on with the others, and resumes on a second run', async () => {
    await withTenantDb(t.platform, alpha, (db) => db.run("update secrets set auth_tag = zeroblob(16) where name = 'A2'"));
    const first = await rotateSecretsKey(t.platform, newKey);
    expect(first.failed.map((o) => o.slug)).toEqual(['alpha']);
    expect(first.failed[0].error).toMatch(/integrity/);
    // Alpha's good value was not rotated either: one transaction per tenant.
    expect(await reveal(alpha, oldBox, 'A1')).toBe('alpha-one-000000000000');
    expect(await reveal(bravo, newBox, 'B1')).toBe('bravo-one-000000000000');

    await withTenantDb(t.platform, alpha, (db) => db.run("delete from secrets where name = 'A2'"));
    const second = await rotateSecretsKey(t.platform, newKey);
    expect(second.failed).toEqual([]);
    expect(second.outcomes.find((o) => o.slug === 'alpha')).toMatchObject({ rotated: 1, alreadyCurrent: 0 });
    expect(second.outcomes.find((o) => o.slug === 'bravo')).toMatchObject({ rotated: 0, alreadyCurrent: 1 });
    expect(await reveal(alpha, newBox, 'A1')).toBe('alpha-one-000000000000');
  });

  it('refuses while a server runs on the data folder (it would go on sealing with the old key), and changes nothing', async () => {
    const server = holdDataDirLock(t.dataDir);
    try {
      await expect(rotateSecretsKey(t.platform, newKey)).rejects.toThrow(/server is running.*stop it first/i);
    } finally {
      server.release();
    }
    expect(await reveal(alpha, oldBox, 'A1')).toBe('alpha-one-000000000000');
    expect((await rotateSecretsKey(t.platform, newKey)).failed).toEqual([]);
  });

  it('refuses to "rotate" to the key already in use', async () => {
    await expect(rotateSecretsKey(t.platform, t.config.secretsKey)).rejects.toThrow(ConflictError);
  });

  it('skips tenants without a database (failed provisioning)', async () => {
    await t.platform.tenants.update(charlie.id, { status: 'failed' });
    const result = await rotateSecretsKey(t.platform, newKey);
    expect(result.outcomes.map((o) => o.slug)).toEqual(['alpha', 'bravo']);
  });
});
