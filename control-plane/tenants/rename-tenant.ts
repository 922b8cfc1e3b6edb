import { z } from 'zod';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors/app-errors';
import { verbatim } from '../../core/i18n/message';
import { parseInput } from '../../core/http/parse-input';
import { checkFormRevision } from '../../core/http/revision-form';
import { slugSchema } from '../../tenant-runtime/slug-rules';
import { auditedOperator, type Operator } from '../audit/operator';
import type { ControlPlane } from '../control-plane';
import { holdTenantLock } from '../lifecycle/tenant-lock';
import { pausePoint } from '../../core/process/pause-point';
import { finishRename } from './finish-rename';
import { nameSchema } from '../users/password-rules';
import { statusWords, type TenantRecord, type TenantStatus } from './tenant-record';

/** A rename's fields, each optional: the ones given change, the others stay (the creation's rules for each). */
export const renameTenantSchema = z.object({ name: nameSchema.optional(), slug: slugSchema.optional() });

/** Live tenants whose file is in place and no operation runs on: the only ones renamed (docs/decisions/055). */
const RENAMABLE: ReadonlySet<TenantStatus> = new Set(['active', 'suspended']);

export interface RenameOutcome {
  tenant: TenantRecord;
  /** false: the rename changed nothing (sent again once made), and nothing was written. */
  changed: boolean;
}

function assertRenamable(tenant: TenantRecord): void {
  if (!RENAMABLE.has(tenant.status))
    throw new ConflictError(`Tenant ${tenant.slug} is ${statusWords(tenant.status)}; only an active or suspended tenant can be renamed.`, {
      tenantId: tenant.id,
    });
  // A rename cut off before the file's name was written is finished by the next one (renameTenant).
  if (tenant.pending_operation && tenant.pending_operation !== 'rename')
    throw new ConflictError(`A ${tenant.pending_operation} of tenant ${tenant.slug} is not finished; rename it once it is.`, { tenantId: tenant.id });
}

/**
 * Renames a tenant (a super admin's console form, the CLI, the admin API): its name, its slug, or
 * both. The name is the super admin's name of the tenant and, when its admins set a display name of
 * their own, that one too, so the tenant goes by the new name everywhere. The slug follows the
 * creation's rules and must be free; the old one answers 404 from then on and may be taken again.
 * The row and its `tenant.rename` audit record are one write, checked against the revision the
 * form showed (the row's `updated_at`, decision 048), with the file's name recorded as owed (the
 * pending `rename`) when it changes; the workspace's own name is written after it (finish-rename.ts),
 * so a rename cut off in between is finished by the next start, `tenantry doctor --fix`, the
 * lifecycle timer or the next rename. A rename that changes nothing writes nothing. docs/decisions/055.
 */
export async function renameTenant(
  platform: ControlPlane,
  tenantId: string,
  input: unknown,
  op: Operator,
  options: { revision?: number } = {},
): Promise<RenameOutcome> {
  const asked = parseInput(renameTenantSchema, input);
  if (asked.name === undefined && asked.slug === undefined) throw ValidationError.single('name', verbatim('give a new name or a new slug'));
  const found = platform.tenants.findById(tenantId);
  if (!found) throw new NotFoundError('No such tenant.');
  assertRenamable(found);
  // Two renames, or a rename and a restore or an archive, never run on one tenant at once.
  const lock = holdTenantLock(platform.config.dataDir, tenantId);
  try {
    if (platform.tenants.findById(tenantId)?.pending_operation === 'rename') await finishRename(platform, tenantId);
    const own = asked.name !== undefined && platform.workspaceOwnName ? await platform.workspaceOwnName.read(tenantId) : null;
    const ownAfter = own !== null && asked.name !== undefined ? asked.name : own;
    const changed = platform.db.write(() => {
      const tenant = platform.tenants.findById(tenantId);
      if (!tenant) throw new NotFoundError('No such tenant.');
      assertRenamable(tenant);
      const name = asked.name ?? tenant.name;
      const slug = asked.slug ?? tenant.slug;
      const changes = name !== tenant.name || slug !== tenant.slug || own !== ownAfter;
      checkFormRevision(
        tenant.updated_at,
        options.revision,
        () => changes,
        verbatim('This tenant was changed since you opened its page: the form shows its name and slug as they are now; rename it again.'),
        { tenantId },
      );
      if (!changes) return false;
      if (slug !== tenant.slug && platform.tenants.findBySlug(slug)) throw ValidationError.single('slug', 'is already taken');
      // The file's name is owed until it is written: recorded, so a kill before that is finished by the next start.
      platform.tenants.update(tenantId, { name, slug, ...(own !== ownAfter ? { pending_operation: 'rename' as const } : {}) });
      platform.audit.record({
        ...auditedOperator(op),
        action: 'tenant.rename',
        tenantId,
        targetType: 'tenant',
        targetId: tenantId,
        before: { name: tenant.name, slug: tenant.slug, display_name: own },
        after: { name, slug, display_name: ownAfter },
      });
      return true;
    });
    if (changed && ownAfter !== own) {
      pausePoint('rename:recorded');
      await finishRename(platform, tenantId);
    }
    return { tenant: platform.tenants.findById(tenantId) as TenantRecord, changed };
  } finally {
    lock.release();
    // A suspended tenant's file was opened only for this: its handle is not kept.
    if (platform.tenants.statusOf(tenantId) !== 'active') platform.router.closeTenant(tenantId);
  }
}
