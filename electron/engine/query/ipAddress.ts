import { isIPv4, isIPv6 } from 'node:net';
import type { SqlParam } from '../db/database';
import { UserError } from '../errors';

/**
 * IP addresses as numbers, so that `ip:` searches are exact, CIDR blocks match by range
 * and addresses sort numerically. The rows' text is read in SQL (no table to keep in
 * step with imports); what the user types is read here and reaches SQL only as
 * parameters.
 */

const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const V4 = `${OCTET}(\\.${OCTET}){3}`;
const HEX = '[0-9a-f]{1,4}';

/** `expr` bound to a name for the body: DuckDB has no LET, a one-element list transform is one. */
function bind(expr: string, name: string, body: string): string {
  return `list_transform([${expr}], lambda ${name}: ${body})[1]`;
}

function v4Number(e: string): string {
  return `list_reduce(list_transform(string_split(${e}, '.'), lambda o: TRY_CAST(o AS UHUGEINT)), lambda a, b: a * 256 + b)`;
}

/** Hex groups of an IPv6 text whose embedded IPv4 tail (if any) was rewritten as two groups. */
function v6Number(t: string): string {
  const groups = (e: string) => `CASE WHEN ${e} = '' THEN []::VARCHAR[] ELSE string_split(${e}, ':') END`;
  const body = bind(
    `string_split(${t}, '::')`,
    'p',
    bind(
      `[${groups('p[1]')}, CASE WHEN len(p) = 2 THEN ${groups('p[2]')} ELSE []::VARCHAR[] END]`,
      'g',
      `CASE WHEN (len(p) = 1 AND len(g[1]) = 8) OR (len(p) = 2 AND len(g[1]) + len(g[2]) <= 7)
        THEN list_reduce(
          list_transform(g[1] || list_transform(range(8 - len(g[1]) - len(g[2])), lambda z: '0') || g[2], lambda h: CAST(TRY_CAST(('0x' || h) AS UBIGINT) AS UHUGEINT)),
          lambda a, b: a * 65536 + b) END`,
    ),
  );
  const shape = `regexp_full_match(${t}, '(${HEX}(:${HEX})*)?(::)?(${HEX}(:${HEX})*)?') AND length(${t}) > 1 AND (NOT contains(${t}, ':::'))`;
  return `CASE WHEN contains(${t}, ':') AND ${shape} THEN ${body} END`;
}

