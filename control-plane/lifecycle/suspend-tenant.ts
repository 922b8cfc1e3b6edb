import { z } from 'zod';
import { parseInput } from '../../core/http/parse-input';
import { parseUtcTime } from '../../core/time/utc-time';
import type { ControlPlane } from '../control-plane';
import { ONE_LINE_TEXT } from '../../core/text/visible-text';
import { hasNoDirectionControls, showsSomething } from '../../core/text/visible-text';
import type { TenantRecord } from '../tenants/tenant-record';
import { applyTransition } from './apply-transition';
import { byOperator, type Operator } from './operator';
import { stepJustDone } from './repeated-step';

const optionalText = z
  .string({ error: 'must be text' })
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined));

export const suspendSchema = z.object({
  reason: z
    .string({ error: 'is required: say why, members read it' })
    .trim()
    .max(500, { error: 'must be at most 500 characters' })
    .regex(ONE_LINE_TEXT, { error: 'must not contain control characters' })
    .refine(showsSomething, { error: 'is required: say why, members read it' })
    .refine(hasNoDirectionControls, { error: 'must not contain text-direction controls' }),
  until: optionalText.pipe(
    z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (v === undefined) return undefined;
        const at = parseUtcTime(v);
        if (at === null) {
          ctx.addIssue({ code: 'custom', message: 'must be a date (YYYY-MM-DD) or a date and time (YYYY-MM-DD HH:MM, UTC)' });
          return z.NEVER;
        }
        if (at <= Date.now()) {
          ctx.addIssue({ code: 'custom', message: 'must be in the future' });
          return z.NEVER;
        }
        return at;
      }),
  ),
});

/**
 * Suspends an active tenant with a reason members read, and optionally an end date after
 * which the lifecycle sweep resumes it by itself. Its open handle is closed at once. The same
 * suspension sent again from the console moments after is answered with the tenant as it left it.
 */
export function suspendTenant(platform: ControlPlane, tenantId: string, input: unknown, operator: Operator): TenantRecord {
  const { reason, until } = parseInput(suspendSchema, input);
  const repeated = stepJustDone(platform, tenantId, 'suspend', operator, (change) => change.reason === reason && change.until === (until ?? null));
  if (repeated) return repeated;
  return applyTransition(platform, tenantId, 'suspend', { ...byOperator(operator), reason, until: until ?? null });
}

export function resumeTenant(platform: ControlPlane, tenantId: string, operator: Operator): TenantRecord {
  return stepJustDone(platform, tenantId, 'resume', operator) ?? applyTransition(platform, tenantId, 'resume', byOperator(operator));
}
