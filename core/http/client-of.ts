import type { Request } from 'express';

/** Where a request came from, as audit records keep it. */
export interface Client {
  readonly ip: string | null;
  readonly userAgent: string | null;
}

/**
 * The request's client, read when first asked: most requests write no audit record, and the
 * address behind trusted proxies (`req.ip`) is worth computing only for those that do.
 */
export function clientOf(req: Request): Client {
  let ip: string | null | undefined;
  return {
    get ip() {
      if (ip === undefined) ip = req.ip ?? null;
      return ip;
    },
    get userAgent() {
      return req.headers['user-agent'] ?? null;
    },
  };
}
