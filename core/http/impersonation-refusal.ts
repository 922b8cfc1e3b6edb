import type { Request } from 'express';
import { msg, nested } from '../i18n/message';
import { ForbiddenError } from '../errors/app-errors';

/**
 * What refusing a change of the person's own things (their account, their mail choices) while a
 * super admin acts as them answers and records: a 403 naming the person, and an audit entry of the
 * path and method (the caller adds the two identities its audit trail knows).
 */
export function impersonationRefusal(req: Request, what: string, actingAs: string) {
  return {
    audit: {
      action: 'impersonation.refused',
      targetType: 'path',
      targetId: req.originalUrl.split('?')[0].slice(0, 64),
      after: { why: `${what} cannot be changed while impersonating`, method: req.method },
    },
    error: new ForbiddenError(
      msg('While you act as {{name}}, their {{what}} cannot be changed. Stop impersonating first.', { name: actingAs, what: nested(what) }),
    ),
  };
}
