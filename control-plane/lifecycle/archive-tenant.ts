import { z } from 'zod';
import { NotFoundError } from '../../core/errors/app-errors';
import { parseInput } from '../../core/http/parse-input';
import { pausePoint } from '../../core/process/pause-point';
import type { ControlPlane } from '../control-plane';
import type { TenantRecord } from '../tenants/tenant-record';
import { ONE_LINE_TEXT } from '../../core/text/visible-text';
import { applyTransition } from './apply-transition';
import { assertSlugConfirmed, confirmSlugSchema } from './confirm-slug';
import { byOperator, type Operator } from './operator';
import { completeArchive } from './complete-operations';
import { withTenantLock } from './tenant-lock';
import { fileStepJustDone } from './repeated-step';
import { finishRename } from '../tenants/finish-rename';

export const DAY_MS = 24 * 3600_000;

const archiveSchema = z.object({
  note: z
    .string({ error: 'must be text' })
    .trim()
    .max(500, { error: 'must be at most 500 characters' })
    .regex(ONE_LINE_TEXT, { error: 'must not contain control characters' })
    .optional()
    .transform((v) => v || undefined),
});

/** What an archive is sent: the typed slug and an optional note kept with it. */
export const archiveBodySchema = confirmSlugSchema.extend(archiveSchema.shape);

/**
 * Takes a tenant offline and out of the live tree: confirmed by its slug, marked `archived`
 * (restorable until now + ARCHIVE_RETENTION_DAYS) with the move recorded as pending, its open
 * handle closed (waiting for requests using it), then its folder renamed to data/archive/<id>/.
 * Memberships, invitations and roles stay, so a restore puts everything back as it was. Cut off
 * after the status change, the next start finishes the move. A rename cut off before the file got
 * its name (the pending `rename`) is finished first, as a restore finishes a pending archive: the
 * archive's own mark would otherwise replace it and the name would never be written.
 */
export async function archiveTenant(platform: ControlPlane, tenantId: string, input: unknown, operator: Operator): Promise<TenantRecord> {
  const tenant = platform.tenants.findById(tenantId);
  if (!tenant) throw new NotFoundError('No such tenant.');
  assertSlugConfirmed(tenant, input);
  const { note: reason } = parseInput(archiveSchema, input);
  const repeated = await fileStepJustDone(platform, tenantId, 'archive', operator, (change) => change.reason === (reason ?? null));
  if (repeated) return repeated;
  const { dataDir, archiveRetentionDays } = platform.config;
  return withTenantLock(dataDir, tenantId, async () => {
    if (platform.tenants.findById(tenantId)?.pending_operation === 'rename') await finishRename(platform, tenantId);
    const until = Date.now() + archiveRetentionDays * DAY_MS;
    applyTransition(platform, tenantId, 'archive', { ...byOperator(operator), reason, until, pendingOperation: 'archive' });
    pausePoint('archive:marked');
    await completeArchive(platform, tenantId);
    return platform.tenants.findById(tenantId) as TenantRecord;
  });
}
