import type { CaseSession } from '../case/caseSession';
import { toAlpha2 } from '../geo/countries';
import { ipKeySql } from '../query/ipAddress';
import type { Indicator, IndicatorType } from './indicators';

// Set-based matching of an indicator list: the list goes into temp tables, one per kind of
// comparison, and each kind is one join against the sign-ins, whatever the list's length.
// Every statement here yields each (indicator line, row) pair at most once, so the sweep
// can union them without a DISTINCT over all hits.

/** Identifier columns a bare GUID is compared with. */
export const GUID_COLUMNS = ['user_id', 'app_id', 'resource_id', 'request_id', 'correlation_id', 'session_id', 'service_principal_id', 'device_id'] as const;

/** The dotted IPv4 form ipKeySql accepts (no leading zeros, octets up to 255). */
const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const V4 = `${OCTET}(\\.${OCTET}){3}`;

/** A dotted IPv4 text (already checked against V4) as its number, without ipKeySql's list lambdas. */
function v4NumberSql(col: string): string {
  return [1, 2, 3, 4].map((i) => `(split_part(${col}, '.', ${i})::UBIGINT << ${32 - 8 * i})`).join(' | ');
}

function countryValue(x: Indicator): string {
  return x.value.length === 2 ? x.value.toUpperCase() : (toAlpha2(x.value) ?? x.value);
}

/**
 * The list into two temp tables: sweep_ind_ip (addresses and CIDR blocks as numeric
 * [lo, hi] ranges per family, `exact` for a single address) and sweep_ind_text (every
 * other kind, by type, with the value as it is compared). One JSON parameter each.
 */
export async function loadIndicators(session: CaseSession, indicators: Indicator[]): Promise<void> {
  const ips = indicators
    .filter((x) => x.range)
    .map((x) => ({ line: x.line, v: x.range!.family, lo: x.range!.from.toString(), hi: x.range!.to.toString(), exact: x.type === 'ip' }));
  const texts = indicators
    .filter((x) => !x.range)
    .map((x) => ({ line: x.line, type: x.type, value: x.type === 'country' ? countryValue(x) : x.value }));
  await session.db.run(
    `CREATE OR REPLACE TEMP TABLE sweep_ind_ip AS
     SELECT j.line::INTEGER AS line, j.v::TINYINT AS v, j.lo::UHUGEINT AS lo, j.hi::UHUGEINT AS hi, j.exact::BOOLEAN AS exact
     FROM (SELECT unnest(from_json(?::JSON, '[{"line":"INTEGER","v":"TINYINT","lo":"VARCHAR","hi":"VARCHAR","exact":"BOOLEAN"}]')) AS j)`,
    [JSON.stringify(ips)],
  );
  await session.db.run(
    `CREATE OR REPLACE TEMP TABLE sweep_ind_text AS
     SELECT j.line::INTEGER AS line, j.type::VARCHAR AS type, j.value::VARCHAR AS value
     FROM (SELECT unnest(from_json(?::JSON, '[{"line":"INTEGER","type":"VARCHAR","value":"VARCHAR"}]')) AS j)`,
    [JSON.stringify(texts)],
  );
}

/** Indicators of one type, as a subquery (so the join's build side is only them). */
function ofType(type: IndicatorType): string {
  return `(SELECT line, value FROM sweep_ind_text WHERE type = '${type}')`;
}

/**
 * Address matching. Each distinct address of the case is read once into a number (IPv4 as
 * UBIGINT by a plain split; anything else by ipKeySql, the `ip:` search's own reading, so a
 * sweep and a search agree). Single addresses then join by equality, blocks by a range join
 * per family, and the rows follow by an equality join on the address text.
 */
