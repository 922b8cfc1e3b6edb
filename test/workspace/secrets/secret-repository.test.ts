import crypto from 'node:crypto';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeTenant } from '../../support/factories';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import { SecretBox, SecretKeyMismatchError, SecretTamperedError } from '../../../core/crypto/secret-box';
import { SecretRepository } from '../../../workspace/secrets/secret-repository';
import { withTenantDb } from '../files/file-fixtures';

const VALUE = 'sk-live-9f8e7d6c5b4a39281706abcd';

describe('the secret repository', () => {
  let t: TestPlatform;
  let tenant: TenantRecord;
  const box = new SecretBox(crypto.randomBytes(32));
  const repo = () => withTenantDb(t.platform, tenant, (db) => new SecretRepository(db));

  beforeEach(async () => {
    t = await createTestPlatform();
    tenant = await makeTenant(t.platform);
  });
  afterEach(() => t.cleanup());

  it('stores ciphertext, IV, tag and key id, and lists only the masked hint', async () => {
    (await repo()).save(box, 'OPENAI_API_KEY', VALUE, 'u1');
    const row = await withTenantDb(t.platform, tenant, (db) => db.get<Record<string, unknown>>('select * from secrets'));
    expect(row).toMatchObject({ name: 'OPENAI_API_KEY', key_id: box.keyId, hint: 'sk-…abcd', updated_by: 'u1' });
    expect((row!.ciphertext as Buffer).includes(Buffer.from(VALUE))).toBe(false);
    expect(row!.iv).toHaveLength(12);
    expect(row!.auth_tag).toHaveLength(16);
    const listed = (await repo()).list();
    expect(listed).toEqual([{ name: 'OPENAI_API_KEY', hint: 'sk-…abcd', key_id: box.keyId, updated_at: expect.any(Number) }]);
    expect(JSON.stringify(listed)).not.toContain('9f8e7d6c');
  });

  it('reveals the value with the right key only', async () => {
    (await repo()).save(box, 'K', VALUE, null);
    expect((await repo()).reveal(box, 'K')).toBe(VALUE);
    await expect(withTenantDb(t.platform, tenant, (db) => new SecretRepository(db).reveal(new SecretBox(crypto.randomBytes(32)), 'K'))).rejects.toThrow(
      SecretKeyMismatchError,
    );
  });

  it('detects a tampered row', async () => {
    (await repo()).save(box, 'K', VALUE, null);
    await withTenantDb(t.platform, tenant, (db) => db.run("update secrets set auth_tag = zeroblob(16) where name = 'K'"));
    await expect(withTenantDb(t.platform, tenant, (db) => new SecretRepository(db).reveal(box, 'K'))).rejects.toThrow(SecretTamperedError);
  });

  it('refuses a value copied from another row', async () => {
    const r = await repo();
    r.save(box, 'A', VALUE, null);
    r.save(box, 'B', 'another-value-0000000000', null);
    await withTenantDb(t.platform, tenant, (db) =>
      db.run("update secrets set (ciphertext, iv, auth_tag) = (select ciphertext, iv, auth_tag from secrets where name = 'A') where name = 'B'"),
    );
    await expect(withTenantDb(t.platform, tenant, (db) => new SecretRepository(db).reveal(box, 'B'))).rejects.toThrow(SecretTamperedError);
  });

  it('re-seals every value under a new key in one go, skipping values already under it', async () => {
    const r = await repo();
    r.save(box, 'A', VALUE, null);
    r.save(box, 'B', 'another-value-0000000000', null);
    const next = new SecretBox(crypto.randomBytes(32));
    expect(r.reseal(box, next)).toEqual({ rotated: 2, alreadyCurrent: 0 });
    expect(r.reveal(next, 'A')).toBe(VALUE);
    expect(() => r.reveal(box, 'A')).toThrow(SecretKeyMismatchError);
    expect(r.reseal(box, next)).toEqual({ rotated: 0, alreadyCurrent: 2 });
  });

  it('leaves every value as it was when one of them does not open', async () => {
    const r = await repo();
    r.save(box, 'A', VALUE, null);
    r.save(box, 'B', 'another-value-0000000000', null);
    await withTenantDb(t.platform, tenant, (db) => db.run("update secrets set auth_tag = zeroblob(16) where name = 'B'"));
    const before = await withTenantDb(t.platform, tenant, (db) => db.all('select * from secrets order by name'));
    expect(() => r.reseal(box, new SecretBox(crypto.randomBytes(32)))).toThrow(SecretTamperedError);
    expect(await withTenantDb(t.platform, tenant, (db) => db.all('select * from secrets order by name'))).toEqual(before);
  });
});
