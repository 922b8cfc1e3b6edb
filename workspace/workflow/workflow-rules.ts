import { msg } from '../../core/i18n/message';
import { z } from 'zod';
import type { TenantDatabase } from '../../tenant-runtime/tenant-database';

/** Stored as JSON under this key of the tenant's own `settings` table. */
export const WORKFLOW_RULES_KEY = 'workflow_rules';

export const CHANNEL_PATTERN = /^[a-z0-9][a-z0-9 _-]{0,49}$/i;

const channelSchema = z
  .string()
  .trim()
  .regex(CHANNEL_PATTERN, { error: msg('must be 1-50 letters, digits, spaces, - or _') });

export const workflowRulesSchema = z.object({
  approvalsRequired: z.number().int().min(1).max(3),
  allowSelfApproval: z.boolean(),
  /** Empty: any channel (or none). Otherwise an item's channel must be one of these. */
  channels: z.array(channelSchema).max(30),
});

export type WorkflowRules = z.infer<typeof workflowRulesSchema>;

/** Four eyes by default: one approval, by someone other than the author; channels free. */
export const DEFAULT_WORKFLOW_RULES: WorkflowRules = { approvalsRequired: 1, allowSelfApproval: false, channels: [] };

/** The edit form: channels typed one per line or separated by commas. */
export const workflowRulesFormSchema = z
  .object({
    approvals_required: z.coerce
      .number({ error: msg('must be 1, 2 or 3') })
      .int({ error: msg('must be 1, 2 or 3') })
      .min(1, { error: msg('must be 1, 2 or 3') })
      .max(3, { error: msg('must be 1, 2 or 3') }),
    allow_self_approval: z.enum(['on', 'true', '1']).optional(),
    channels: z
      .string()
      .max(2000, { error: msg('must be at most 2000 characters') })
      .default(''),
  })
  .transform((form, ctx) => {
    const channels = [
      ...new Set(
        form.channels
          .split(/[\n,]/)
          .map((c) => c.trim())
          .filter(Boolean),
      ),
    ];
    const bad = channels.find((c) => !CHANNEL_PATTERN.test(c));
    if (bad)
      ctx.addIssue({
        code: 'custom',
        path: ['channels'],
        message: msg('“{{channel}}” is not a channel name: use 1-50 letters, digits, spaces, - or _', { channel: bad.slice(0, 60) }),
      });
    if (channels.length > 30) ctx.addIssue({ code: 'custom', path: ['channels'], message: msg('may list at most 30 channels') });
    return { approvalsRequired: form.approvals_required, allowSelfApproval: Boolean(form.allow_self_approval), channels } satisfies WorkflowRules;
  });

/** Reads the tenant's rules; a missing or damaged value falls back to the defaults. */
export function loadWorkflowRules(db: TenantDatabase): WorkflowRules {
  const row = db.get<{ value: string }>('select value from settings where key = ?', [WORKFLOW_RULES_KEY]);
  if (!row) return { ...DEFAULT_WORKFLOW_RULES };
  try {
    const parsed = workflowRulesSchema.safeParse(JSON.parse(row.value));
    return parsed.success ? parsed.data : { ...DEFAULT_WORKFLOW_RULES };
  } catch {
    return { ...DEFAULT_WORKFLOW_RULES };
  }
}

export function saveWorkflowRules(db: TenantDatabase, rules: WorkflowRules): void {
  const value = JSON.stringify(workflowRulesSchema.parse(rules));
  db.write(() => {
    db.run(
      'insert into settings (key, value, updated_at) values (?, ?, ?) on conflict(key) do update set value = excluded.value, updated_at = excluded.updated_at',
      [WORKFLOW_RULES_KEY, value, Date.now()],
    );
  });
}

/** Null when the channel is allowed, else the reason (for a 400 naming the field). */
export function channelProblem(rules: WorkflowRules, channel: string): string | null {
  if (!rules.channels.length) return null;
  if (!channel) return msg('is required: choose one of {{channels}}', { channels: rules.channels.join(', ') });
  return rules.channels.includes(channel) ? null : msg('must be one of {{channels}}', { channels: rules.channels.join(', ') });
}
