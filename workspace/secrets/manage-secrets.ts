import type { SecretBox } from '../../core/crypto/secret-box';
import { NotFoundError, ValidationError } from '../../core/errors/app-errors';
import { msg } from '../../core/i18n/message';
import type { TenantRequestContext } from '../../tenant-runtime/tenant-request-context';
import { SecretRepository, type SecretSummary } from './secret-repository';
import { SECRET_NAME_PATTERN } from './secret-schemas';
import type { WorkspaceServices } from '../workspace-services';
import { deletedJustNow } from '../repeated-deletion';

export const SECRETS_PER_TENANT = 200;

/**
 * Adds a secret, or replaces the value of the one of that name, with its audit record (its name
 * only: a value never reaches the audit trail or a log). A workspace holds at most
 * SECRETS_PER_TENANT: a new name past it is a 400 on `nameField` (the form's or the API's field),
 * counted in the write that adds it. The value it already holds, saved again (a double click),
 * changes and records nothing. Answers what the list shows of it, and whether it was replaced.
 */
export function saveSecret(
  ctx: TenantRequestContext,
  box: SecretBox,
  secret: { name: string; value: string },
  nameField: string,
): { secret: SecretSummary; replaced: boolean } {
  const repo = new SecretRepository(ctx.db);
  return ctx.db.write(() => {
    if (!repo.find(secret.name) && repo.count() >= SECRETS_PER_TENANT)
      throw ValidationError.single(nameField, msg('cannot be added: a workspace holds at most {{count}} secrets', { count: SECRETS_PER_TENANT }));
    const { replaced, changed } = repo.save(box, secret.name, secret.value, ctx.actor.userId);
    if (changed) ctx.audit({ action: replaced ? 'tenant.secret.replaced' : 'tenant.secret.added', targetType: 'secret', targetId: secret.name });
    return { secret: repo.find(secret.name) as SecretSummary, replaced };
  });
}

/** One secret as the list shows it (never its value); a name the workspace has no secret of is not found. */
export function secretOf(ctx: TenantRequestContext, name: string): SecretSummary {
  const secret = SECRET_NAME_PATTERN.test(name) ? new SecretRepository(ctx.db).find(name) : undefined;
  if (!secret) throw new NotFoundError();
  return secret;
}

/**
 * Deletes a secret with its audit record (written with the deletion's commit). One the workspace
 * does not have (any more) is not found and nothing is recorded, except the same deletion sent
 * again by the same member moments after, or at once (a double click, an API call retried without
 * an Idempotency-Key): it finds that member's record in this workspace (repeated-deletion.ts) and
 * is answered as the first one was, writing nothing.
 */
export function deleteSecret(ctx: TenantRequestContext, services: Pick<WorkspaceServices, 'recentDeletions'>, name: string): Pick<SecretSummary, 'name'> {
  const repo = new SecretRepository(ctx.db);
  const target = { action: 'tenant.secret.deleted', targetType: 'secret', targetId: name };
  return ctx.db.write(() => {
    const secret = SECRET_NAME_PATTERN.test(name) ? repo.find(name) : undefined;
    if (!secret) {
      if (SECRET_NAME_PATTERN.test(name) && deletedJustNow(services, ctx, target)) return { name };
      throw new NotFoundError();
    }
    if (!repo.delete(name)) throw new NotFoundError();
    ctx.audit(target);
    return secret;
  });
}
