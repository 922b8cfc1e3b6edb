import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../core/config/load-config';
import { ConfigError } from '../../../core/errors/app-errors';

describe('loadConfig with an unusable DATA_DIR', () => {
  it('names DATA_DIR when the data dir is a file', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-cfg-')), 'not-a-dir');
    fs.writeFileSync(file, 'x');
    expect(() => loadConfig({ DATA_DIR: file })).toThrow(ConfigError);
    expect(() => loadConfig({ DATA_DIR: file })).toThrow(/DATA_DIR: cannot create or write/);
  });

  it('refuses a DATA_DIR this user may no longer write (its secrets made on an earlier run), naming the variable', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-cfg-'));
    loadConfig({ DATA_DIR: dir });
    // What `chmod 555` or a read-only mount does for a user that is not root (tests may run as root).
    const access = jest.spyOn(fs, 'accessSync').mockImplementation((target) => {
      if (path.resolve(String(target)) === dir) throw Object.assign(new Error(`EACCES: permission denied, access '${dir}'`), { code: 'EACCES' });
    });
    try {
      expect(() => loadConfig({ DATA_DIR: dir })).toThrow(`DATA_DIR: cannot create or write ${dir} (EACCES: permission denied)`);
    } finally {
      access.mockRestore();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
