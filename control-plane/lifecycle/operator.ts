import type { Request } from 'express';
import { clientOf } from '../../core/http/client-of';

/** Who starts a lifecycle step: a signed-in super admin (with the client) or the CLI (no user). */
export interface Operator {
  userId: string | null;
  ip?: string | null;
  userAgent?: string | null;
  /**
   * A super admin at a console form: the same step sent again moments after (a double click, a
   * form sent again) is answered with the first one's outcome (repeated-step.ts). Not for the API,
   * whose retries carry an Idempotency-Key, nor for the CLI.
   */
  atForm?: boolean;
}

/** The CLI acts as the operator at the console, not as a signed-in user. */
export const CLI_OPERATOR: Operator = { userId: null };

export function operatorOf(req: Request): Operator {
  return { userId: req.user?.id ?? null, ...clientOf(req) };
}

/** The super admin sending a console form. */
export function formOperatorOf(req: Request): Operator {
  return { ...operatorOf(req), atForm: true };
}

/** The transition input fields that name an operator. */
export function byOperator(operator: Operator) {
  return { actorUserId: operator.userId, by: 'operator' as const, ip: operator.ip ?? null, userAgent: operator.userAgent ?? null };
}
