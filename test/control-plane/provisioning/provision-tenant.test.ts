import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { ownerOf, ownerStamp } from '../../../tenant-runtime/tenant-file-owner';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { DEFAULT_STEPS, provisionDeps, provisionTenant } from '../../../control-plane/provisioning/provision-tenant';
import type { ProvisioningStep } from '../../../control-plane/provisioning/provisioning-context';
import { ProvisioningError, ValidationError } from '../../../core/errors/app-errors';
import { tenantPaths, tenantsRoot } from '../../../tenant-runtime/tenant-paths';
import corpus from '../../fixtures/tenant-slugs.json';

function schemaOf(file: string): unknown[] {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    return db.prepare("select type, name, tbl_name, sql from sqlite_master where name not like 'sqlite_%' order by name").all();
  } finally {
    db.close();
  }
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

describe('provisionTenant', () => {
  let t: TestPlatform;
  beforeEach(async () => {
    t = await createTestPlatform();
  });
  afterEach(() => t.cleanup());

  const deps = (extra: Partial<Parameters<typeof provisionTenant>[0]> = {}) => provisionDeps(t.platform, extra);

  it('creates the tenant file in place and marks the tenant active at the latest schema version', async () => {
    const tenant = await provisionTenant(deps(), { slug: 'acme', name: 'Acme' });
    expect(tenant.status).toBe('active');
    expect(tenant.schema_version).toBe(t.platform.tenantSource.latest);
    expect(tenant.id).toMatch(/^t[0-9a-f]{24}$/);
    const { database, files } = tenantPaths(t.dataDir, tenant.id);
    expect(fs.existsSync(database)).toBe(true);
    expect(fs.existsSync(files)).toBe(true);
    expect(fs.existsSync(path.join(tenantsRoot(t.dataDir), '.provisioning', tenant.id))).toBe(false);
    const db = new BetterSqlite3(database, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare("select value from settings where key = 'display_name'").get()).toEqual({ value: '"Acme"' });
    expect(ownerOf(db)).toBe(ownerStamp(tenant.id));
    db.close();
  });

  it('builds the same schema from the template as from running the migrations', async () => {
    const fast = await provisionTenant(deps({ useTemplate: true }), { slug: 'fast-path', name: 'Fast' });
    const slow = await provisionTenant(deps({ useTemplate: false }), { slug: 'slow-path', name: 'Slow' });
    const fastSchema = schemaOf(tenantPaths(t.dataDir, fast.id).database);
    expect(fastSchema.length).toBeGreaterThan(2);
    expect(fastSchema).toEqual(schemaOf(tenantPaths(t.dataDir, slow.id).database));
    expect(fast.schema_version).toBe(slow.schema_version);
  });

  it('builds the file in its temp folder without a -wal or -shm, and places it as a WAL file', async () => {
    const seen: string[][] = [];
    const steps: ProvisioningStep[] = DEFAULT_STEPS.map((step) =>
      step.name === 'seed-tenant'
        ? {
            name: step.name,
            async run(ctx) {
              await step.run(ctx);
              seen.push(fs.readdirSync(ctx.tempDir).sort());
            },
          }
        : step,
    );
    const tenant = await provisionTenant(deps({ steps }), { slug: 'staged', name: 'Staged' });
    expect(seen).toEqual([['files', 'tenant.sqlite']]);
    const { database, dir } = tenantPaths(t.dataDir, tenant.id);
    expect(fs.readdirSync(dir).sort()).toEqual(['files', 'tenant.sqlite']);
    const db = new BetterSqlite3(database);
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.prepare("select value from settings where key = 'display_name'").get()).toEqual({ value: '"Staged"' });
    } finally {
      db.close();
    }
  });

  // The last step is one transaction: it fails inside it (below), not after its work is committed.
  const stepsBeforeActivation = DEFAULT_STEPS.filter((s) => s.name !== 'mark-active').map((s) => s.name);

  it.each(stepsBeforeActivation)('leaves no file and a failed row with the reason when %s fails', async (stepName) => {
    const steps: ProvisioningStep[] = DEFAULT_STEPS.map((step) =>
      step.name === stepName
        ? {
            name: step.name,
            async run(ctx) {
              await step.run(ctx); // do the work (files exist by now), then fail
              throw new Error(`boom in ${stepName}`);
            },
          }
        : step,
    );
    const error = await provisionTenant(deps({ steps }), { slug: 'doomed', name: 'Doomed' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProvisioningError);
    // The step's own error travels with it, for the log.
    expect((error as ProvisioningError).cause).toEqual(new Error(`boom in ${stepName}`));
    const row = t.platform.tenants.findBySlug('doomed');
    expect(row?.status).toBe('failed');
    expect(row?.failure_reason).toBe(`${stepName}: boom in ${stepName}`);
    expect(filesUnder(tenantsRoot(t.dataDir))).toEqual([]);
  });

  it('leaves no file, no owner and a failed row when the activation transaction fails', async () => {
    const owner = t.platform.roles.findPredefined('owner')!;
    const user = await t.platform.users.insert({ email: 'boss@example.com', name: 'Boss', passwordHash: 'x', isSuperAdmin: false });
    const activate = (tenant: { id: string }) => {
      t.platform.memberships.upsert(user.id, tenant.id, owner.id);
      throw new Error('boom in the owner row');
    };
    const error = await provisionTenant(deps({ activate }), { slug: 'doomed', name: 'Doomed' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProvisioningError);
    const row = t.platform.tenants.findBySlug('doomed');
    expect(row).toMatchObject({ status: 'failed', failure_reason: 'mark-active: boom in the owner row' });
    expect(t.platform.memberships.findActive(user.id, row!.id)).toBeUndefined();
    expect(filesUnder(tenantsRoot(t.dataDir))).toEqual([]);
  });

  it('refuses a slug that is taken, without writing anything', async () => {
    await provisionTenant(deps(), { slug: 'acme', name: 'Acme' });
    const before = filesUnder(tenantsRoot(t.dataDir)).length;
    await expect(provisionTenant(deps(), { slug: 'acme', name: 'Other' })).rejects.toThrow(ValidationError);
    expect(filesUnder(tenantsRoot(t.dataDir)).length).toBe(before);
    expect((await t.platform.tenants.list()).length).toBe(1);
  });

  it('refuses every bad slug of the corpus without creating a file, a row or a folder', async () => {
    for (const slug of corpus.bad) {
      await expect(provisionTenant(deps(), { slug, name: 'Bad' })).rejects.toThrow(ValidationError);
    }
    expect(await t.platform.tenants.list()).toEqual([]);
    expect(fs.existsSync(tenantsRoot(t.dataDir)) ? fs.readdirSync(tenantsRoot(t.dataDir)) : []).toEqual([]);
  });

  it('names each bad field and its reason', async () => {
    const error = await provisionTenant(deps(), { slug: 'A', name: '' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fields.map((f) => f.field).sort()).toEqual(['name', 'slug']);
  });
});
