import { currentZoneName } from '../../core/time/zone-names';

let zones: Set<string> | undefined;

/** The IANA time zones this Node knows (Intl.supportedValuesOf), plus "UTC", which ICU lists as an alias only. */
export function timeZoneNames(): string[] {
  zones ??= new Set(['UTC', ...Intl.supportedValuesOf('timeZone')]);
  return [...zones];
}

/**
 * The name this Node's list gives a zone typed under another of its names: a current IANA name
 * the list still knows by its older one (Asia/Kolkata is Asia/Calcutta, Europe/Kyiv is
 * Europe/Kiev), or a link (US/Pacific is America/Los_Angeles). A name no zone has comes back as it was.
 */
export function listedTimeZone(value: string): string {
  if (value.length > 64) return value;
  try {
    return new Intl.DateTimeFormat('en', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return value;
  }
}

export function isTimeZone(value: string): boolean {
  if (!zones) timeZoneNames();
  return zones!.has(value);
}

let choices: Array<{ value: string; label: string }> | undefined;

/**
 * The settings page's zones: each stored under the name this Node lists (what the zone check takes),
 * shown under its current name, in the order of what is shown (so Kolkata sits among the K's).
 */
export function timeZoneChoices(): Array<{ value: string; label: string }> {
  choices ??= timeZoneNames()
    .map((value) => ({ value, label: currentZoneName(value) }))
    .sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  return choices;
}
