import { msg } from '../../core/i18n/message';
import { z } from 'zod';
import type { ControlPlane } from '../control-plane';
import { NotFoundError } from '../../core/errors/app-errors';
import { parseInput } from '../../core/http/parse-input';
import type { SessionRepository } from '../auth/session-repository';
import { sessionRef } from '../auth/session-ref';
import type { Client as AuditClient } from '../../core/http/client-of';

export const revokeSessionSchema = z.object({
  session: z.string({ error: msg('is required') }).regex(/^[A-Za-z0-9_-]{1,128}$/, { error: msg('is not a session reference') }),
});

/**
 * Ends one of the user's own sessions, named by its reference. The search runs over the
 * user's sessions only, so another user's session (by reference or raw id) is not found.
 */
export function revokeSession(
  platform: ControlPlane,
  sessions: SessionRepository,
  userId: string,
  input: unknown,
  client: AuditClient,
): { ref: string; sid: string } {
  const { session: ref } = parseInput(revokeSessionSchema, input);
  const secret = platform.config.sessionSecret;
  const row = sessions.listForUser(userId).find((s) => sessionRef(secret, s.sid) === ref);
  if (!row) throw new NotFoundError(msg('No such session.'));
  sessions.destroy(row.sid);
  platform.audit.record({
    action: 'account.session_revoke',
    actorUserId: userId,
    targetType: 'session',
    targetId: ref,
    before: { userAgent: row.user_agent, ip: row.ip, lastSeenAt: row.last_seen_at },
    ...client,
  });
  return { ref, sid: row.sid };
}

/** Ends every session of the user but the current one. */
export function revokeOtherSessions(platform: ControlPlane, sessions: SessionRepository, userId: string, currentSid: string, client: AuditClient): number {
  const revoked = sessions.destroyAllForUser(userId, currentSid);
  platform.audit.record({ action: 'account.sessions_revoke_others', actorUserId: userId, targetType: 'user', targetId: userId, after: { revoked }, ...client });
  return revoked;
}
