let zones: Set<string> | undefined;

/** The IANA time zones this Node knows (Intl.supportedValuesOf), plus "UTC", which ICU lists as an alias only. */
export function timeZoneNames(): string[] {
  zones ??= new Set(['UTC', ...Intl.supportedValuesOf('timeZone')]);
  return [...zones];
}

export function isTimeZone(value: string): boolean {
  if (!zones) timeZoneNames();
  return zones!.has(value);
}
