// Tables the geo capability keeps in a case. Both are caches derived from the evidence
// (never the evidence itself) and can be rebuilt at any time.
export const GEO_TABLES: string[] = [
  // One row per distinct (city, state, country) spelling found in `signins`, resolved
  // against the offline gazetteer or the country centroids.
  `CREATE TABLE IF NOT EXISTS geo_places (
    city VARCHAR,
    state VARCHAR,
    country VARCHAR,
    cc VARCHAR,
    place VARCHAR,
    lat DOUBLE,
    lon DOUBLE,
    precision VARCHAR NOT NULL,
    radius_km DOUBLE
  )`,
  // Locations looked up in an analyst-supplied .mmdb for addresses the log did not place.
  `CREATE TABLE IF NOT EXISTS geo_ip_enrichment (
    ip VARCHAR PRIMARY KEY,
    cc VARCHAR,
    place VARCHAR,
    lat DOUBLE NOT NULL,
    lon DOUBLE NOT NULL,
    radius_km DOUBLE NOT NULL,
    database VARCHAR NOT NULL
  )`,
];
