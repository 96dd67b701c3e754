import { parseIpRange, type IpRange } from '../query/ipAddress';

// An indicator list as threat intelligence hands it over: one indicator a line, `#` starts a
// comment. The type is read from the text; a prefix (`ua:`, `app:`, `asn:`, `country:`)
// says what a bare word could not.

export const INDICATOR_TYPES = ['ip', 'cidr', 'upn', 'guid', 'user_agent', 'app', 'asn', 'country'] as const;
export type IndicatorType = (typeof INDICATOR_TYPES)[number];

export interface Indicator {
  /** 1-based line in the list. */
  line: number;
  /** The indicator as written (comment and spaces removed). */
  text: string;
  type: IndicatorType;
  /** What is compared: canonical address/range, lower-cased identifier, the substring, the number. */
  value: string;
  range?: IpRange;
}

export interface IndicatorProblem {
  line: number;
  text: string;
  reason: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UPN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function withoutComment(line: string): string {
  // A '#' starts a comment at the start of a line or after white space; inside a token
  // (a user agent with '#') it is part of the indicator.
  const m = /(^|\s)#/.exec(line);
  return (m ? line.slice(0, m.index) : line).trim();
}

export function parseIndicators(text: string): { indicators: Indicator[]; problems: IndicatorProblem[] } {
  const indicators: Indicator[] = [];
  const problems: IndicatorProblem[] = [];
  const seen = new Set<string>();
  text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/).forEach((raw, i) => {
    const line = i + 1;
    const t = withoutComment(raw);
    if (!t) return;
    const parsed = parseOne(t);
    if ('reason' in parsed) {
      problems.push({ line, text: t, reason: parsed.reason });
      return;
    }
    const key = `${parsed.type}|${parsed.value}`;
    if (seen.has(key)) return;
    seen.add(key);
    indicators.push({ line, text: t, ...parsed });
  });
  return { indicators, problems };
}

function parseOne(t: string): Omit<Indicator, 'line' | 'text'> | { reason: string } {
  const prefixed = /^(ua|app|asn|country|ip|upn|guid):(.*)$/i.exec(t);
  if (prefixed) {
    const kind = prefixed[1]!.toLowerCase();
    const v = prefixed[2]!.trim();
    if (!v) return { reason: `"${kind}:" needs a value after it` };
    if (kind === 'ua') return { type: 'user_agent', value: v };
    if (kind === 'app') return { type: 'app', value: v.toLowerCase() };
    if (kind === 'asn') {
      const n = /^(?:AS)?(\d{1,10})$/i.exec(v);
      if (!n || Number(n[1]) > 4294967295) return { reason: `"${v}" is not an autonomous system number (e.g. asn:8075 or asn:AS8075)` };
      return { type: 'asn', value: String(Number(n[1])) };
    }
    if (kind === 'country') {
      if (!/^[\p{L} .'-]{2,60}$/u.test(v)) return { reason: `"${v}" is not a country code or name` };
      return { type: 'country', value: v.toLowerCase() };
    }
    return parseOne(v);
  }
  const range = parseIpRange(t);
  if (range) return { type: t.includes('/') ? 'cidr' : 'ip', value: range.text, range };
  if (t.includes('/') && /^[0-9a-fA-F:.]+\/\d+$/.test(t)) return { reason: `"${t}" is not a valid CIDR range (the prefix is longer than the address)` };
  if (GUID.test(t)) return { type: 'guid', value: t.toLowerCase() };
  if (UPN.test(t)) return { type: 'upn', value: t.toLowerCase() };
  return { reason: `"${t}" is not an IP address, CIDR range, UPN, GUID, or a prefixed indicator (ua:, app:, asn:, country:)` };
}
