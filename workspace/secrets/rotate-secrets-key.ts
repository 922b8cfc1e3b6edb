import type { WorkspaceServices } from '../workspace-services';
import { ConflictError } from '../../core/errors/app-errors';
import { SecretRepository } from './secret-repository';
import { SecretBox } from '../../core/crypto/secret-box';
import { serverLockFile, tryHoldDataDirLock } from '../../core/process/data-dir-lock';
import type { TenantDatabase } from '../../tenant-runtime/tenant-database';
import { WebhookRepository } from '../webhooks/webhook-repository';
import { pausePoint } from '../../core/process/pause-point';

/** Tenants whose file exists and may hold secrets (failed and provisioning tenants have none). */
const ROTATED_STATUSES = ['active', 'suspended', 'archived'] as const;

export interface RotationOutcome {
  tenantId: string;
  slug: string;
  outcome: 'rotated' | 'failed';
  /** Values re-encrypted now (the tenant's secrets and its webhook endpoints' signing secrets). */
  rotated: number;
  /** Values already under the new key (a run that is resumed after a failure). */
  alreadyCurrent: number;
  error?: string;
}

export interface RotationResult {
  fromKeyId: string;
  toKeyId: string;
  outcomes: RotationOutcome[];
  failed: RotationOutcome[];
  /** The control plane's own sealed values (two-step sign-in keys). */
  platformValues?: { rotated: number; alreadyCurrent: number };
}

/** Every value one tenant's file keeps sealed, re-sealed in one transaction: all of them or none. */
function resealTenant(db: TenantDatabase, from: SecretBox, to: SecretBox): { rotated: number; alreadyCurrent: number } {
  return db.write(() => {
    const secrets = new SecretRepository(db).reseal(from, to);
    const signing = new WebhookRepository(db).resealSecrets(from, to);
    return { rotated: secrets.rotated + signing.rotated, alreadyCurrent: secrets.alreadyCurrent + signing.alreadyCurrent };
  });
}

/**
 * Re-encrypts every tenant's secrets (and its webhook endpoints' signing secrets) from the
 * configured SECRETS_KEY to `newKey`, one transaction per tenant, refused while a server runs on
 * the data folder. A failing tenant keeps its old values and the run goes on; running again with
 * the same keys resumes (values already under the new key are skipped). The operator then sets
 * SECRETS_KEY to the new key (docs/decisions/008-tenant-settings.md).
 */
export async function rotateSecretsKey(platform: WorkspaceServices, newKey: Buffer): Promise<RotationResult> {
  const from = new SecretBox(platform.config.secretsKey);
  const to = new SecretBox(newKey);
  if (from.keyId === to.keyId) throw new ConflictError('NEW_SECRETS_KEY is the key already in use: generate a new one (e.g. openssl rand -hex 32).');
  // A running server seals what it saves with the key it started with, and can no longer open what this run re-sealed:
  // the server's lock is held for the run, so none runs now and none starts before it ends.
  const serverLock = tryHoldDataDirLock(platform.config.dataDir);
  if (!serverLock)
    throw new ConflictError(
      `A Tenantry server is running on ${platform.config.dataDir} (it holds ${serverLockFile(platform.config.dataDir)}): stop it first, then rotate the key.`,
    );
  try {
    // The control plane's sealed values first (two-step sign-in keys): a failure there stops the run before any tenant.
    const platformValues = platform.platformSecrets?.reseal(from, to) ?? { rotated: 0, alreadyCurrent: 0 };
    return { ...(await rotateEveryTenant(platform, from, to)), platformValues };
  } finally {
    serverLock.release();
  }
}

async function rotateEveryTenant(platform: WorkspaceServices, from: SecretBox, to: SecretBox): Promise<RotationResult> {
  const tenants = platform.tenants.listByStatus([...ROTATED_STATUSES]);
  const outcomes: RotationOutcome[] = [];
  for (const tenant of tenants) {
    const base = { tenantId: tenant.id, slug: tenant.slug };
    try {
      const lease = await platform.router.acquire(tenant.id);
      try {
        const { rotated, alreadyCurrent } = resealTenant(lease.db, from, to);
        outcomes.push({ ...base, outcome: 'rotated', rotated, alreadyCurrent });
        pausePoint('secrets-rotation:tenant-resealed');
      } finally {
        lease.release();
        // Only active tenants keep a handle open; the others were opened for this run alone.
        if (tenant.status !== 'active') platform.router.closeTenant(tenant.id);
      }
    } catch (error) {
      outcomes.push({ ...base, outcome: 'failed', rotated: 0, alreadyCurrent: 0, error: error instanceof Error ? error.message : String(error) });
    }
  }
  const failed = outcomes.filter((o) => o.outcome === 'failed');
  platform.logger.info({ fromKeyId: from.keyId, toKeyId: to.keyId, tenants: outcomes.length, failed: failed.length }, 'secrets key rotation finished');
  // An operator's act on every tenant's secrets, in the platform's trail: from the CLI, so no user is its actor.
  platform.audit.record({
    action: 'secrets.key_rotate',
    actorUserId: null,
    after: {
      from_key_id: from.keyId,
      to_key_id: to.keyId,
      tenants: outcomes.length,
      rotated: outcomes.reduce((sum, o) => sum + o.rotated, 0),
      failed: failed.map((o) => o.slug),
    },
  });
  return { fromKeyId: from.keyId, toKeyId: to.keyId, outcomes, failed };
}
