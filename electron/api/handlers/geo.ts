import type { HandlersFor } from '../dispatch';
import { UserError } from '../dispatch';
import type { geoMethods } from '../methods/geo';
import { resolvedWhereSql } from '../../engine/query/textValues';
import { mapSummary, clusterRowIds } from '../../engine/geo/mapAggregate';
import { impossibleTravel } from '../../engine/geo/travel';
import { travelUsers } from '../../engine/geo/travelUsers';
import { clearEnrichment, enrichAddresses, enrichmentInfo, openMmdb } from '../../engine/geo/enrichment';
import { GAZETTEER_ATTRIBUTION } from '../../engine/geo/gazetteer';
import { BASEMAP_ATTRIBUTION } from '../../engine/geo/countries';
import { appendAudit } from '../../engine/custody/audit';

export const geoHandlers: HandlersFor<typeof geoMethods> = {
  async geoSummary({ filter, maxClusters }, { engine }) {
    const session = engine.requireCase();
    const w = await resolvedWhereSql(session.db, filter, { dataVersion: session.dataVersion });
    const summary = await mapSummary(session.db, { whereSql: w.sql, params: w.params, dataVersion: session.dataVersion, maxClusters });
    const enrichment = await enrichmentInfo(session.db);
    const attribution = [BASEMAP_ATTRIBUTION, GAZETTEER_ATTRIBUTION];
    if (enrichment.database) attribution.push(`Address locations: ${enrichment.database} (analyst-supplied database).`);
    return { ...summary, enrichment, attribution };
  },
  async geoClusterRows({ filter, key, limit }, { engine }) {
    const session = engine.requireCase();
    const w = await resolvedWhereSql(session.db, filter, { dataVersion: session.dataVersion });
    return clusterRowIds(session.db, key, { whereSql: w.sql, params: w.params, dataVersion: session.dataVersion, limit });
  },
  async geoTravel({ filter, user, speedKmh, minDistanceKm, all, limit }, { engine }) {
    const session = engine.requireCase();
    const w = await resolvedWhereSql(session.db, filter, { dataVersion: session.dataVersion });
    const segments = await impossibleTravel(session.db, {
      whereSql: w.sql,
      params: w.params,
      user,
      speedKmh,
      minDistanceKm,
      all,
      limit,
      dataVersion: session.dataVersion,
    });
    return { segments, speedKmh, minDistanceKm };
  },
  async geoTravelUsers({ filter, speedKmh, minDistanceKm, search, limit }, { engine }) {
    const session = engine.requireCase();
    const w = await resolvedWhereSql(session.db, filter, { dataVersion: session.dataVersion });
    return travelUsers(session.db, { whereSql: w.sql, params: w.params, speedKmh, minDistanceKm, search, limit, dataVersion: session.dataVersion });
  },
  async geoEnrich({ path }, { engine }) {
    const session = engine.requireCase();
    let opened;
    try {
      opened = await openMmdb(path);
    } catch (err) {
      throw new UserError(err instanceof Error ? err.message : String(err), 'bad_mmdb');
    }
    const result = await enrichAddresses(session.db, opened.locator, `${opened.name} (${opened.databaseType})`);
    session.changed();
    await appendAudit(session, { action: 'geo.enrich', detail: { file: path, databaseType: opened.databaseType, located: result.located, candidates: result.candidates }, tables: ['geo_ip_enrichment'] });
    return result;
  },
  async geoClearEnrichment(_args, { engine }) {
    const session = engine.requireCase();
    await clearEnrichment(session.db);
    session.changed();
    await appendAudit(session, { action: 'geo.enrich.clear', detail: {}, tables: ['geo_ip_enrichment'] });
    return { cleared: true };
  },
};
