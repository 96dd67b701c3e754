import { z } from 'zod';
import { method } from '../method';
import { filterState } from '../schemas/filter';

// Geo view: where sign-ins came from, and travel that cannot be real.

export const precision = z.enum(['coordinates', 'city', 'country', 'enriched', 'unknown']);

export const mapCluster = z.object({
  key: z.string(),
  lat: z.number(),
  lon: z.number(),
  place: z.string().nullable(),
  cc: z.string().nullable(),
  precision,
  radiusKm: z.number(),
  count: z.number(),
  users: z.number(),
  failures: z.number(),
  /** Null when none of the rows has a time (e.g. a Log Analytics export without a time column). */
  firstUtc: z.string().nullable(),
  lastUtc: z.string().nullable(),
});

export const countryRow = z.object({
  cc: z.string().nullable(),
  name: z.string(),
  values: z.array(z.string().nullable()),
  count: z.number(),
  users: z.number(),
  failures: z.number(),
  /** Null when none of the rows has a time (e.g. a Log Analytics export without a time column). */
  firstUtc: z.string().nullable(),
  lastUtc: z.string().nullable(),
});

export const travelSegment = z.object({
  user: z.string(),
  fromRowId: z.number(),
  toRowId: z.number(),
  fromRequestId: z.string().nullable(),
  toRequestId: z.string().nullable(),
  fromTime: z.string(),
  toTime: z.string(),
  fromPlace: z.string().nullable(),
  toPlace: z.string().nullable(),
  fromLat: z.number(),
  fromLon: z.number(),
  toLat: z.number(),
  toLon: z.number(),
  fromIp: z.string().nullable(),
  toIp: z.string().nullable(),
  distanceKm: z.number(),
  marginKm: z.number(),
  hours: z.number(),
  speedKmh: z.number(),
  impossible: z.boolean(),
  precisions: z.tuple([precision, precision]),
});

const speedKmh = z.number().min(1).max(100_000).default(900);
const minDistanceKm = z.number().min(0).max(20_000).default(300);

export const geoMethods = {
  geoSummary: method(
    z.object({ filter: filterState, maxClusters: z.number().int().min(1).max(20_000).default(4000) }),
    z.object({
      clusters: z.array(mapCluster),
      countries: z.array(countryRow),
      total: z.number(),
      byPrecision: z.array(z.object({ precision, count: z.number() })),
      omittedClusters: z.number(),
      enrichment: z.object({ database: z.string().nullable(), addresses: z.number() }),
      attribution: z.array(z.string()),
    }),
    'Map clusters (one per resolved location, with counts, distinct users, failures, precision) and the per-country table under the filter.',
  ),
  geoClusterRows: method(
    z.object({ filter: filterState, key: z.string().max(200), limit: z.number().int().min(1).max(200_000).default(200_000) }),
    z.object({ rowIds: z.array(z.number()), total: z.number() }),
    'Row ids of one map cluster under the filter (to filter the grid and timeline to it).',
  ),
  geoTravel: method(
    z.object({
      filter: filterState,
      user: z.string().max(1000).optional(),
      speedKmh,
      minDistanceKm,
      all: z.boolean().default(false),
      limit: z.number().int().min(1).max(100_000).default(5000),
    }),
    z.object({ segments: z.array(travelSegment), speedKmh: z.number(), minDistanceKm: z.number() }),
    'Consecutive located sign-ins per user (or one user) as segments; impossible ones need more than the speed even after allowing for both points’ precision.',
  ),
  geoTravelUsers: method(
    z.object({ filter: filterState, speedKmh, minDistanceKm, search: z.string().max(500).optional(), limit: z.number().int().min(1).max(2000).default(300) }),
    z.array(z.object({ user: z.string(), signins: z.number(), impossible: z.number() })),
    'Users for the travel picker: those with impossible travel first, then the busiest.',
  ),
  geoEnrich: method(
    z.object({ path: z.string().min(1).max(4096) }),
    z.object({ candidates: z.number(), located: z.number(), invalid: z.number(), database: z.string() }),
    'Locate addresses the log did not place from a local MaxMind-format (.mmdb) file; the log’s own locations are never replaced.',
  ),
  geoClearEnrichment: method(z.object({}), z.object({ cleared: z.boolean() }), 'Remove .mmdb enrichment from the case.'),
};

export type MapClusterDto = z.infer<typeof mapCluster>;
export type CountryRowDto = z.infer<typeof countryRow>;
export type TravelSegmentDto = z.infer<typeof travelSegment>;
export type PrecisionDto = z.infer<typeof precision>;
