import type { Language } from '../../core/i18n/languages';
import { msg } from '../../core/i18n/message';
import { translatorFor } from '../../core/i18n/translator';
import type { TenantRequestContext } from '../../tenant-runtime/tenant-request-context';
import type { TenantUrls } from '../../tenant-runtime/tenant-urls';
import type { MemberContact, MemberLookup } from '../workspace-services';
import type { ItemStatus } from '../workflow/item-status';
import type { NotificationKind } from './notification-kinds';
import { NotificationPreferences } from './notification-preferences';
import { isolated } from '../../core/text/visible-text';

/** One mail a workflow step calls for: to whom, about what. Prepared and queued in the step's transaction, sent after it. */
export interface WorkflowMail {
  kind: NotificationKind;
  to: MemberContact[];
  /** Messages (msg()), translated per recipient when sent. */
  subject: string;
  lines: string[];
  /** The member's own words (a note asking for changes), appended as they are. */
  note?: string;
  fromName: string;
  /** The workspace's language, for recipients who chose none. */
  language: Language;
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
 * or needs changes; nobody whose role may not read items. Each member's preferences (in the workspace's own file) are read here, while
 * the request still holds the handle; nothing is sent yet.
 */
export function workflowMailFor(ctx: TenantRequestContext, deps: WorkflowMailDeps, itemId: number, result: ItemMove): WorkflowMail | undefined {
  const kind = kindOf(result);
  if (!kind) return undefined;
  const actorId = ctx.actor.userId;
  // The mail quotes the item's title and links to it: only members who may read items hear of it.
  const candidates =
    kind === 'review_requested'
      ? deps.members.membersWith(ctx.tenant.id, ['content.approve', 'content.view']).filter((m) => m.id !== actorId && m.id !== result.createdBy)
      : [result.createdBy ? deps.members.memberById(ctx.tenant.id, result.createdBy, ['content.view']) : undefined].filter(
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
  // The title may hold direction controls (names may not): it is isolated from the sentence around it.
  const values = { name: ctx.actor.name, title: isolated(result.title), workspace };
  const link = deps.urls.publicTenantUrl(ctx.tenant.slug, `/items/${itemId}`);
  const settings = deps.urls.publicTenantUrl(ctx.tenant.slug, '/notifications');
  const texts: Record<NotificationKind, { subject: string; line: string }> = {
    review_requested: {
      subject: msg('Waiting for your review: {{title}}', values),
      line: msg('{{name}} sent “{{title}}” for review in {{workspace}}.', values),
    },
    item_approved: { subject: msg('Approved: {{title}}', values), line: msg('{{name}} approved “{{title}}” in {{workspace}}.', values) },
    changes_requested: {
      subject: msg('Changes requested: {{title}}', values),
      line: msg('{{name}} asked for changes to “{{title}}” in {{workspace}}:', values),
    },
  };
  const { subject, line } = texts[kind];
  const mail: WorkflowMail = {
    kind,
    to,
    subject,
    fromName: workspace,
    language: ctx.branding.language,
    lines: [line, msg('Open it: {{link}}', { link }), msg('Choose which mails you get: {{link}}', { link: settings })],
  };
  if (kind === 'changes_requested' && result.note) mail.note = result.note;
  return mail;
}

/** The text of a prepared mail in one language. */
export function workflowMailText(mail: WorkflowMail, language: Language): { subject: string; text: string } {
  const t = translatorFor(language);
  const [first, ...rest] = mail.lines.map((line) => t(line));
  const body = mail.note !== undefined ? [first, '', mail.note] : [first];
  return { subject: t(mail.subject), text: [...body, ...rest.flatMap((line) => ['', line])].join('\n') };
}
