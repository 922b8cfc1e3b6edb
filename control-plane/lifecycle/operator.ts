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
  /**
   * A super admin calling the admin API: the token the request came with (null for a session).
   * A repeat is looked for among the same token's records (a creation, an Add owner), as two
   * tokens of one person are two scripts; the console's records carry none.
   */
  apiTokenId?: string | null;
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

/** The super admin calling the admin API, with the token the request came with. */
export function apiOperatorOf(req: Request): Operator {
  return { ...operatorOf(req), apiTokenId: req.apiToken?.tokenId ?? null };
}

/**
 * Whose records the same step sent again moments after is looked for among: the console's (which
 * name no token), or the API's of the request's token (none for a session). Undefined for the CLI
 * and for a step that does not look (a lifecycle step of the API, whose retries carry their key).
 */
export function repeatAsker(operator: Operator): { actorUserId: string; apiTokenId: string | null } | undefined {
  if (!operator.userId) return undefined;
  if (operator.atForm) return { actorUserId: operator.userId, apiTokenId: null };
  if (operator.apiTokenId !== undefined) return { actorUserId: operator.userId, apiTokenId: operator.apiTokenId };
  return undefined;
}

/** The transition input fields that name an operator. */
export function byOperator(operator: Operator) {
  return { actorUserId: operator.userId, by: 'operator' as const, ip: operator.ip ?? null, userAgent: operator.userAgent ?? null };
}
