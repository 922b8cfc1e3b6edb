import type { Request } from 'express';
import { clientOf } from '../../core/http/client-of';

/**
 * Who runs a platform operation (a super admin on a page or through the admin API, or the CLI at
 * the console), as its audit record names them.
 */
export interface Operator {
  /** null: the CLI, run by whoever has the server's shell. */
  userId: string | null;
  ip?: string | null;
  userAgent?: string | null;
  /**
   * The API token the request came with (null for a session; unset for the CLI and the platform):
   * every record the operation writes names it (decision 023).
   */
  apiTokenId?: string | null;
}

export const CLI_OPERATOR: Operator = { userId: null, ip: null, userAgent: null };

/** The signed-in super admin making the request, with the token it came with: the one place an operator is read from a request. */
export function operatorOf(req: Request): Operator {
  return { userId: req.user?.id ?? null, ...clientOf(req), apiTokenId: req.apiToken?.tokenId ?? null };
}

/** The audit fields naming the operator. */
export function auditedOperator(op: Operator) {
  return { actorUserId: op.userId, ip: op.ip ?? null, userAgent: op.userAgent ?? null, apiTokenId: op.apiTokenId ?? null };
}
