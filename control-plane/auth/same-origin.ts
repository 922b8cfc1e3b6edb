import { msg } from '../../core/i18n/message';
import type { RequestHandler } from 'express';
import { ForbiddenError } from '../../core/errors/app-errors';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A second CSRF defence beside the token: a browser names the page a request comes from in
 * `Origin` (on every cross-origin request and on same-origin POSTs). A state-changing request
 * whose Origin is another site, another tenant subdomain or `null` is refused. Requests without
 * the header (scripts, old browsers) still need the CSRF token.
 */
export function sameOrigin(baseUrl: string): RequestHandler {
  const deployment = new URL(baseUrl).origin;
  return (req, _res, next) => {
    const origin = req.get('origin');
    if (SAFE_METHODS.has(req.method) || origin === undefined) return next();
    const own = `${req.protocol}://${req.get('host') ?? ''}`;
    if (origin === own || origin === deployment) return next();
    next(new ForbiddenError(msg('This form was sent from another site. Reload the page and try again.'), { origin: origin.slice(0, 100) }));
  };
}
