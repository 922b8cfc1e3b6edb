import type { RequestHandler } from 'express';
import { tenantContextOf } from '../../tenant-runtime/tenant-access-middleware';
import { limitPolicyOf } from '../../tenant-runtime/limit-check';
import { unlessDiskFull } from '../../core/errors/disk-full';
import { meterWithin } from './limit-guard';

/**
 * Counts each API request made with a token against the plan's API requests per day, refusing
 * one past the limit (429, code limit_reached) before its handler runs. Session requests (the
 * workspace's own pages calling the API) are not counted. On a full disk the count is a write a
 * read can do without (decision 021): the limit is still checked, the count is skipped, and the
 * request goes on (one that writes fails in its own work, with the reason).
 */
export const meterApiRequests: RequestHandler = (req, res, next) => {
  if (!req.apiToken) return next();
  const ctx = tenantContextOf(res);
  unlessDiskFull(() => ctx.db.write(() => meterWithin(ctx.db, limitPolicyOf(ctx), 'api_requests_per_day', 1)));
  next();
};
