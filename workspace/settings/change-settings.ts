import { FeatureDisabledError } from '../../core/errors/app-errors';
import { msg } from '../../core/i18n/message';
import type { Language } from '../../core/i18n/languages';
import type { TenantRequestContext } from '../../tenant-runtime/tenant-request-context';
import type { SettingsCopies } from '../workspace-services';
import { writeFollowedByCopies } from './copied-settings-write';
import type { SettingsChange } from './settings-schemas';
import { loadTenantSettings, saveTenantSettings, type TenantSettings } from './tenant-settings';
import { checkFormRevision } from '../../core/http/revision-form';

/** The settings a change may touch, as the audit record shows them. */
function recorded(settings: TenantSettings) {
  return { display_name: settings.displayName, accent_color: settings.accentColor, time_zone: settings.timeZone, language: settings.language };
}

export interface SettingsChangeOptions {
  /** The revision the change was made on (the page's, the client's): another current one refuses it (409). */
  revision?: number;
}

/**
 * Changes the settings given (validated: settings-schemas.ts) and keeps the others, from the
 * settings page (every field of its form) and the API (the fields sent). The white-label fields
 * need the plan's branding (403 feature_disabled otherwise, nothing changed). Read and written in
 * one write transaction, so the audit record's before and after are the change this made; a change
 * that changes nothing (the same form sent twice) records nothing and keeps the revision. A change
 * made on a revision that is no longer current (someone saved meanwhile) is refused whole (409),
 * unless it changes nothing (the same form sent again by a double click on Save).
 * The platform's copies of the display name and the language follow the commit
 * (writeFollowedByCopies). Answers the settings after it.
 */
export function changeSettings(ctx: TenantRequestContext, copies: SettingsCopies, change: SettingsChange, options: SettingsChangeOptions = {}): TenantSettings {
  if ((change.display_name !== undefined || change.accent_color !== undefined) && !ctx.entitlements.features.branding)
    throw new FeatureDisabledError('branding');
  const copied = change.display_name !== undefined || change.language !== undefined;
  const { before, after } = writeFollowedByCopies(
    ctx.db,
    ctx.tenant.id,
    copies,
    (forgetCopies) => {
      const current = loadTenantSettings(ctx.db, ctx.tenant.name);
      const next = {
        displayName: change.display_name,
        accentColor: change.accent_color,
        timeZone: change.time_zone,
        language: change.language as Language | undefined,
      };
      const changed = (Object.keys(next) as Array<keyof typeof next>).some((field) => next[field] !== undefined && next[field] !== current[field]);
      checkFormRevision(
        current.revision,
        options.revision,
        () => changed,
        msg('These settings were changed since you opened them (now revision {{revision}}): the form shows them as they are now; make your change again.', {
          revision: current.revision,
        }),
      );
      if (!changed) return { before: current, after: current };
      if (copied) forgetCopies(current);
      saveTenantSettings(ctx.db, { ...next, revision: current.revision + 1 });
      return { before: current, after: loadTenantSettings(ctx.db, ctx.tenant.name) };
    },
    (written) => written.after,
  );
  const [was, is] = [recorded(before), recorded(after)];
  if (JSON.stringify(is) !== JSON.stringify(was))
    ctx.audit({ action: 'tenant.settings.updated', targetType: 'settings', targetId: null, before: was, after: is });
  return after;
}
