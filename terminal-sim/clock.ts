// Local business dates and times of the simulated day. Indonesian zones have no daylight saving,
// but the offset is still read from the zone database rather than assumed.
const DAY_MS = 86_400_000;
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const offsetFormats = new Map<string, Intl.DateTimeFormat>();

function cached(map: Map<string, Intl.DateTimeFormat>, tz: string, make: () => Intl.DateTimeFormat) {
  let f = map.get(tz);
  if (!f) map.set(tz, (f = make()));
  return f;
}

/** The YYYY-MM-DD date of an instant in a time zone. */
export function localDate(instant: Date, timeZone: string): string {
  return cached(
    dateFormats,
    timeZone,
    () => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }),
  ).format(instant);
}

/** The zone's offset from UTC at an instant, in milliseconds (+07:00 is 25,200,000). */
export function zoneOffsetMs(instant: Date, timeZone: string): number {
  const f = cached(
    offsetFormats,
    timeZone,
    () => new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }),
  );
  const name = f.formatToParts(instant).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!m) return 0;
  const sign = m[1] === '-' ? -1 : 1;
  return sign * (Number(m[2]) * 3_600_000 + Number(m[3]) * 60_000);
}

/** The instant of a local wall-clock time: `seconds` after local midnight of `date`. */
export function localInstant(date: string, seconds: number, timeZone: string): Date {
  const wall = Date.parse(`${date}T00:00:00Z`) + seconds * 1000;
  return new Date(wall - zoneOffsetMs(new Date(wall), timeZone));
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

export function isValidDate(date: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) && new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) === date;
}

/** 20261123 */
export function compactDate(date: string): string {
  return date.replace(/-/g, '');
}

/** The day of the year, 1-366 (a statement number banks often use). */
export function dayOfYear(date: string): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${date.slice(0, 4)}-01-01T00:00:00Z`)) / DAY_MS) + 1;
}
