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
  return new RequestClient(req);
}

class RequestClient implements Client {
  private address: string | null | undefined;

  constructor(private readonly req: Request) {}

  get ip(): string | null {
    if (this.address === undefined) this.address = this.req.ip ?? null;
    return this.address;
  }

  get userAgent(): string | null {
    return this.req.headers['user-agent'] ?? null;
  }
}
