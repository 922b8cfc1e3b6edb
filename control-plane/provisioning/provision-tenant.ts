import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DiskFullError, ProvisioningError, ValidationError } from '../../core/errors/app-errors';
import { isDiskFull } from '../../core/errors/disk-full';
import { parseInput } from '../../core/http/parse-input';
import { slugSchema } from '../../tenant-runtime/slug-rules';
import { nameSchema } from '../users/password-rules';
import type { TenantRecord } from '../tenants/tenant-record';
import type { TenantRepository } from '../tenants/tenant-repository';
import type { PlatformDatabase } from '../db/platform-database';
import type { ControlPlane } from '../control-plane';
import type { MigrationSource } from '../../core/db/migration-runner';
import { tenantPaths, tenantsRoot } from '../../tenant-runtime/tenant-paths';
import { generateTenantId } from './generate-tenant-id';
import type { ProvisioningContext, ProvisioningStep } from './provisioning-context';
import { createTempDatabase } from './create-temp-database';
import { runTenantMigrations } from './run-tenant-migrations';
import { seedTenant } from './seed-tenant';
import { promoteDatabase } from './promote-database';
import { markTenantActive } from './mark-tenant-active';

export const DEFAULT_STEPS: ProvisioningStep[] = [createTempDatabase, runTenantMigrations, seedTenant, promoteDatabase, markTenantActive];

export const newTenantSchema = z.object({ name: nameSchema, slug: slugSchema });

export interface ProvisionDeps {
  dataDir: string;
  db: PlatformDatabase;
  tenants: TenantRepository;
  /** Rows that belong to the new tenant (its audit record, its owner), written in the transaction that marks it active. */
  activate?: ProvisioningContext['activate'];
  source: MigrationSource;
  useTemplate?: boolean;
  steps?: ProvisioningStep[];
  /** Told the new tenant's id before anything is written (an operation records that the id is its own). */
  claim?: (tenantId: string) => void;
}

/** What provisioning needs from the control plane. */
export function provisionDeps(platform: Pick<ControlPlane, 'config' | 'db' | 'tenants' | 'tenantSource'>, extra: Partial<ProvisionDeps> = {}): ProvisionDeps {
  return { dataDir: platform.config.dataDir, db: platform.db, tenants: platform.tenants, source: platform.tenantSource, ...extra };
}

/**
 * Creates a tenant: a `provisioning` row, then the file built in a temp folder, renamed into
 * place, and only then `active`. Any failure removes every file it made and leaves the row
 * `failed` with the reason.
 */
export async function provisionTenant(deps: ProvisionDeps, input: unknown): Promise<TenantRecord> {
  const { name, slug } = parseInput(newTenantSchema, input);
  if (deps.tenants.findBySlug(slug)) throw ValidationError.single('slug', 'is already taken');

  const tenantId = generateTenantId();
  deps.claim?.(tenantId);
  const paths = tenantPaths(deps.dataDir, tenantId);
  const tempDir = path.join(tenantsRoot(deps.dataDir), '.provisioning', tenantId);
  const ctx: ProvisioningContext = {
    dataDir: deps.dataDir,
    tenantId,
    tenantName: name,
    tenantSlug: slug,
    source: deps.source,
    db: deps.db,
    tenants: deps.tenants,
    activate: deps.activate,
    useTemplate: deps.useTemplate ?? true,
    tempDir,
    tempFile: path.join(tempDir, 'tenant.sqlite'),
    finalDir: paths.dir,
  };

  try {
    deps.tenants.insert({ id: tenantId, slug, name, status: 'provisioning' });
  } catch (error) {
    if (String(error).includes('UNIQUE')) throw new ValidationError([{ field: 'slug', message: 'is already taken' }], undefined, { cause: error });
    if (isDiskFull(error, deps.dataDir))
      throw new DiskFullError(`Provisioning ${slug} failed: the disk is full. Free some space, then try again.`, {}, { cause: error });
    throw error;
  }

  let current = 'start';
  try {
    for (const step of deps.steps ?? DEFAULT_STEPS) {
      current = step.name;
      await step.run(ctx);
    }
  } catch (error) {
    cleanUp(ctx);
    // A full disk often reaches SQLite as a vague "disk I/O error": it is named for what it is.
    const full = isDiskFull(error, deps.dataDir);
    const reason = `${current}: ${full ? 'the disk is full' : error instanceof Error ? error.message : String(error)}`;
    try {
      deps.tenants.update(tenantId, { status: 'failed', failure_reason: reason });
    } catch (recordError) {
      // On a full disk even this may not be written: the row stays `provisioning`; the reason is still given.
      if (!isDiskFull(recordError)) throw recordError;
    }
    if (full)
      throw new DiskFullError(
        `Provisioning ${slug} failed: the disk is full (at ${current}). Free some space, then try again.`,
        { tenantId, step: current },
        { cause: error },
      );
    throw new ProvisioningError(`Provisioning ${slug} failed at ${reason}`, { tenantId, step: current }, { cause: error });
  }
  return deps.tenants.findById(tenantId) as TenantRecord;
}

function cleanUp(ctx: ProvisioningContext): void {
  try {
    ctx.file?.close();
  } catch {
    // already closed
  }
  fs.rmSync(ctx.tempDir, { recursive: true, force: true });
  if (ctx.promoted) fs.rmSync(ctx.finalDir, { recursive: true, force: true });
}
