import type { Request } from 'express';

/** Where a request came from, as audit records keep it. */
export interface Client {
  ip: string | null;
  userAgent: string | null;
}

export function clientOf(req: Request): Client {
  return { ip: req.ip ?? null, userAgent: req.get('user-agent') ?? null };
}
