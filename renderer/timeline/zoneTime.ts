// echarts draws time axes either in the browser's zone or in UTC, never in an arbitrary
// IANA zone. The timeline therefore draws "wall-clock" instants: each UTC instant is
// shifted by its zone offset and the axis is drawn in UTC, so ticks land on local
// midnights and hours. These helpers do that shift and its inverse, and format times.

import { resolveZone, wallParts } from '../state/timeZone';

/** The zone a store value means: 'local' resolves to the machine's zone. */
export function resolveZoneName(setting: string): string {
  return resolveZone(setting || 'UTC') || 'UTC';
}

const SLOT = 15 * 60_000;
const offsetCache = new Map<string, number>();

/** Offset of `zone` from UTC at instant `utcMs`, in ms (zones change offset only on 15-minute marks). */
export function zoneOffsetMs(zone: string, utcMs: number): number {
  if (zone === 'UTC') return 0;
  const slot = Math.floor(utcMs / SLOT);
  const key = `${zone}|${slot}`;
  const hit = offsetCache.get(key);
  if (hit !== undefined) return hit;
  const at = slot * SLOT;
  const p = wallParts(at, zone);
  const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  const offset = wall - at;
  if (offsetCache.size > 50_000) offsetCache.clear();
  offsetCache.set(key, offset);
  return offset;
}

/** UTC instant → the wall-clock value the chart draws. */
export function toWall(zone: string, utcMs: number): number {
  return utcMs + zoneOffsetMs(zone, utcMs);
}

/** Wall-clock value from the chart → UTC instant (the later one, inside a DST fold). */
export function fromWall(zone: string, wallMs: number): number {
  const guess = wallMs - zoneOffsetMs(zone, wallMs);
  return wallMs - zoneOffsetMs(zone, guess);
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** "2024-03-05 14:07:09" in the zone (seconds only when they matter). */
export function formatInZone(zone: string, utcMs: number, withSeconds = false): string {
  const d = new Date(toWall(zone, utcMs));
  const base = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  return withSeconds ? `${base}:${pad(d.getUTCSeconds())}` : base;
}

/** A range as one readable phrase: same-day ends show only the time. */
export function formatRange(zone: string, from: number, to: number, withSeconds = false): string {
  const a = formatInZone(zone, from, withSeconds);
  const b = formatInZone(zone, to, withSeconds);
  return a.slice(0, 10) === b.slice(0, 10) ? `${a} – ${b.slice(11)}` : `${a} – ${b}`;
}

export function formatDuration(ms: number): string {
  const min = Math.round(ms / 60_000);
  if (min < 60) return `${min} min`;
  const h = ms / 3_600_000;
  if (h < 48) return `${h.toFixed(h < 10 ? 1 : 0)} h`;
  return `${(h / 24).toFixed(1)} days`;
}