async function addressPart(session: CaseSession): Promise<string> {
  await session.db.run(
    `CREATE OR REPLACE TEMP TABLE sweep_ip_text AS SELECT DISTINCT ip_address AS ip, regexp_full_match(ip_address, '${V4}') AS dotted FROM signins WHERE ip_address IS NOT NULL`,
  );
  await session.db.run(`CREATE OR REPLACE TEMP TABLE sweep_ip4 AS SELECT ip, ${v4NumberSql('ip')} AS n FROM sweep_ip_text WHERE dotted`);
  // IPv6 texts, and IPv4-mapped ones (those key as the IPv4 address they carry).
  await session.db.run(
    `CREATE OR REPLACE TEMP TABLE sweep_ip_other AS SELECT ip, k.fam::TINYINT AS v, k.num AS n FROM (SELECT ip, ${ipKeySql('ip')} AS k FROM sweep_ip_text WHERE NOT dotted) WHERE k IS NOT NULL`,
  );
  const keys4 = `(SELECT ip, n FROM sweep_ip4 UNION ALL SELECT ip, n::UBIGINT FROM sweep_ip_other WHERE v = 4)`;
  const keys6 = `(SELECT ip, n FROM sweep_ip_other WHERE v = 6)`;
  const ind = (v: 4 | 6, exact: boolean) =>
    `(SELECT line, lo${v === 4 ? '::UBIGINT' : ''} AS lo, hi${v === 4 ? '::UBIGINT' : ''} AS hi FROM sweep_ind_ip WHERE v = ${v} AND ${exact ? '' : 'NOT '}exact)`;
  const pairs = ([4, 6] as const).flatMap((v) => {
    const keys = v === 4 ? keys4 : keys6;
    return [
      `SELECT i.line, k.ip FROM ${ind(v, true)} i JOIN ${keys} k ON k.n = i.lo`,
      `SELECT i.line, k.ip FROM ${ind(v, false)} i JOIN ${keys} k ON k.n >= i.lo AND k.n <= i.hi`,
    ];
  });
  return `SELECT m.line, s.row_id FROM (${pairs.join(' UNION ALL ')}) m JOIN signins s ON s.ip_address = m.ip`;
}

/** One statement per kind present in the list, each yielding (line, row_id) pairs once. */
export async function matchParts(session: CaseSession, present: Set<IndicatorType>): Promise<string[]> {
  const parts: string[] = [];
  if (present.has('ip') || present.has('cidr')) parts.push(await addressPart(session));
  if (present.has('upn')) parts.push(`SELECT i.line, s.row_id FROM ${ofType('upn')} i JOIN signins s ON lower(s.user_principal_name) = i.value`);
  if (present.has('guid')) {
    // One equality join per id column (a hash join each, where an OR would compare every
    // pair); a GUID found in two columns of a row is one hit.
    const perColumn = GUID_COLUMNS.map((c) => `SELECT i.line, s.row_id FROM ${ofType('guid')} i JOIN signins s ON lower(s.${c}) = i.value`);
    parts.push(`SELECT DISTINCT line, row_id FROM (${perColumn.join(' UNION ALL ')})`);
  }
  if (present.has('user_agent')) {
    // A substring test cannot use a hash join: it runs on each distinct user agent (far fewer
    // than rows), and the rows follow by an equality join.
    parts.push(`SELECT m.line, s.row_id FROM (
        SELECT i.line, u.ua FROM (SELECT line, lower(value) AS needle FROM sweep_ind_text WHERE type = 'user_agent') i
        JOIN (SELECT DISTINCT user_agent AS ua, lower(user_agent) AS hay FROM signins WHERE user_agent IS NOT NULL) u ON contains(u.hay, i.needle)
      ) m JOIN signins s ON s.user_agent = m.ua`);
  }
  if (present.has('app')) {
    parts.push(`SELECT DISTINCT line, row_id FROM (
        SELECT i.line, s.row_id FROM ${ofType('app')} i JOIN signins s ON lower(s.app_id) = i.value
        UNION ALL SELECT i.line, s.row_id FROM ${ofType('app')} i JOIN signins s ON lower(s.app_display_name) = i.value)`);
  }
  if (present.has('asn')) parts.push(`SELECT i.line, s.row_id FROM ${ofType('asn')} i JOIN signins s ON s.autonomous_system_number = CAST(i.value AS BIGINT)`);
  if (present.has('country')) parts.push(`SELECT i.line, s.row_id FROM ${ofType('country')} i JOIN signins s ON upper(trim(s.country)) = i.value`);
  return parts;
}

/** The temp tables a sweep leaves behind, dropped once its hits are kept. */
export const MATCH_TEMP_TABLES = ['sweep_ind_ip', 'sweep_ind_text', 'sweep_ip_text', 'sweep_ip4', 'sweep_ip_other', 'sweep_match'];
