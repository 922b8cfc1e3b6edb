import { z } from 'zod';
import type { ControlPlane } from '../control-plane';
import { parseInput } from '../../core/http/parse-input';
import { LANGUAGE_CODES, type Language } from '../../core/i18n/languages';
import { msg } from '../../core/i18n/message';
import type { Client as AuditClient } from '../../core/http/client-of';
import { updateOwnAccount } from './update-own-account';

/** Empty: follow each workspace's language; otherwise one of the languages the product speaks completely. */
export const changeLanguageSchema = z.object({
  language: z.union([z.literal(''), z.enum(LANGUAGE_CODES as [Language, ...Language[]])], { error: msg('must be one of the languages offered') }),
});

/** The language a person reads the product in, over every workspace's own; audited like the other account changes. */
export function changeLanguage(platform: ControlPlane, userId: string, input: unknown, client: AuditClient): void {
  const { language } = parseInput(changeLanguageSchema, input);
  const chosen = language === '' ? null : language;
  updateOwnAccount(platform, userId, { field: 'language', value: chosen, action: 'account.language_change', auditKey: 'language' }, client);
}
