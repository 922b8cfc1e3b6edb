import { z } from 'zod';
import { msg } from '../../core/i18n/message';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors/app-errors';
import { parseInput } from '../../core/http/parse-input';
import { DEFAULT_LANGUAGE, isLanguage } from '../../core/i18n/languages';
import { translatorFor } from '../../core/i18n/translator';
import { auditedOperator, type Operator } from '../audit/operator';
import type { ControlPlane } from '../control-plane';
import type { UserRecord } from '../users/user-record';
import { TwoStepRepository } from './two-step-repository';

export const resetTwoStepSchema = z.object({
  // Its own name: the user's page has the deletion's `confirm` field too.
  two_step_confirm: z
    .string({ error: msg("is required: type the user's email address") })
    .trim()
    .toLowerCase()
    .max(320),
});

/**
 * A super admin turns a person's two-step sign-in off (a lost phone and lost recovery codes), from
 * the console after typing the account's address, or from the CLI. Recorded with the operator;
 * the person is told by mail. Their password and sessions stay as they are.
 */
export async function resetTwoStep(platform: ControlPlane, userId: string, input: unknown, op: Operator): Promise<{ user: UserRecord; mailed: boolean }> {
  const { two_step_confirm: confirm } = parseInput(resetTwoStepSchema, input);
  const repo = new TwoStepRepository(platform.db);
  const user = platform.db.write(() => {
    const found = platform.users.findById(userId);
    if (!found) throw new NotFoundError(msg('No such user.'));
    if (confirm !== found.email) throw ValidationError.single('two_step_confirm', msg("must be the user's email address"));
    if (!repo.remove(userId)) throw new ConflictError(`Two-step sign-in is not on for ${found.email}.`);
    platform.audit.record({ action: 'admin.user_two_step_reset', ...auditedOperator(op), targetType: 'user', targetId: userId, after: { twoStep: 'off' } });
    return found;
  });
  return { user, mailed: await mailTwoStepReset(platform, user) };
}

/** Tells the person their two-step sign-in was turned off. A mail that cannot be sent is logged (without the address) and said. */
async function mailTwoStepReset(platform: ControlPlane, user: UserRecord): Promise<boolean> {
  const t = translatorFor(isLanguage(user.language) ? user.language : DEFAULT_LANGUAGE);
  try {
    await platform.mailer.send({
      to: user.email,
      subject: t('Two-step sign-in was turned off for your account'),
      about: { kind: 'two-step-reset', userId: user.id },
      text: [
        t('An administrator turned two-step sign-in off for your account: signing in now asks for your password only.'),
        t('Turn it on again from your account page: {{url}}', { url: `${platform.config.baseUrl}/account` }),
        '',
        t('If you did not ask for this, change your password now and tell your administrator.'),
      ].join('\n'),
    });
    return true;
  } catch (error) {
    platform.logger.warn({ kind: 'two-step-reset', userId: user.id, err: error instanceof Error ? error.name : 'unknown' }, 'two-step reset mail not sent');
    return false;
  }
}
