import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BehindTenantFiles, fileSignature } from '../../tenant-runtime/behind-tenant-files';
import { TenantBehindError } from '../../core/errors/tenant-unavailable-errors';

describe('the tenants remembered as behind the code', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-behind-'));
    file = path.join(dir, 'tenant.sqlite');
    fs.writeFileSync(file, 'x'.repeat(100));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const behindError = () => new TenantBehindError('its database is at 0001 and the code expects 0002', { tenantId: 't1' });

  it('gives the same refusal again while the file is unchanged', () => {
    const behind = new BehindTenantFiles();
    behind.remember('t1', fileSignature(file), behindError());

    const again = behind.refusal('t1', fileSignature(file));

    expect(again).toBeInstanceOf(TenantBehindError);
    expect(again?.reason).toBe('its database is at 0001 and the code expects 0002');
  });

  it.each([
    ['a write to the file', (f: string) => fs.appendFileSync(f, 'y')],
    ['a WAL beside it', (f: string) => fs.writeFileSync(`${f}-wal`, '')],
    [
      'another file in its place',
      (f: string) => {
        fs.writeFileSync(`${f}.new`, 'x'.repeat(100));
        fs.renameSync(`${f}.new`, f);
      },
    ],
  ])('checks the file again after %s', (_what, change) => {
    const behind = new BehindTenantFiles();
    behind.remember('t1', fileSignature(file), behindError());

    change(file);

    expect(behind.refusal('t1', fileSignature(file))).toBeUndefined();
  });

  it('checks every file again once told to forget (a tenant changed)', () => {
    const behind = new BehindTenantFiles();
    behind.remember('t1', fileSignature(file), behindError());

    behind.forget();

    expect(behind.refusal('t1', fileSignature(file))).toBeUndefined();
  });

  it('remembers nothing for a file it could not stat', () => {
    const behind = new BehindTenantFiles();
    const missing = fileSignature(path.join(dir, 'gone.sqlite'));
    behind.remember('t1', missing, behindError());

    expect(missing).toBeUndefined();
    expect(behind.refusal('t1', missing)).toBeUndefined();
  });
});
