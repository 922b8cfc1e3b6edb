import type { Request } from 'express';
import { auditedOperator, operatorOf, type Operator as RequestOperator } from '../audit/operator';

// The one place an operator is read from a request (with the token it came with) is the audit's.
export { operatorOf };

/**
 * Who starts a lifecycle step: a signed-in super admin (with the client, and the API token the
 * request came with, which the step's records name) or the CLI (no user).
 */
export interface Operator extends RequestOperator {
  /**
   * A super admin at a console form: the same step sent again moments after (a double click, a
   * form sent again) is answered with the first one's outcome (repeated-step.ts). Not for the API,
   * whose retries carry an Idempotency-Key, nor for the CLI.
   */
  atForm?: boolean;
}

/** The CLI acts as the operator at the console, not as a signed-in user. */
export const CLI_OPERATOR: Operator = { userId: null };

/** The super admin sending a console form. */
export function formOperatorOf(req: Request): Operator {
  return { ...operatorOf(req), atForm: true };
}

/**
 * Whose records the same step sent again moments after is looked for among: the console's (which
 * name no token), or the API's of the request's token (none for a session). Undefined for the CLI
 * and for an operator not read from a request.
 */
export function repeatAsker(operator: Operator): { actorUserId: string; apiTokenId: string | null } | undefined {
  if (!operator.userId) return undefined;
  if (operator.atForm) return { actorUserId: operator.userId, apiTokenId: null };
  if (operator.apiTokenId !== undefined) return { actorUserId: operator.userId, apiTokenId: operator.apiTokenId };
  return undefined;
}

/** The transition input fields that name an operator (the token included). */
export function byOperator(operator: Operator) {
  return { ...auditedOperator(operator), by: 'operator' as const };
}
