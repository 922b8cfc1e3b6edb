import { msg } from '../../core/i18n/message';
import { z } from 'zod';
import type { ControlPlane } from '../control-plane';
import { ValidationError } from '../../core/errors/app-errors';
import { parseInput } from '../../core/http/parse-input';
import type { Client as AuditClient } from '../../core/http/client-of';
import { updateOwnAccount } from './update-own-account';

export const defaultTenantSchema = z.object({
  // Empty: no default (land on the last-used workspace).
  default_tenant_id: z.union([z.literal(''), z.string().regex(/^t[0-9a-f]{24}$/, { error: msg('must be one of your workspaces') })], {
    error: msg('must be one of your workspaces'),
  }),
});

/** The workspace the user lands in after sign-in: only one they are a member of. */
export function chooseDefaultTenant(platform: ControlPlane, userId: string, input: unknown, client: AuditClient): void {
  const { default_tenant_id: chosen } = parseInput(defaultTenantSchema, input);
  if (chosen && !platform.access.tenantsOfUser(userId).some((t) => t.tenant_id === chosen)) {
    throw ValidationError.single('default_tenant_id', msg('must be one of your workspaces'));
  }
  const after = chosen || null;
  updateOwnAccount(
    platform,
    userId,
    { field: 'default_tenant_id', value: after, action: 'account.default_tenant_change', auditKey: 'defaultTenantId' },
    client,
  );
}
