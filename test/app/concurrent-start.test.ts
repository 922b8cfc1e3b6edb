import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startChild } from '../support/child-process';

const OPEN_PLATFORM = path.resolve(__dirname, '../support/children/open-platform.ts');

describe('two processes starting on an empty data folder', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it('both start, migrate the control plane once and share the generated secrets', async () => {
    for (let round = 0; round < 2; round++) {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-start-'));
      dirs.push(dataDir);
      const children = [0, 1].map(() => startChild(OPEN_PLATFORM, [dataDir]));
      // Both have loaded their modules: they open the empty folder at the same moment.
      await Promise.all(children.map((child) => child.message((m) => m === 'ready')));
      for (const child of children) child.process.send('go');
      const runs = await Promise.all(children.map((child) => child.exited));

      expect(runs.map((r) => [r.code, r.stderr])).toEqual([
        [0, ''],
        [0, ''],
      ]);
      const [a, b] = runs.map((r) => JSON.parse(r.stdout) as { keyId: string; session: string; migrations: number });
      expect(b).toEqual(a);
      expect(a.migrations).toBe(fs.readdirSync(path.resolve(__dirname, '../../platform-migrations')).filter((f) => f.endsWith('.ts')).length);
    }
  }, 60_000);
});
