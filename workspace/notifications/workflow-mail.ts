import type { Logger } from '../../core/logging/logger';
import type { Mailer } from '../../core/mail/mailer';
import type { TenantRequestContext } from '../../tenant-runtime/tenant-request-context';
import type { TenantUrls } from '../../tenant-runtime/tenant-urls';
import type { MemberContact, MemberLookup } from '../workspace-services';
import type { ItemStatus } from '../workflow/item-status';
import type { NotificationKind } from './notification-kinds';
import { NotificationPreferences } from './notification-preferences';

/** One mail to send after a workflow step: to whom, about what. Prepared in the request, sent after it. */
export interface WorkflowMail {
  kind: NotificationKind;
  to: MemberContact[];
  subject: string;
  text: string;
  fromName: string;
}

export interface WorkflowMailDeps {
  members: Pick<MemberLookup, 'memberById' | 'membersWith'>;
  urls: Pick<TenantUrls, 'publicTenantUrl'>;
}

/** A move of an item, as the mails need it (a workflow step, or an edit sending an approved item back to review). */
export interface ItemMove {
  /** The workflow action, or `edit` for an edit that sent an approved item back to review. */
  action: string;
  from: ItemStatus;
  to: ItemStatus;
  title: string;
  createdBy: string | null;
  note?: string | null;
}

function kindOf(result: ItemMove): NotificationKind | undefined {
  if (result.to === result.from) return undefined;
  if (result.to === 'in_review') return 'review_requested';
  // Approved by an approval (not an item taken off the schedule, which also lands in approved).
  if (result.to === 'approved' && result.action === 'approve') return 'item_approved';
  if (result.to === 'changes_requested') return 'changes_requested';
  return undefined;
}

/**
 * The mail a workflow step calls for, if any: approvers hear that an item waits for their
 * review (its author and whoever moved it excepted), an author hears that their item was approved
 * or needs changes. Each member's preferences (in the workspace's own file) are read here, while
 * the request still holds the handle; nothing is sent yet.
 */
export function workflowMailFor(ctx: TenantRequestContext, deps: WorkflowMailDeps, itemId: number, result: ItemMove): WorkflowMail | undefined {
  const kind = kindOf(result);
  if (!kind) return undefined;
  const actorId = ctx.actor.userId;
  const candidates =
    kind === 'review_requested'
      ? deps.members.membersWith(ctx.tenant.id, 'content.approve').filter((m) => m.id !== actorId && m.id !== result.createdBy)
      : [result.createdBy ? deps.members.memberById(ctx.tenant.id, result.createdBy) : undefined].filter(
          (m): m is MemberContact => m !== undefined && m.id !== actorId,
        );
  const wanted = new Set(
    new NotificationPreferences(ctx.db).wanting(
      candidates.map((m) => m.id),
      kind,
    ),
  );
  const to = candidates.filter((m) => wanted.has(m.id));
  if (!to.length) return undefined;
  const workspace = ctx.branding.displayName;
  const link = deps.urls.publicTenantUrl(ctx.tenant.slug, `/items/${itemId}`);
  const settings = deps.urls.publicTenantUrl(ctx.tenant.slug, '/notifications');
  const lines: Record<NotificationKind, { subject: string; body: string[] }> = {
    review_requested: { subject: `Waiting for your review: ${result.title}`, body: [`${ctx.actor.name} sent “${result.title}” for review in ${workspace}.`] },
    item_approved: { subject: `Approved: ${result.title}`, body: [`${ctx.actor.name} approved “${result.title}” in ${workspace}.`] },
    changes_requested: {
      subject: `Changes requested: ${result.title}`,
      body: [`${ctx.actor.name} asked for changes to “${result.title}” in ${workspace}:`, '', result.note ?? ''],
    },
  };
  const { subject, body } = lines[kind];
  return { kind, to, subject, fromName: workspace, text: [...body, '', `Open it: ${link}`, '', `Choose which mails you get: ${settings}`].join('\n') };
}

/** Sends a prepared mail to each recipient; one failing address is logged and the others still go. */
export async function sendWorkflowMail(mailer: Mailer, logger: Logger, mail: WorkflowMail): Promise<void> {
  for (const member of mail.to) {
    try {
      await mailer.send({ to: member.email, subject: mail.subject, text: mail.text, fromName: mail.fromName });
    } catch (err) {
      logger.error({ err, kind: mail.kind }, 'workflow mail could not be sent');
    }
  }
}
