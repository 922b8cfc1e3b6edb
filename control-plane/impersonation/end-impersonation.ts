import type { ControlPlane } from '../control-plane';
import type { ImpersonationState } from '../../core/http/request-types';
import type { Client } from '../../core/http/client-of';
import { recordEverywhere } from './start-impersonation';

/** Why an impersonation ended: the stop button, its time, sign-out, or the user no longer being one that may be impersonated. */
export type ImpersonationEnd = 'stopped' | 'expired' | 'signed-out' | 'target-unavailable';

/** Records the end where the start was recorded: the platform trail and each of the user's tenants. */
export function endImpersonation(platform: ControlPlane, state: ImpersonationState, how: ImpersonationEnd, client: Client): void {
  const target = platform.users.findById(state.targetUserId);
  recordEverywhere(platform, { id: state.targetUserId, email: target?.email ?? '' }, { userId: state.realUserId, ...client }, 'impersonation.end', {
    how,
    startedAt: new Date(state.startedAt).toISOString(),
    minutes: Math.round((Date.now() - state.startedAt) / 6000) / 10,
  });
}
