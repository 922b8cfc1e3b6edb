import fs from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { OWNER_HEADER_LENGTH, ownedByAnother, ownerInHeader, ownerOf, ownerProblem, ownerStamp, writeOwner } from '../../tenant-runtime/tenant-file-owner';
import { templateTenant } from '../support/template-tenant';

describe('a tenant file owner', () => {
  const acme = 't00000000000000000000000a';
  const globex = 't00000000000000000000000b';

  it('is a positive 31-bit number derived from the tenant id, the same each time, another for another tenant', () => {
    expect(ownerStamp(acme)).toBe(ownerStamp(acme));
    expect(ownerStamp(acme)).not.toBe(ownerStamp(globex));
    for (const id of [acme, globex, 'x']) {
      expect(ownerStamp(id)).toBeGreaterThan(0);
      expect(ownerStamp(id)).toBeLessThan(2 ** 31);
    }
  });

  it("is written in the file's header, where a reading of its first bytes finds it without opening the database", async () => {
    const tenant = await templateTenant(acme);
    try {
      const db = new BetterSqlite3(tenant.file);
      expect(ownerOf(db)).toBe(0);
      writeOwner(db, acme);
      expect(ownerOf(db)).toBe(ownerStamp(acme));
      db.close();
      expect(ownerInHeader(fs.readFileSync(tenant.file).subarray(0, OWNER_HEADER_LENGTH))).toBe(ownerStamp(acme));
      expect(ownerInHeader(Buffer.alloc(10))).toBe(0);
    } finally {
      tenant.remove();
    }
  });

  it("takes a file naming this tenant, or no one, for this tenant's; one naming another tenant is refused with what to do", () => {
    expect(ownedByAnother(ownerStamp(acme), acme)).toBe(false);
    expect(ownedByAnother(0, acme)).toBe(false);
    expect(ownedByAnother(ownerStamp(globex), acme)).toBe(true);
    expect(ownerProblem(ownerStamp(acme), acme)).toBeUndefined();
    expect(ownerProblem(ownerStamp(globex), acme)).toBe(
      "the database file belongs to another workspace (its header names another owner): put back this workspace's own file, or restore one of its backups",
    );
  });
});
