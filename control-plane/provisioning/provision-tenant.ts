import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AppError, DiskFullError, ProvisioningError, ValidationError } from '../../core/errors/app-errors';
import { isDiskFull } from '../../core/errors/disk-full';
import { parseInput } from '../../core/http/parse-input';
import { pausePoint } from '../../core/process/pause-point';
import { slugSchema } from '../../tenant-runtime/slug-rules';
import { nameSchema } from '../users/password-rules';
import type { TenantRecord } from '../tenants/tenant-record';
import type { TenantRepository } from '../tenants/tenant-repository';
import type { PlatformDatabase } from '../db/platform-database';
import type { ControlPlane } from '../control-plane';
import type { MigrationSource } from '../../core/db/migration-runner';
import { tenantPaths } from '../../tenant-runtime/tenant-paths';
import { applyTransition } from '../lifecycle/apply-transition';
import { holdTenantLock } from '../lifecycle/tenant-lock';
import { generateTenantId } from './generate-tenant-id';
import { provisioningTempDir } from './provisioning-paths';
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
  /** The first owner, kept on the row while it is provisioned so that a start after a crash can still give it one. */
  ownerEmail?: string;
  /** Who asks for the tenant (recorded on its row), and whether it is their own self-service workspace. */
  createdBy?: { userId: string | null; selfService?: boolean };
  /**
   * A check that must hold when the row is written, run in the same BEGIN IMMEDIATE transaction
   * as the insert (a per-user limit: two identical requests cannot both pass it).
   */
  admit?: () => void;
  source: MigrationSource;
  useTemplate?: boolean;
  steps?: ProvisioningStep[];
  /** Told the new tenant's id before anything is written (an operation records that the id is its own). */
  claim?: (tenantId: string) => void;
  /** Run once the tenant is active, still under its lock (its first owner's invitation is mailed there). */
  whenActive?: (tenant: TenantRecord) => Promise<void>;
}

/** What provisioning needs from the control plane. */
export function provisionDeps(platform: Pick<ControlPlane, 'config' | 'db' | 'tenants' | 'tenantSource'>, extra: Partial<ProvisionDeps> = {}): ProvisionDeps {
  return { dataDir: platform.config.dataDir, db: platform.db, tenants: platform.tenants, source: platform.tenantSource, ...extra };
}

/**
 * Creates a tenant: under the tenant's operation lock, a `provisioning` row (with its intended
 * owner), then the file built in a temp folder, renamed into place, and only then `active`.
 * A failure removes every file it made and leaves the row `failed` with the reason; a crash
 * (the lock is dropped with the process) is finished or rolled back by the next start or
 * `tenantry doctor --fix` (control-plane/provisioning/reconcile-provisioning.ts).
 */
export async function provisionTenant(deps: ProvisionDeps, input: unknown): Promise<TenantRecord> {
  const { name, slug } = parseInput(newTenantSchema, input);
  if (deps.tenants.findBySlug(slug)) throw ValidationError.single('slug', 'is already taken');

  const tenantId = generateTenantId();
  const lock = holdTenantLock(deps.dataDir, tenantId);
  try {
    deps.claim?.(tenantId);
    try {
      deps.db.write(() => {
        deps.admit?.();
        deps.tenants.insert({
          id: tenantId,
          slug,
          name,
          status: 'provisioning',
          pending_owner_email: deps.ownerEmail ?? null,
          created_by: deps.createdBy?.userId ?? null,
          self_service: deps.createdBy?.selfService ?? false,
        });
      });
    } catch (error) {
      if (String(error).includes('UNIQUE')) throw new ValidationError([{ field: 'slug', message: 'is already taken' }], undefined, { cause: error });
      if (isDiskFull(error, deps.dataDir))
        throw new DiskFullError(`Provisioning ${slug} failed: the disk is full. Free some space, then try again.`, {}, { cause: error });
      throw error;
    }
    pausePoint('provisioning:row-inserted');
    const tenant = await runProvisioningSteps(deps, { id: tenantId, slug, name });
    if (!deps.whenActive) return tenant;
    await deps.whenActive(tenant);
    return deps.tenants.findById(tenantId) ?? tenant;
  } finally {
    lock.release({ remove: true });
  }
}

/**
 * The steps for a tenant whose row is `provisioning` (a new one, or a failed one retried).
 * The caller holds the tenant's lock.
 */
export async function runProvisioningSteps(deps: ProvisionDeps, tenant: Pick<TenantRecord, 'id' | 'slug' | 'name'>): Promise<TenantRecord> {
  const paths = tenantPaths(deps.dataDir, tenant.id);
  const tempDir = provisioningTempDir(deps.dataDir, tenant.id);
  const ctx: ProvisioningContext = {
    dataDir: deps.dataDir,
    tenantId: tenant.id,
    tenantName: tenant.name,
    tenantSlug: tenant.slug,
    source: deps.source,
    db: deps.db,
    tenants: deps.tenants,
    activate: deps.activate,
    useTemplate: deps.useTemplate ?? true,
    tempDir,
    tempFile: path.join(tempDir, 'tenant.sqlite'),
    finalDir: paths.dir,
  };

  // Under the tenant's lock: what is left in its temp folder is from an attempt that died.
  fs.rmSync(tempDir, { recursive: true, force: true });
  let current = 'start';
  try {
    for (const step of deps.steps ?? DEFAULT_STEPS) {
      current = step.name;
      await step.run(ctx);
      pausePoint(`provisioning:after:${step.name}`);
    }
  } catch (error) {
    cleanUp(ctx);
    if (error instanceof AppError && error.status < 500) {
      // A refusal, not a fault (the account that asked was disabled meanwhile): the tenant never
      // became active, so its row becomes a tombstone that frees the slug, and the refusal is the answer.
      applyTransition(deps, tenant.id, 'roll-back', { actorUserId: null, by: 'system', reason: `${current}: ${error.message}` });
      throw error;
    }
    // A full disk often reaches SQLite as a vague "disk I/O error": it is named for what it is.
    const full = isDiskFull(error, deps.dataDir);
    const reason = `${current}: ${full ? 'the disk is full' : error instanceof Error ? error.message : String(error)}`;
    try {
      applyTransition(deps, tenant.id, 'fail', { actorUserId: null, by: 'system', failure: reason });
    } catch (recordError) {
      // On a full disk even this may not be written: the row stays `provisioning`; the reason is still given.
      if (!isDiskFull(recordError)) throw recordError;
    }
    if (full)
      throw new DiskFullError(
        `Provisioning ${tenant.slug} failed: the disk is full (at ${current}). Free some space, then try again.`,
        { tenantId: tenant.id, step: current },
        { cause: error },
      );
    throw new ProvisioningError(`Provisioning ${tenant.slug} failed at ${reason}`, { tenantId: tenant.id, step: current }, { cause: error });
  }
  return deps.tenants.findById(tenant.id) as TenantRecord;
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
