// Time display for the whole app. Times travel as ISO-8601 UTC instants; the chosen zone
// ('UTC', 'local' or an IANA name) is a display concern only, always labelled.

export function resolveZone(zone: string): string {
  return zone === 'local' ? Intl.DateTimeFormat().resolvedOptions().timeZone : zone;
}

/** Short label for headers and status lines, e.g. "UTC", "Local, Europe/Berlin". */
export function zoneLabel(zone: string): string {
  if (zone === 'UTC') return 'UTC';
  if (zone === 'local') return `local: ${resolveZone('local')}`;
  return zone;
}

/** Title of a time column in the zone, e.g. "Date (Europe/Oslo)". */
export function timeColumnTitle(zone: string): string {
  return `Date (${zoneLabel(zone)})`;
}

/** Column metadata with every time column titled in the display zone. */
export function withZoneLabels<T extends { type: string; label: string }>(columns: readonly T[], zone: string): T[] {
  return columns.map((c) => (c.type === 'TIMESTAMP' ? { ...c, label: timeColumnTitle(zone) } : c));
}

const partFormatters = new Map<string, Intl.DateTimeFormat>();
function partsFormatter(zone: string): Intl.DateTimeFormat {
  const tz = resolveZone(zone);
  let f = partFormatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partFormatters.set(tz, f);
  }
  return f;
}

/** Year, month, day, hour, minute and second of an instant on the zone's wall clock. */
export function wallParts(ms: number, zone: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of partsFormatter(zone).formatToParts(new Date(ms))) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return out;
}

/** Offset of a zone from UTC at an instant, in milliseconds. */
export function zoneOffsetMs(ms: number, zone: string): number {
  const p = wallParts(Math.floor(ms / 1000) * 1000, zone);
  const asUtc = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/**
 * "2026-10-01 14:03:07.123" in the zone, from an ISO UTC instant. Microseconds the source
 * carried are kept as digits (Date holds only milliseconds).
 */
export function formatInstant(iso: string | null | undefined, zone: string, withFraction = true): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const frac = /\.(\d+)/.exec(iso)?.[1] ?? '';
  const shown = zone === 'UTC' ? ms : ms + zoneOffsetMs(ms, zone);
  const d = new Date(shown);
  const base = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const digits = frac.replace(/0+$/, '');
  return withFraction && digits ? `${base}.${digits.padEnd(3, '0')}` : base;
}

/** A wall-clock time typed in the zone ("2026-10-01T14:03" or with seconds) → ISO UTC instant. */
export function zonedToUtcIso(local: string, zone: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?$/.exec(local.trim());
  if (!m) return null;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0), Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3)));
  if (zone === 'UTC') return new Date(wall).toISOString();
  // The offset depends on the instant; two passes settle it across DST changes.
  let guess = wall - zoneOffsetMs(wall, zone);
  guess = wall - zoneOffsetMs(guess, zone);
  return new Date(guess).toISOString();
}

/** ISO UTC instant → the value a datetime-local input shows for the zone. */
export function utcIsoToZonedInput(iso: string, zone: string): string {
  return formatInstant(iso, zone, false).replace(' ', 'T');
}

export function allTimeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
  return intl.supportedValuesOf?.('timeZone') ?? ['UTC'];
}
