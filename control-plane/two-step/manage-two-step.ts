import { msg } from '../../core/i18n/message';
import { SecretBox } from '../../core/crypto/secret-box';
import { ConflictError, ValidationError } from '../../core/errors/app-errors';
import { parseInput } from '../../core/http/parse-input';
import type { Client } from '../../core/http/client-of';
import { verifyPassword } from '../auth/password-hasher';
import type { ControlPlane } from '../control-plane';
import { enrolmentPicture, newTotpKey, stepOfCode } from './one-time-code';
import { newRecoveryCodes } from './recovery-codes';
import { checkSecondStep } from './second-step';
import { passwordAndCodeSchema } from './two-step-input';
import { keyContext, sealedOf, TwoStepRepository } from './two-step-repository';

const NOT_THE_CODE = msg('is not a code your app shows now, nor one of your recovery codes');

/** The current password, checked: the field's reason otherwise. */
async function provePassword(platform: ControlPlane, userId: string, password: string): Promise<void> {
  const user = platform.users.findById(userId);
  if (!user || !(await verifyPassword(user.password_hash, password))) throw ValidationError.single('two_step_password', msg('is not your current password'));
}

const refuseWhenOn = (repo: TwoStepRepository, userId: string) => {
  if (repo.isOn(userId)) throw new ConflictError(msg('Two-step sign-in is already on for your account.'));
};

/**
 * Starts turning two-step sign-in on: a new key, sealed with SECRETS_KEY, waits for its first code
 * (one waiting before is replaced). Nothing changes for sign-in until that code comes.
 */
export function startEnrolment(platform: ControlPlane, userId: string): void {
  const repo = new TwoStepRepository(platform.db);
  const sealed = new SecretBox(platform.config.secretsKey).seal(newTotpKey(), keyContext(userId));
  platform.db.write(() => {
    refuseWhenOn(repo, userId);
    repo.saveWaitingKey(userId, sealed);
  });
}

/** The waiting key as the enrolment page shows it, or undefined when none waits. */
export function waitingEnrolment(platform: ControlPlane, userId: string, email: string): { svg: string; keyText: string } | undefined {
  const row = new TwoStepRepository(platform.db).keyOf(userId);
  if (!row || row.enabled_at) return undefined;
  return enrolmentPicture(new SecretBox(platform.config.secretsKey).open(sealedOf(row), keyContext(userId)), email);
}

/**
 * Turns two-step sign-in on with the current password and a right code for the waiting key; the
 * answer holds the recovery codes, shown once (only their hashes are kept).
 */
export async function confirmEnrolment(platform: ControlPlane, userId: string, input: unknown, client: Client): Promise<string[]> {
  const { two_step_password, two_step_code: code } = parseInput(passwordAndCodeSchema, input);
  await provePassword(platform, userId, two_step_password);
  const repo = new TwoStepRepository(platform.db);
  const row = repo.keyOf(userId);
  refuseWhenOn(repo, userId);
  if (!row) throw new ConflictError(msg('No key is waiting for a code: turn two-step sign-in on again.'));
  const step = stepOfCode(new SecretBox(platform.config.secretsKey).open(sealedOf(row), keyContext(userId)), code);
  if (step === undefined) throw ValidationError.single('two_step_code', msg('is not the code your app shows now'));
  const { codes, hashes } = newRecoveryCodes();
  platform.db.write(() => {
    // The key checked is still the one waiting: a second enrolment started meanwhile is not turned on with this code.
    if (repo.keyOf(userId)?.iv.equals(row.iv) !== true || !repo.enable(userId, step))
      throw new ConflictError(msg('No key is waiting for a code: turn two-step sign-in on again.'));
    repo.replaceRecoveryCodes(userId, hashes);
    platform.audit.record({ action: 'account.two_step_on', actorUserId: userId, targetType: 'user', targetId: userId, ...client });
  });
  return codes;
}

/** The password and a code (or a recovery code) of an account whose two-step sign-in is on, checked. */
async function proveBothSteps(platform: ControlPlane, userId: string, input: unknown, client: Client): Promise<TwoStepRepository> {
  const { two_step_password, two_step_code: code } = parseInput(passwordAndCodeSchema, input);
  await provePassword(platform, userId, two_step_password);
  const repo = new TwoStepRepository(platform.db);
  if (!repo.isOn(userId)) throw new ConflictError(msg('Two-step sign-in is off for your account.'));
  if (!checkSecondStep(platform, userId, code, client)) throw ValidationError.single('two_step_code', NOT_THE_CODE);
  return repo;
}

/** Turns two-step sign-in off: the key and the recovery codes are removed. */
export async function turnOffTwoStep(platform: ControlPlane, userId: string, input: unknown, client: Client): Promise<void> {
  const repo = await proveBothSteps(platform, userId, input, client);
  platform.db.write(() => {
    repo.remove(userId);
    platform.audit.record({ action: 'account.two_step_off', actorUserId: userId, targetType: 'user', targetId: userId, after: { by: 'self' }, ...client });
  });
}

/** New recovery codes in place of the old ones (all of them stop working); shown once. */
export async function replaceRecoveryCodes(platform: ControlPlane, userId: string, input: unknown, client: Client): Promise<string[]> {
  const repo = await proveBothSteps(platform, userId, input, client);
  const { codes, hashes } = newRecoveryCodes();
  platform.db.write(() => {
    if (!repo.isOn(userId)) throw new ConflictError(msg('Two-step sign-in is off for your account.'));
    repo.replaceRecoveryCodes(userId, hashes);
    platform.audit.record({ action: 'account.two_step_recovery_codes', actorUserId: userId, targetType: 'user', targetId: userId, ...client });
  });
  return codes;
}
