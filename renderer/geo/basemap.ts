import { geoArea, geoGraticule, geoGraticule10, geoNaturalEarth1, geoPath, type GeoProjection } from 'd3-geo';
import { feature, mesh } from 'topojson-client';
import type { Topology, GeometryCollection } from 'topojson-specification';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import countriesText from 'world-atlas/countries-50m.json?raw';

/**
 * The bundled world: Natural Earth 1:50m country shapes (world-atlas), projected once per
 * canvas size with the Natural Earth projection into Path2D objects. Pan and zoom are a
 * canvas transform over these, so redrawing while dragging costs no re-projection.
 */
export interface Basemap {
  projection: GeoProjection;
  sphere: Path2D;
  graticule: Path2D;
  land: Path2D;
  borders: Path2D;
  coast: Path2D;
  countries: { name: string; path: Path2D }[];
  labels: { name: string; x: number; y: number; width: number; area: number }[];
}

type CountryProps = { name: string };
let world: { features: Feature<Polygon | MultiPolygon, CountryProps>[]; borders: ReturnType<typeof mesh>; coast: ReturnType<typeof mesh> } | null = null;

function loadWorld() {
  if (world) return world;
  const topo = JSON.parse(countriesText) as Topology<{ countries: GeometryCollection<CountryProps> }>;
  const fc = feature(topo, topo.objects.countries);
  world = {
    features: fc.features as Feature<Polygon | MultiPolygon, CountryProps>[],
    borders: mesh(topo, topo.objects.countries, (a, b) => a !== b),
    coast: mesh(topo, topo.objects.countries, (a, b) => a === b),
  };
  return world;
}

// Shorter names for labels where Natural Earth's are long.
const SHORT: Record<string, string> = {
  'United States of America': 'United States',
  'Dem. Rep. Congo': 'DR Congo',
  'Central African Rep.': 'C. African Rep.',
  'Russian Federation': 'Russia',
};

function mainPolygon(f: Feature<Polygon | MultiPolygon, CountryProps>): Feature<Polygon, CountryProps> {
  if (f.geometry.type === 'Polygon') return f as Feature<Polygon, CountryProps>;
  let best: Polygon | null = null;
  let bestArea = -1;
  for (const coordinates of f.geometry.coordinates) {
    const p: Polygon = { type: 'Polygon', coordinates };
    const a = geoArea(p);
    if (a > bestArea) {
      bestArea = a;
      best = p;
    }
  }
  return { ...f, geometry: best! };
}

export function buildBasemap(width: number, height: number): Basemap {
  const w = loadWorld();
  const pad = 8;
  const projection = geoNaturalEarth1().fitExtent(
    [
      [pad, pad],
      [width - pad, height - pad],
    ],
    // Fit the inhabited latitudes: Antarctica would take a fifth of the height for no sign-in.
    geoGraticule().extent([[-180, -57], [180, 84]]).outline(),
  );
  const path = geoPath(projection);
  const p2d = (d: string | null) => new Path2D(d ?? '');
  const countries = w.features.map((f) => ({ name: f.properties.name, path: p2d(path(f)) }));
  const labels = w.features
    .map((f) => {
      const main = mainPolygon(f);
      const [x, y] = path.centroid(main);
      const [[x0], [x1]] = path.bounds(main);
      return { name: SHORT[f.properties.name] ?? f.properties.name, x, y, width: x1 - x0, area: path.area(main) };
    })
    .filter((l) => Number.isFinite(l.x) && Number.isFinite(l.y))
    .sort((a, b) => b.area - a.area);
  return {
    projection,
    sphere: p2d(path({ type: 'Sphere' })),
    graticule: p2d(path(geoGraticule10())),
    land: p2d(w.features.map((f) => path(f) ?? '').join('')),
    borders: p2d(path(w.borders)),
    coast: p2d(path(w.coast)),
    countries,
    labels,
  };
}
