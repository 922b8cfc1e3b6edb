import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { holdTenantLock, tenantLockFreed } from '../../../control-plane/lifecycle/tenant-lock';

describe("waiting for a tenant's lock to be freed", () => {
  const tenantId = `t${'a'.repeat(24)}`;
  let dataDir: string;

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-lock-'));
    fs.mkdirSync(path.join(dataDir, 'locks'));
  });
  afterEach(() => {
    jest.restoreAllMocks();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers at once when nobody holds it, and true once its holder lets go', async () => {
    expect(await tenantLockFreed(dataDir, tenantId, 1000)).toBe(true);
    const lock = holdTenantLock(dataDir, tenantId);
    setTimeout(() => lock.release({ remove: true }), 100);
    expect(await tenantLockFreed(dataDir, tenantId, 5000)).toBe(true);
  });

  it('gives up after its wait when the wall clock is set back an hour meanwhile, not an hour later', async () => {
    const lock = holdTenantLock(dataDir, tenantId);
    try {
      const start = Date.now();
      let calls = 0;
      // The first reading is the wall clock; every later one an hour behind it (an NTP step back).
      jest.spyOn(Date, 'now').mockImplementation(() => (calls++ === 0 ? start : start - 3600_000));
      const gaveUp = tenantLockFreed(dataDir, tenantId, 200);
      const tooLong = new Promise((resolve) => setTimeout(() => resolve('still waiting after 3 s'), 3000).unref());
      expect(await Promise.race([gaveUp, tooLong])).toBe(false);
    } finally {
      lock.release({ remove: true });
    }
  });
});
