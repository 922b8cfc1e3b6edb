import { msg } from '../../core/i18n/message';
import type { Translate } from '../../core/i18n/translator';
import { SCHEDULER_ACTOR, SCHEDULER_NAME, type HistoryRow } from './item-history';

/** What each kind of history step is called where people read it (the stored action stays a code). */
export const HISTORY_VERBS: Record<string, string> = {
  create: msg('created'),
  import: msg('imported'),
  edit: msg('edited'),
  comment: msg('commented'),
  submit: msg('submitted for review'),
  resubmit: msg('resubmitted for review'),
  approve: msg('approved'),
  'request-changes': msg('asked for changes'),
  schedule: msg('scheduled'),
  unschedule: msg('took off the schedule'),
  publish: msg('published'),
  archive: msg('archived'),
  restore: msg('restored as draft'),
};

/** The helpers the item page and the dashboard use to show history rows in the reader's language. */
export function historyText(t: Translate) {
  return {
    historyVerbs: HISTORY_VERBS,
    /** A member's name as it was then; the scheduler's in the reader's language. */
    actorName: (row: Pick<HistoryRow, 'actor_id' | 'actor_name'>): string =>
      row.actor_id === null && row.actor_name === SCHEDULER_ACTOR.name ? t(SCHEDULER_NAME) : row.actor_name,
    /** The product's words on the step (translated), then the member's own. */
    historyNote: (row: Pick<HistoryRow, 'detail' | 'note'>): string => [row.detail ? t(row.detail) : '', row.note ?? ''].filter(Boolean).join(': '),
  };
}
