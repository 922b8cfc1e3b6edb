import type { Request } from 'express';
import { clientOf } from '../../core/http/client-of';

/**
 * Who runs a platform operation (a super admin on a page, or the CLI at the console), as its
 * audit record names them.
 */
export interface Operator {
  /** null: the CLI, run by whoever has the server's shell. */
  userId: string | null;
  ip: string | null;
  userAgent: string | null;
}

export const CLI_OPERATOR: Operator = { userId: null, ip: null, userAgent: null };

/** The signed-in super admin making the request. */
export function operatorOf(req: Request): Operator {
  return { userId: req.user?.id ?? null, ...clientOf(req) };
}

/** The audit fields naming the operator. */
export function auditedOperator(op: Operator) {
  return { actorUserId: op.userId, ip: op.ip, userAgent: op.userAgent };
}
