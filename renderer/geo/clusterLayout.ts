import type { MapClusterDto } from '../../electron/api/methods/geo';

/**
 * Merge resolved locations that would overlap on screen at the current zoom, biggest
 * first, so the map stays readable at world scale and splits apart when zoomed in.
 * `x`/`y` are base-projection coordinates; `k` is the zoom factor.
 */
export interface ScreenGroup {
  x: number;
  y: number;
  count: number;
  failures: number;
  users: number;
  members: MapClusterDto[];
  radius: number;
}

export function bubbleRadius(count: number, maxCount: number): number {
  return 4 + 18 * Math.sqrt(count / Math.max(1, maxCount));
}

export function groupClusters(points: { c: MapClusterDto; x: number; y: number }[], k: number, maxCount: number): ScreenGroup[] {
  const sorted = [...points].sort((a, b) => b.c.count - a.c.count);
  const groups: ScreenGroup[] = [];
  const cell = 28; // screen pixels
  const grid = new Map<string, ScreenGroup[]>();
  const cellKey = (x: number, y: number) => `${Math.floor(x / cell)}:${Math.floor(y / cell)}`;
  for (const p of sorted) {
    const sx = p.x * k;
    const sy = p.y * k;
    let host: ScreenGroup | null = null;
    const cx = Math.floor(sx / cell);
    const cy = Math.floor(sy / cell);
    for (let dx = -1; dx <= 1 && !host; dx++) {
      for (let dy = -1; dy <= 1 && !host; dy++) {
        for (const g of grid.get(`${cx + dx}:${cy + dy}`) ?? []) {
          const d = Math.hypot(g.x * k - sx, g.y * k - sy);
          if (d < Math.max(14, g.radius * 0.8)) {
            host = g;
            break;
          }
        }
      }
    }
    if (host) {
      host.count += p.c.count;
      host.failures += p.c.failures;
      host.users = Math.max(host.users, p.c.users);
      host.members.push(p.c);
    } else {
      const g: ScreenGroup = { x: p.x, y: p.y, count: p.c.count, failures: p.c.failures, users: p.c.users, members: [p.c], radius: 0 };
      g.radius = bubbleRadius(g.count, maxCount);
      groups.push(g);
      const key = cellKey(sx, sy);
      const list = grid.get(key);
      if (list) list.push(g);
      else grid.set(key, [g]);
    }
  }
  for (const g of groups) g.radius = bubbleRadius(g.count, maxCount);
  return groups;
}

/** Failure share → colour: teal (all succeeded) through amber to red (all failed). */
export function failureColor(share: number, alpha = 1): string {
  const stops = [
    [0, [20, 150, 130]],
    [0.25, [120, 170, 60]],
    [0.5, [230, 160, 30]],
    [1, [215, 50, 45]],
  ] as const;
  const s = Math.max(0, Math.min(1, share));
  let i = 0;
  while (i < stops.length - 2 && s > stops[i + 1]![0]) i++;
  const [s0, c0] = stops[i]!;
  const [s1, c1] = stops[i + 1]!;
  const t = (s - s0) / (s1 - s0 || 1);
  const mix = (j: number) => Math.round(c0[j]! + (c1[j]! - c0[j]!) * t);
  return `rgba(${mix(0)}, ${mix(1)}, ${mix(2)}, ${alpha})`;
}

export const PRECISION_LABEL: Record<string, string> = {
  coordinates: 'coordinates from the log',
  city: 'city (gazetteer)',
  country: 'country centroid',
  enriched: 'enriched from .mmdb',
  unknown: 'unknown',
};
