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
});
