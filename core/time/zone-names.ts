/**
 * IANA's current names of zones this Node's ICU still lists under an older one (ICU keeps the name
 * a zone had when CLDR first listed it): someone in India looks for Kolkata, not Calcutta. Facts
 * from IANA's `backward` file; a pair is kept only while this Node resolves the current name to
 * the listed one, so a Node whose ICU lists the current name itself drops it.
 */
const CURRENT_NAMES = [
  'Africa/Asmara',
  'America/Argentina/Buenos_Aires',
  'America/Argentina/Catamarca',
  'America/Argentina/Cordoba',
  'America/Argentina/Jujuy',
  'America/Argentina/Mendoza',
  'America/Indiana/Indianapolis',
  'America/Kentucky/Louisville',
  'America/Nuuk',
  'Asia/Ho_Chi_Minh',
  'Asia/Kathmandu',
  'Asia/Kolkata',
  'Asia/Yangon',
  'Atlantic/Faroe',
  'Europe/Kyiv',
  'Pacific/Chuuk',
  'Pacific/Kanton',
  'Pacific/Pohnpei',
];

let currentByListed: Map<string, string> | undefined;

function listedNameOf(zone: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** The name a zone goes by now (`Asia/Kolkata` for ICU's `Asia/Calcutta`); any other zone as it is. */
export function currentZoneName(zone: string): string {
  currentByListed ??= new Map(
    CURRENT_NAMES.flatMap((current) => {
      const listed = listedNameOf(current);
      return listed && listed !== current ? [[listed, current] as const] : [];
    }),
  );
  return currentByListed.get(zone) ?? zone;
}

/**
 * The time zone this process reads local times in: `TZ` when set, else the system's (UTC on most
 * servers and containers). The backup schedule's cron expression is read in it.
 */
export function serverTimeZone(): string {
  return currentZoneName(new Intl.DateTimeFormat().resolvedOptions().timeZone);
}
