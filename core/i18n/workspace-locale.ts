import type { Language } from './languages';

/** A workspace's language and time zone, as mail sent for it from outside it (an invitation) writes its text and times in. */
export interface WorkspaceLocale {
  language: Language;
  timeZone: string;
}
