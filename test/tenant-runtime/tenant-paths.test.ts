import path from 'node:path';
import { tenantPaths, tenantsRoot } from '../../tenant-runtime/tenant-paths';
import { generateTenantId } from '../../control-plane/provisioning/generate-tenant-id';
import { NotFoundError } from '../../core/errors/app-errors';
import corpus from '../fixtures/tenant-slugs.json';

describe('tenantPaths', () => {
  const dataDir = '/srv/tenantry/data';

  it('places a generated id inside data/tenants/', () => {
    const id = generateTenantId();
    const paths = tenantPaths(dataDir, id);
    expect(paths.database).toBe(path.join(dataDir, 'tenants', id, 'tenant.sqlite'));
    expect(paths.files).toBe(path.join(dataDir, 'tenants', id, 'files'));
  });

  it.each([...corpus.bad, ...corpus.good].map((s) => [JSON.stringify(s).slice(0, 60), s]))('never turns %s into a path', (_label, value) => {
    expect(() => tenantPaths(dataDir, value)).toThrow(NotFoundError);
  });

  it('keeps every generated id inside the tenants folder', () => {
    for (let i = 0; i < 200; i++) {
      const { dir } = tenantPaths(dataDir, generateTenantId());
      expect(path.dirname(dir)).toBe(tenantsRoot(dataDir));
    }
  });
});
