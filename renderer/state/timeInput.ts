import { wallParts, zoneLabel } from './timeZone';

// Times typed by the analyst: ISO order, 24-hour clock, in the display zone. Every input
// is checked field by field so a mistake gets a message that says what is wrong, and a
// wall time the zone skips (spring forward) is refused rather than silently shifted.

export type Parsed = { ok: true; iso: string; ms: number } | { ok: false; error: string };

export const TIME_INPUT_FORMAT = 'YYYY-MM-DD HH:MM[:SS]';

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** The wall clock of an instant in the zone, as ms since the epoch read as if UTC. */
function wallMs(ms: number, zone: string): number {
  if (zone === 'UTC') return ms;
  const p = wallParts(ms, zone);
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) + (((ms % 1000) + 1000) % 1000);
}

/**
 * Instants whose wall clock in the zone reads `wall`: none in a spring-forward gap, two
 * in an autumn fold, else one. Zones change offset at most once a day, so the offsets a
 * day either side are the only candidates.
 */
function instantsAt(wall: number, zone: string): number[] {
  if (zone === 'UTC') return [wall];
  const day = 86_400_000;
  const offsets = new Set([wallMs(wall - day, zone) - (wall - day), wallMs(wall + day, zone) - (wall + day), wallMs(wall, zone) - wall]);
  return [...new Set([...offsets].map((o) => wall - o))].filter((t) => wallMs(t, zone) === wall).sort((a, b) => a - b);
}

/** "2026-10-01 14:03:07" (or with a T, or without seconds, or with a fraction) in the zone → the instant. */
export function parseZonedInput(text: string, zone: string, field = 'Time'): Parsed {
  const s = text.trim();
  const where = `in ${zoneLabel(zone)}`;
  if (!s) return { ok: false, error: `${field}: empty. Type ${TIME_INPUT_FORMAT} (24-hour, ${where})` };
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?$/.exec(s);
  if (!m) {
    const hint = /[ap]\.?m\.?$/i.test(s) ? ' without AM/PM' : /^\d{1,2}[/.]\d{1,2}[/.]\d{2,4}/.test(s) ? ' with the year first' : '';
    return { ok: false, error: `${field}: "${s.slice(0, 40)}" is not ${TIME_INPUT_FORMAT}. Type it${hint} as e.g. 2026-10-01 14:30 (24-hour, ${where})` };
  }
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [number, number, number, number, number, number];
  const frac = m[7] ?? '';
  if (month < 1 || month > 12) return { ok: false, error: `${field}: month ${month} does not exist (01–12)` };
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) return { ok: false, error: `${field}: ${year}-${pad(month)} has no day ${day} (it has ${daysInMonth})` };
  if (hour > 23) return { ok: false, error: `${field}: hour ${hour} is past 23 (use the 24-hour clock)` };
  if (minute > 59) return { ok: false, error: `${field}: minute ${minute} is past 59` };
  if (second > 59) return { ok: false, error: `${field}: second ${second} is past 59` };
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, Number(frac.padEnd(3, '0').slice(0, 3)));
  // Date.UTC maps years 0–99 to 1900–1999.
  if (year < 1000) return { ok: false, error: `${field}: the year must have four digits` };
  const at = instantsAt(wall, zone);
  const shown = `${year}-${pad(month)}-${pad(day)} ${pad(hour)}:${pad(minute)}${m[6] ? `:${pad(second)}` : ''}`;
  if (!at.length) return { ok: false, error: `${field}: ${shown} does not exist ${where} (the clocks skip it when summer time starts)` };
  // In an autumn fold the first of the two instants: a range typed as wall times then covers both.
  const ms = at[0]!;
  const iso = new Date(ms).toISOString();
  // Microseconds the Date cannot hold are kept in the text the engine parses.
  return { ok: true, ms, iso: frac.length > 3 ? iso.replace(/\.\d{3}Z$/, `.${frac.padEnd(6, '0')}Z`) : iso };
}

/** An instant as the analyst types it in the zone: "2026-10-01 14:03:07". */
export function formatZonedInput(ms: number, zone: string): string {
  const d = new Date(wallMs(Math.floor(ms / 1000) * 1000, zone));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

export type PresetId = 'last1h' | 'last24h' | 'last7d' | 'day';

export const PRESETS: readonly { id: PresetId; label: string; title: string }[] = [
  { id: 'last1h', label: 'Last 1 h', title: 'The last hour of the case, up to its latest sign-in' },
  { id: 'last24h', label: 'Last 24 h', title: 'The last 24 hours of the case, up to its latest sign-in' },
  { id: 'last7d', label: 'Last 7 d', title: 'The last 7 days of the case, up to its latest sign-in' },
  { id: 'day', label: 'This day', title: 'The calendar day (in the display zone) of the selected row, or of the latest sign-in' },
];

/**
 * A preset's range, relative to the data, never to the clock on the wall: "last N" ends
 * just after the case's latest sign-in (the end is exclusive), "this day" is midnight to
 * midnight of the anchor's day in the zone. The instants are exact (a wall-clock text
 * inside an autumn fold could name either of two); `from`/`to` are how they read in the zone.
 */
export function presetRange(id: PresetId, latestUtc: string, zone: string, anchorUtc?: string | null): { fromMs: number; toMs: number; from: string; to: string } {
  const latest = Date.parse(latestUtc);
  if (id === 'day') {
    const anchor = anchorUtc ? Date.parse(anchorUtc) : latest;
    const w = new Date(wallMs(anchor, zone));
    const day = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
    const start = day(w);
    const end = day(new Date(Date.UTC(w.getUTCFullYear(), w.getUTCMonth(), w.getUTCDate() + 1)));
    // Where midnight is skipped (a few zones change at 00:00) the day starts at the first instant after it.
    const at = (d: string) => {
      const p = parseZonedInput(`${d} 00:00`, zone);
      return p.ok ? p.ms : instantsAt(Date.parse(`${d}T01:00:00Z`), zone)[0]!;
    };
    const fromMs = at(start);
    const toMs = at(end);
    return { fromMs, toMs, from: formatZonedInput(fromMs, zone), to: formatZonedInput(toMs, zone) };
  }
  const span = { last1h: 3_600_000, last24h: 86_400_000, last7d: 7 * 86_400_000 }[id];
  // The whole second after the latest sign-in, so it falls inside the exclusive end.
  const toMs = Math.floor(latest / 1000) * 1000 + 1000;
  const fromMs = toMs - span;
  return { fromMs, toMs, from: formatZonedInput(fromMs, zone), to: formatZonedInput(toMs, zone) };
}
