import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildTestTemplate } from './test-template';
import { tenantPaths } from '../../tenant-runtime/tenant-paths';

/** A data folder of its own with one tenant file copied from the pre-built template (no platform, no migrations run). */
export async function templateTenant(tenantId = 't00000000000000000000000a'): Promise<{ dataDir: string; tenantId: string; file: string; remove: () => void }> {
  const template = await buildTestTemplate();
  const [name] = fs.readdirSync(path.join(template, 'templates')).filter((f) => f.endsWith('.sqlite'));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-file-'));
  const { dir, database } = tenantPaths(dataDir, tenantId);
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(path.join(template, 'templates', name), database);
  return { dataDir, tenantId, file: database, remove: () => fs.rmSync(dataDir, { recursive: true, force: true }) };
}
