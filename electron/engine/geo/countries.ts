import { createRequire } from 'node:module';
import { geoArea, geoCentroid, geoDistance } from 'd3-geo';
import { feature } from 'topojson-client';
import type { Topology, GeometryCollection } from 'topojson-specification';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import isoCountries from 'i18n-iso-countries';
import { foldPlaceName } from './placeName';

/**
 * Country centroids and uncertainty radii computed from the Natural Earth shapes that
 * ship with the app (world-atlas, 1:50m). A sign-in known only by its country is placed
 * on the centroid of the country's main landmass (so France sits in France, not in the
 * Atlantic between it and French Guiana), and carries a radius large enough to cover
 * the country's main landmass: an impossible-travel test must subtract it, or
 * a country-level point would "travel" from the centroid to any city of that country.
 */
export interface CountryInfo {
  /** ISO 3166-1 alpha-2. */
  cc: string;
  name: string;
  lat: number;
  lon: number;
  radiusKm: number;
}

const EARTH_RADIUS_KM = 6371.0088;
const MIN_RADIUS_KM = 50;

// Natural Earth shapes without an ISO numeric code that still appear in sign-in logs.
const UNCODED: Record<string, string> = { Kosovo: 'XK', 'N. Cyprus': 'CY', Somaliland: 'SO' };

const requireJson = createRequire(__filename);

let cache: Map<string, CountryInfo> | null = null;

function polygonsOf(f: Feature): Polygon[] {
  const g = f.geometry;
  if (!g) return [];
  if (g.type === 'Polygon') return [g];
  if (g.type === 'MultiPolygon') return (g as MultiPolygon).coordinates.map((coordinates) => ({ type: 'Polygon', coordinates }));
  return [];
}

function build(): Map<string, CountryInfo> {
  const topo = requireJson('world-atlas/countries-50m.json') as Topology<{ countries: GeometryCollection<{ name: string }> }>;
  const out = new Map<string, CountryInfo>();
  const collection = feature(topo, topo.objects.countries);
  for (const f of collection.features) {
    const name = f.properties?.name ?? '';
    const cc = (f.id !== undefined ? isoCountries.numericToAlpha2(String(f.id)) : undefined) ?? UNCODED[name];
    if (!cc || out.has(cc)) continue;
    const polys = polygonsOf(f as Feature).map((p) => ({ p, area: geoArea(p) }));
    if (!polys.length) continue;
    polys.sort((a, b) => b.area - a.area);
    const main = polys[0]!;
    const [lon, lat] = geoCentroid(main.p);
    // Covering radius of the main landmass, widened to the equal-area circle of the
    // whole country for archipelagos; far-flung territories (Svalbard, French Guiana,
    // Alaska) would otherwise make every country-level point unalarming.
    let far = 0;
    for (const ring of main.p.coordinates) for (const pos of ring as Position[]) far = Math.max(far, geoDistance([lon, lat], [pos[0]!, pos[1]!]));
    const totalArea = polys.reduce((sum, x) => sum + x.area, 0);
    const equalAreaRadius = Math.sqrt(totalArea / Math.PI);
    const radiusKm = Math.max(MIN_RADIUS_KM, Math.max(far, equalAreaRadius) * EARTH_RADIUS_KM);
    out.set(cc, { cc, name: isoCountries.getName(cc, 'en') ?? name, lat, lon, radiusKm });
  }
  return out;
}

export function countryTable(): Map<string, CountryInfo> {
  cache ??= build();
  return cache;
}

export function countryInfo(cc: string): CountryInfo | undefined {
  return countryTable().get(cc);
}

const NAME_ALIASES: Record<string, string> = {
  usa: 'US',
  'united states of america': 'US',
  uk: 'GB',
  'great britain': 'GB',
  england: 'GB',
  scotland: 'GB',
  wales: 'GB',
  russia: 'RU',
  'south korea': 'KR',
  'north korea': 'KP',
  'czech republic': 'CZ',
  kosovo: 'XK',
};

/**
 * The log's country as ISO alpha-2. Entra logs carry alpha-2 codes, but hand-made and
 * third-party exports sometimes spell the name out; both are accepted. Unknown → null.
 */
export function toAlpha2(country: string | null | undefined): string | null {
  const raw = country?.trim();
  if (!raw) return null;
  if (/^[A-Za-z]{2}$/.test(raw)) {
    const cc = raw.toUpperCase();
    return isoCountries.isValid(cc) || cc === 'XK' ? cc : null;
  }
  if (/^[A-Za-z]{3}$/.test(raw)) {
    const cc = isoCountries.alpha3ToAlpha2(raw.toUpperCase());
    if (cc) return cc;
  }
  const folded = foldPlaceName(raw);
  return NAME_ALIASES[folded] ?? isoCountries.getAlpha2Code(raw, 'en') ?? null;
}

export function countryName(cc: string): string {
  return isoCountries.getName(cc, 'en') ?? countryTable().get(cc)?.name ?? cc;
}

export const BASEMAP_ATTRIBUTION = 'Country shapes: Natural Earth (public domain), via world-atlas.';
