import { geoEqualEarth, geoGraticule10, geoPath } from 'd3-geo';
import { feature, mesh } from 'topojson-client';
import type { Topology, GeometryCollection } from 'topojson-specification';
import type { FeatureCollection } from 'geojson';
import countriesTopo from 'world-atlas/countries-110m.json';
import type { Database } from '../db/database';
import { mapSummary } from '../geo/mapAggregate';
import type { Precision } from '../geo/places';
import { esc, fmtInt } from './html';

export interface MapCluster {
  lat: number;
  lon: number;
  signins: number;
  failures: number;
  users: number;
  place: string;
  /** How the place was found: coordinates in the log, the gazetteer (city, country) or enrichment. */
  precision: Precision;
}

export interface MapFigure {
  svg: string;
  sql: string;
  clusters: MapCluster[];
  /** Sign-ins that could not be placed at all, stated under the map rather than dropped silently. */
  unplaced: number;
  byPrecision: { precision: Precision; count: number }[];
}

const W = 960;
const H = 470;
const MAX_CLUSTERS = 400;

/** How the app's map places a sign-in, shown so the figure can be reproduced (see electron/engine/geo). */
export const MAP_SQL = `-- Each sign-in is placed by the first of: its own latitude/longitude, its city in the
-- bundled gazetteer (GeoNames), its country's centroid, or an imported IP enrichment.
-- The per-row result is cached in geo_row_loc; the clusters are its points:
SELECT p.place, p.cc, p.precision, p.lat, p.lon, count(*) AS signins,
       count(*) FILTER (WHERE r.failed) AS failures, count(DISTINCT r.user_ix) AS users
FROM geo_row_loc r JOIN geo_buckets b USING (bucket_ix) JOIN geo_points p ON p.point_ix = b.point_ix
GROUP BY ALL ORDER BY signins DESC`;

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

/**
 * A world map with sign-in clusters as an inline SVG, projected in Node with d3-geo (no
 * browser, no tiles): circle area follows the number of sign-ins, colour the failure share.
 * Places come from the same resolution as the app's map (coordinates in the log, the
 * gazetteer for city and country names, enrichment), so the two agree on what is placed.
 */
export async function mapFigure(db: Database, dataVersion?: number): Promise<MapFigure> {
  const summary = await mapSummary(db, { dataVersion, maxClusters: 100_000 });
  const unplaced = summary.byPrecision.filter((p) => p.precision === 'unknown').reduce((n, p) => n + p.count, 0);
  const clusters: MapCluster[] = summary.clusters.map((c) => ({
    lat: c.lat,
    lon: c.lon,
    signins: c.count,
    failures: c.failures,
    users: c.users,
    place: c.place ?? '',
    precision: c.precision,
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
  return { svg, sql: MAP_SQL, clusters, unplaced, byPrecision: summary.byPrecision };
}
