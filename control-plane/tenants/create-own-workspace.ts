import { LimitReachedError, NotFoundError, UnauthenticatedError } from '../../core/errors/app-errors';
import { msg } from '../../core/i18n/message';
import { parseInput } from '../../core/http/parse-input';
import type { SessionUser } from '../../core/http/request-types';
import type { ControlPlane } from '../control-plane';
import { newTenantSchema, provisionDeps, provisionTenant } from '../provisioning/provision-tenant';
import { ownerActivation } from '../provisioning/owner-activation';
import type { TenantRecord } from './tenant-record';

/** Where a signed-in user stands with self-service workspaces. */
export interface OwnWorkspaceAllowance {
  owned: number;
  limit: number;
  mayCreate: boolean;
}

/** Self-service is a platform setting: off, the pages and the form do not exist (404). */
export function ownWorkspaceAllowance(platform: ControlPlane, userId: string): OwnWorkspaceAllowance {
  const { enabled, limit } = platform.config.selfService;
  if (!enabled) throw new NotFoundError();
  const owned = platform.tenants.countOwnedBy(userId);
  return { owned, limit, mayCreate: owned < limit };
}

function limitReached(owned: number, limit: number): LimitReachedError {
  return new LimitReachedError(
    msg('You own {{owned}} workspaces, the most one person may create here ({{limit}}). Ask a platform administrator to create another one for you.', {
      owned,
      limit,
    }),
    { limit: 'workspaces_owned_per_user', used: owned, max: limit },
  );
}

/**
 * A signed-in user creates a workspace of their own: provisioned like any other, with the user
 * as its first owner (given in the transaction that makes it active, so a crash half-way is
 * finished with the same owner) and recorded as self-service on its row. The per-user limit is
 * checked in the transaction that writes the row, so two identical requests cannot both pass it;
 * that the account is still active is checked in the one that makes the workspace active (a
 * disabled or deleted account's workspace is rolled back and its address freed).
 */
export async function createOwnWorkspace(platform: ControlPlane, user: SessionUser, input: unknown): Promise<TenantRecord> {
  ownWorkspaceAllowance(platform, user.id);
  const parsed = parseInput(newTenantSchema, input);
  const { limit } = platform.config.selfService;
  return provisionTenant(
    provisionDeps(platform, {
      activate: (tenant) => {
        // The file took a while: an account disabled or deleted meanwhile gets no workspace (nor its audit record).
        if (platform.users.findById(user.id)?.status !== 'active') throw new UnauthenticatedError();
        ownerActivation(platform, { userId: user.id }, {}, 'self-service')(tenant);
      },
      ownerEmail: user.email,
      createdBy: { userId: user.id, selfService: true },
      admit: () => {
        const owned = platform.tenants.countOwnedBy(user.id);
        if (owned >= limit) throw limitReached(owned, limit);
      },
    }),
    parsed,
  );
}
