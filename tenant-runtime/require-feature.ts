import type { RequestHandler } from 'express';
import { FeatureDisabledError, NotFoundError } from '../core/errors/app-errors';
import type { FeatureKey } from './plan-catalogue';
import { tenantContextOf } from './tenant-access-middleware';

export type FeatureGate = RequestHandler & { requiredFeature: FeatureKey };

/**
 * Refuses a route of a feature the tenant's plan does not include: a page does not exist for
 * them (404); a JSON route says why (403, code feature_disabled), so a program can tell.
 * The flags come from the control plane's cache: no query per request.
 */
export function requireFeature(feature: FeatureKey, answers: 'html' | 'json'): FeatureGate {
  const gate: RequestHandler = (_req, res, next) => {
    if (tenantContextOf(res).entitlements.features[feature]) return next();
    next(answers === 'json' ? new FeatureDisabledError(feature) : new NotFoundError());
  };
  return Object.assign(gate, { requiredFeature: feature });
}
