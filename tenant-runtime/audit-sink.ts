import type { Request } from 'express';
import { clientOf } from '../core/http/client-of';

/** One audit record: who did what to what, and when (the sink stamps the time). */
export interface AuditRecord {
  action: string;
  actorUserId?: string | null;
  /** Set while a super admin acts as another user: the actor is that user, this is who really acted. */
  realActorUserId?: string | null;
  /** The API token the request came with, if any. */
  apiTokenId?: string | null;
  tenantId?: string | null;
  targetType?: string | null;
  targetId?: string | null;
  before?: unknown;
  after?: unknown;
  ip?: string | null;
  userAgent?: string | null;
}

/** Where audit records go. The control plane's audit log is one; tenant code sees only this. */
export interface AuditSink {
  record(entry: AuditRecord): void;
}

/**
 * The one shape of a refused access: a request reached a tenant (or tried to) that it may not
 * open, or a route its role does not allow. The path is kept without its query string.
 */
export function accessRefused(
  req: Request,
  refusal: { tenantId: string | null; reason: 'not-found' | 'permission'; permission?: string; slug?: string },
): AuditRecord {
  const url = req.originalUrl;
  const query = url.indexOf('?');
  return {
    action: 'access.refused',
    actorUserId: req.user?.id ?? null,
    realActorUserId: req.realUser?.id ?? null,
    apiTokenId: req.apiToken?.tokenId ?? null,
    tenantId: refusal.tenantId,
    targetType: refusal.reason === 'permission' ? 'permission' : 'path',
    targetId: refusal.reason === 'permission' ? (refusal.permission ?? null) : (query < 0 ? url : url.slice(0, query)).slice(0, 200),
    after: { method: req.method, path: url.slice(0, 200), ...(refusal.slug ? { slug: refusal.slug } : {}) },
    ...clientOf(req),
  };
}