/** The IPv6 text with a trailing dotted IPv4 written as two hex groups (::ffff:1.2.3.4 → ::ffff:102:304). */
function v6WithoutDotted(t: string): string {
  return bind(
    t,
    'x',
    `CASE WHEN regexp_full_match(x, '.*:${V4}') THEN
       ${bind(v4Number(`regexp_extract(x, '([^:]*)$', 1)`), 'n', `regexp_extract(x, '^(.*:)', 1) || printf('%x:%x', CAST(n // 65536 AS UBIGINT), CAST(n % 65536 AS UBIGINT))`)}
     ELSE x END`,
  );
}

/** ::ffff:0:0/96, where IPv6 writes an IPv4 address (::ffff:1.2.3.4): that address is the IPv4 one. */
const MAPPED_FIRST = 0xffffn << 32n;
const MAPPED_LAST = MAPPED_FIRST | 0xffffffffn;

/**
 * SQL for the numeric key of an address text: STRUCT(fam, num) with fam 4 or 6 and num
 * the address as an unsigned 128-bit integer; NULL for anything that is not an address
 * (ipaddress rules: no leading zeros in IPv4, one `::` at most, hex groups of 1-4). An
 * IPv4-mapped IPv6 address keys as the IPv4 address it carries, as parseIp reads it.
 */
export function ipKeySql(expr: string): string {
  const v6 = bind(
    v6WithoutDotted('t'),
    'u',
    bind(
      v6Number('u'),
      'n',
      `CASE WHEN n BETWEEN CAST('${MAPPED_FIRST}' AS UHUGEINT) AND CAST('${MAPPED_LAST}' AS UHUGEINT) THEN {'fam': 4, 'num': CAST(n - CAST('${MAPPED_FIRST}' AS UHUGEINT) AS UHUGEINT)}
        WHEN n IS NOT NULL THEN {'fam': 6, 'num': n} END`,
    ),
  );
  return bind(
    `lower(${expr})`,
    't',
    `CASE WHEN regexp_full_match(t, '${V4}') THEN {'fam': 4, 'num': ${v4Number('t')}}
      WHEN contains(t, ':') AND regexp_full_match(t, '[0-9a-f:.]+') THEN ${v6}
    END`,
  );
}

export interface IpValue {
  family: 4 | 6;
  value: bigint;
}

/** An address as written: an IPv4-mapped IPv6 address stays IPv6 here. */
function parseWritten(text: string): IpValue | null {
  const t = text.trim().toLowerCase();
  if (isIPv4(t)) return { family: 4, value: t.split('.').reduce((a, o) => a * 256n + BigInt(o), 0n) };
  if (!isIPv6(t) || t.includes('%')) return null;
  let s = t;
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (dotted) {
    const v = parseWritten(dotted[2]!);
    if (!v || v.family !== 4) return null;
    s = `${dotted[1]}${(v.value >> 16n).toString(16)}:${(v.value & 0xffffn).toString(16)}`;
  }
  const [head = '', tail] = s.split('::');
  const h = head ? head.split(':') : [];
  const tl = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - tl.length).fill('0'), ...tl];
  if (groups.length !== 8) return null;
  return { family: 6, value: groups.reduce((a, g) => a * 65536n + BigInt(`0x${g}`), 0n) };
}

/**
 * An address the user typed, as a number (node's own parser decides what is an address).
 * An IPv4-mapped IPv6 address is the IPv4 address it carries: a responder looking for
 * 1.2.3.4 means the sign-ins the logs wrote as ::ffff:1.2.3.4 too.
 */
export function parseIp(text: string): IpValue | null {
  const ip = parseWritten(text);
  if (ip?.family === 6 && ip.value >= MAPPED_FIRST && ip.value <= MAPPED_LAST) return { family: 4, value: ip.value - MAPPED_FIRST };
  return ip;
}

/** The canonical text of an address: dotted IPv4, or RFC 5952 IPv6 (lower case, longest zero run as ::). */
export function ipText(ip: IpValue): string {
  if (ip.family === 4) return [24n, 16n, 8n, 0n].map((s) => String((ip.value >> s) & 0xffn)).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => Number((ip.value >> BigInt(112 - 16 * i)) & 0xffffn));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** A block of addresses of one family; from and to as parseIp numbers them. */
export interface IpRange {
  family: 4 | 6;
  from: bigint;
  to: bigint;
  /** The canonical text: the address, or the network and its prefix length. */
  text: string;
}

/**
 * An address or CIDR block (`10.0.0.0/8`, `2001:db8::/32`); null when the text is neither.
 * A block inside ::ffff:0:0/96 is the IPv4 block it maps, so `::ffff:10.0.0.0/104` is 10.0.0.0/8.
 */
export function parseIpRange(text: string): IpRange | null {
  const t = text.trim();
  const slash = t.indexOf('/');
  if (slash < 0) {
    const ip = parseIp(t);
    return ip && { family: ip.family, from: ip.value, to: ip.value, text: ipText(ip) };
  }
  const base = parseWritten(t.slice(0, slash));
  const bitsText = t.slice(slash + 1);
  if (!base || !/^\d{1,3}$/.test(bitsText)) return null;
  let family = base.family;
  let width = family === 4 ? 32 : 128;
  let bits = Number(bitsText);
  if (bits > width) return null;
  const host = (1n << BigInt(width - bits)) - 1n;
  let from = base.value & ~host & ((1n << BigInt(width)) - 1n);
  let to = from | host;
  if (family === 6 && from >= MAPPED_FIRST && to <= MAPPED_LAST) {
    [family, width, bits, from, to] = [4, 32, bits - 96, from - MAPPED_FIRST, to - MAPPED_FIRST];
  }
  const network = ipText({ family, value: from });
  return { family, from, to, text: bits === width ? network : `${network}/${bits}` };
}

export type IpQuery = { kind: 'exact'; ip: IpValue } | { kind: 'range'; family: 4 | 6; from: bigint; to: bigint } | { kind: 'prefix'; text: string } | { kind: 'text'; text: string };

/** What an `ip:` term asks for: one address, a CIDR block, a text prefix (`10.1.*`), or literal text. */
export function parseIpQuery(term: string): IpQuery {
  const t = term.trim();
  if (t.endsWith('*')) return { kind: 'prefix', text: t.replace(/\*+$/, '') };
  if (t.includes('/')) {
    const range = parseIpRange(t);
    if (!range) throw new UserError(`Not an address block: ${t.slice(0, 100)} (write it like 10.0.0.0/8 or 2001:db8::/32)`, 'bad_cidr');
    return { kind: 'range', family: range.family, from: range.from, to: range.to };
  }
  const ip = parseIp(t);
  return ip ? { kind: 'exact', ip } : { kind: 'text', text: t };
}

function likeEscape(value: string): string {
  return value.replace(/[\\%_]/g, (m) => `\\${m}`);
}

/**
 * The row test of an `ip:` term on the column `col` (an allow-listed, quoted identifier).
 * Ranges and IPv6 addresses are decided on the column's distinct values, so the address
 * arithmetic runs once per address, not once per row.
 */
export function ipTermSql(col: string, table: string, term: string): { sql: string; params: SqlParam[] } {
  const q = parseIpQuery(term);
  const distinct = (test: string) => `${col} IN (SELECT v FROM (SELECT DISTINCT ${col} AS v FROM ${table} WHERE ${col} IS NOT NULL) WHERE ${test})`;
  switch (q.kind) {
    case 'prefix':
      return { sql: `${col} ILIKE ? ESCAPE '\\'`, params: [`${likeEscape(q.text)}%`] };
    case 'text':
      return { sql: `lower(${col}) = lower(?)`, params: [q.text] };
    case 'exact':
      // An IPv4 address has one dotted spelling, plus the IPv4-mapped IPv6 ones (which all
      // hold "ffff"); an IPv6 address has several (case, zeros, ::).
      if (q.ip.family === 4)
        return {
          sql: `(${col} = ? OR ${distinct(`contains(lower(v), 'ffff') AND ${bind(ipKeySql('v'), 'k', `k.fam = 4 AND k.num = CAST(? AS UHUGEINT)`)}`)})`,
          params: [ipText(q.ip), q.ip.value.toString()],
        };
      return {
        sql: distinct(`${bind(ipKeySql('v'), 'k', `k.fam = 6 AND k.num = CAST(? AS UHUGEINT)`)}`),
        params: [q.ip.value.toString()],
      };
    case 'range':
      return {
        sql: distinct(`${bind(ipKeySql('v'), 'k', `k.fam = ? AND k.num BETWEEN CAST(? AS UHUGEINT) AND CAST(? AS UHUGEINT)`)}`),
        params: [q.family, q.from.toString(), q.to.toString()],
      };
  }
}
