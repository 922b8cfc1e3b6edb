import { SecretBox } from '../../core/crypto/secret-box';
import type { Client } from '../../core/http/client-of';
import type { ControlPlane } from '../control-plane';
import { stepOfCode, looksLikeCode } from './one-time-code';
import { hashRecoveryCode } from './recovery-codes';
import { keyContext, sealedOf, TwoStepRepository } from './two-step-repository';

/** Which proof passed: a code from the app, or a recovery code (spent now). */
export type SecondStepProof = 'code' | 'recovery';

/**
 * Checks the second step of an account with two-step sign-in on: a code from the app (accepted
 * once per time step: a code seen by someone else is refused) or one of its recovery codes
 * (spent). A refusal, and a recovery code used, are recorded without the code. Each check is one
 * conditional write, so two requests with the same code cannot both pass.
 */
export function checkSecondStep(platform: ControlPlane, userId: string, typed: string, client: Client, now = Date.now()): SecondStepProof | undefined {
  const repo = new TwoStepRepository(platform.db);
  const row = repo.keyOf(userId);
  if (!row?.enabled_at) return undefined;
  const proof = platform.db.write((): SecondStepProof | undefined => {
    if (looksLikeCode(typed)) {
      const key = new SecretBox(platform.config.secretsKey).open(sealedOf(row), keyContext(userId));
      const step = stepOfCode(key, typed, now);
      return step !== undefined && repo.acceptStep(userId, step) ? 'code' : undefined;
    }
    if (!repo.spendRecoveryCode(userId, hashRecoveryCode(typed), now)) return undefined;
    platform.audit.record({
      action: 'auth.two_step_recovery_used',
      actorUserId: userId,
      targetType: 'user',
      targetId: userId,
      after: { recoveryCodesLeft: repo.unusedRecoveryCodes(userId) },
      ...client,
    });
    return 'recovery';
  });
  if (!proof) platform.audit.record({ action: 'auth.two_step_refused', actorUserId: userId, targetType: 'user', targetId: userId, ...client });
  return proof;
}
