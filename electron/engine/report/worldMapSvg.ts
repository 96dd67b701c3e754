import { geoEqualEarth, geoGraticule10, geoPath } from 'd3-geo';
import { feature, mesh } from 'topojson-client';
import type { Topology, GeometryCollection } from 'topojson-specification';
import type { FeatureCollection } from 'geojson';
import countriesTopo from 'world-atlas/countries-110m.json';
import type { Database } from '../db/database';
import { esc, fmtInt } from './html';

export interface MapCluster {
  lat: number;
  lon: number;
  signins: number;
  failures: number;
  users: number;
  place: string;
}

export interface MapFigure {
  svg: string;
  sql: string;
  clusters: MapCluster[];
  /** Sign-ins without usable coordinates, stated under the map rather than dropped silently. */
  unplaced: number;
}

const W = 960;
const H = 470;
const MAX_CLUSTERS = 400;

/** Sign-ins grouped on a one-degree grid; each cluster drawn at its mean position. */
export const MAP_SQL = `SELECT round(avg(latitude), 3) AS lat,
       round(avg(longitude), 3) AS lon,
       count(*) AS signins,
       count(*) FILTER (WHERE status = 'failure') AS failures,
       count(DISTINCT user_principal_name) AS users,
       mode(concat_ws(', ', nullif(city, ''), nullif(country, ''))) AS place
FROM signins
WHERE latitude BETWEEN -90 AND 90 AND longitude BETWEEN -180 AND 180
  AND NOT (latitude = 0 AND longitude = 0)
GROUP BY round(latitude), round(longitude)
ORDER BY signins DESC, lat, lon`;

// Projected once: the base map is identical in every report.
let baseLayer: string | null = null;

function projection() {
  const topo = countriesTopo as unknown as Topology<{ countries: GeometryCollection }>;
  const land = feature(topo, topo.objects.countries) as unknown as FeatureCollection;
  const proj = geoEqualEarth().fitExtent(
    [
      [6, 6],
      [W - 6, H - 6],
    ],
    { type: 'Sphere' },
  );
  return { topo, land, proj };
}

function base(): { layer: string; project: (lon: number, lat: number) => [number, number] | null } {
  const { topo, land, proj } = projection();
  if (!baseLayer) {
    const path = geoPath(proj).digits(1);
    const sphere = path({ type: 'Sphere' }) ?? '';
    const grid = path(geoGraticule10()) ?? '';
    const countries = land.features.map((f) => path(f) ?? '').join('');
    const borders = path(mesh(topo, topo.objects.countries, (a, b) => a !== b)) ?? '';
    baseLayer =
      `<path d="${sphere}" fill="#eef3f8" stroke="#aab4bf" stroke-width="0.8"/>` +
      `<path d="${grid}" fill="none" stroke="#dbe3ea" stroke-width="0.5"/>` +
      `<path d="${countries}" fill="#d9dee4" stroke="none"/>` +
      `<path d="${borders}" fill="none" stroke="#ffffff" stroke-width="0.5"/>`;
  }
  return { layer: baseLayer, project: (lon, lat) => proj([lon, lat]) };
}

interface ClusterRow {
  lat: number;
  lon: number;
  signins: string;
  failures: string;
  users: string;
  place: string | null;
  [key: string]: unknown;
}

/**
 * A world map with sign-in clusters as an inline SVG, projected in Node with d3-geo (no
 * browser, no tiles): circle area follows the number of sign-ins, colour the failure share.
 */
export async function mapFigure(db: Database): Promise<MapFigure> {
  const rows = await db.all<ClusterRow>(MAP_SQL);
  const unplaced = Number(
    await db.scalar(
      `SELECT count(*) FROM signins WHERE NOT (coalesce(latitude BETWEEN -90 AND 90 AND longitude BETWEEN -180 AND 180 AND NOT (latitude = 0 AND longitude = 0), false))`,
    ),
  );
  const clusters: MapCluster[] = rows.map((r) => ({
    lat: Number(r.lat),
    lon: Number(r.lon),
    signins: Number(r.signins),
    failures: Number(r.failures),
    users: Number(r.users),
    place: r.place ?? '',
  }));
  const { layer, project } = base();
  const max = Math.max(1, ...clusters.map((c) => c.signins));
  const drawn = clusters.slice(0, MAX_CLUSTERS);
  // Largest first so small clusters stay visible on top.
  const circles = drawn
    .map((c) => {
      const p = project(c.lon, c.lat);
      if (!p) return '';
      const r = 2.5 + 14 * Math.sqrt(c.signins / max);
      const share = c.failures / c.signins;
      const color = share >= 0.5 ? '#c0392b' : share > 0 ? '#d4760a' : '#2459c6';
      const title = `${c.place || `${c.lat}, ${c.lon}`}: ${fmtInt(c.signins)} sign-ins, ${fmtInt(c.failures)} failed, ${fmtInt(c.users)} user(s)`;
      return `<circle cx="${p[0].toFixed(1)}" cy="${p[1].toFixed(1)}" r="${r.toFixed(1)}" fill="${color}" fill-opacity="0.55" stroke="${color}" stroke-width="1"><title>${esc(title, 'svg')}</title></circle>`;
    })
    .join('');
  const legend =
    `<g font-size="11" fill="#1b1f24">` +
    `<circle cx="18" cy="${H - 44}" r="5" fill="#2459c6" fill-opacity="0.55" stroke="#2459c6"/><text x="28" y="${H - 40}">all succeeded</text>` +
    `<circle cx="18" cy="${H - 28}" r="5" fill="#d4760a" fill-opacity="0.55" stroke="#d4760a"/><text x="28" y="${H - 24}">some failed</text>` +
    `<circle cx="18" cy="${H - 12}" r="5" fill="#c0392b" fill-opacity="0.55" stroke="#c0392b"/><text x="28" y="${H - 8}">half or more failed</text></g>`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="World map of sign-in locations">${layer}${circles}${legend}</svg>`;
  return { svg, sql: MAP_SQL, clusters, unplaced };
}
