import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TenantFileStore } from '../../../workspace/files/tenant-file-store';
import { NotFoundError } from '../../../core/errors/app-errors';

describe('a tenant file store', () => {
  let root: string;
  let store: TenantFileStore;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-files-'));
    store = new TenantFileStore(path.join(root, 'files'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('writes bytes under a generated name and reads them back', async () => {
    const name = await store.write(Buffer.from('hello'));
    expect(name).toMatch(/^[0-9a-f]{32}$/);
    expect(await store.read(name)).toEqual(Buffer.from('hello'));
    expect((fs.statSync(store.pathOf(name)).mode & 0o777).toString(8)).toBe('600');
  });

  it.each(['../secrets.json', '/etc/passwd', '..', '', 'A'.repeat(32), 'g'.repeat(32), `${'a'.repeat(31)}/`, '%2e%2e', `${'0'.repeat(32)}\0`])(
    'refuses %j as a stored name',
    async (name) => {
      expect(() => store.pathOf(name)).toThrow(NotFoundError);
      await expect(store.read(name)).rejects.toThrow(NotFoundError);
    },
  );

  it('answers 404 for a name that is well formed but absent', async () => {
    await expect(store.read('0'.repeat(32))).rejects.toThrow(NotFoundError);
  });

  it('sweeps old unreferenced files and temp files, and keeps the rest', async () => {
    const kept = await store.write(Buffer.from('kept'));
    const orphan = await store.write(Buffer.from('orphan'));
    const young = await store.write(Buffer.from('young'));
    const temp = path.join(store.dir, '.upload-abandoned');
    fs.writeFileSync(temp, 'x');
    fs.writeFileSync(path.join(store.dir, 'not-ours.txt'), 'x');
    const old = new Date(Date.now() - 3600_000);
    for (const file of [store.pathOf(kept), store.pathOf(orphan), temp, path.join(store.dir, 'not-ours.txt')]) fs.utimesSync(file, old, old);
    expect(await store.sweep(new Set([kept]), 600_000)).toBe(2);
    expect(fs.readdirSync(store.dir).sort()).toEqual([kept, 'not-ours.txt', young].sort());
  });
});
