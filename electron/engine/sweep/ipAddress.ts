// IP addresses as 128-bit numbers, so that an address, a CIDR range and an IPv4 address
// written inside IPv6 (::ffff:1.2.3.4) compare as addresses, not as text. IPv4 lives in
// the IPv4-mapped block ::ffff:0:0/96, as the sign-in logs themselves sometimes write it.

export interface IpRange {
  version: 4 | 6;
  /** First and last address of the range, as 128-bit numbers. */
  first: bigint;
  last: bigint;
  /** The canonical text: the address, or the network and its prefix length. */
  text: string;
}

const V4_MAPPED = 0xffffn << 32n;
const ALL_128 = (1n << 128n) - 1n;

function parseV4(text: string): bigint | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return null;
  let n = 0n;
  for (const part of m.slice(1)) {
    if (part.length > 1 && part.startsWith('0')) return null; // leading zeros read as octal by some tools: ambiguous
    const v = Number(part);
    if (v > 255) return null;
    n = (n << 8n) | BigInt(v);
  }
  return n;
}

function parseV6(text: string): bigint | null {
  let s = text;
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  if (!/^[0-9a-fA-F:.]+$/.test(s) || s.length < 2) return null;
  let tailV4: bigint | null = null;
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    tailV4 = parseV4(s.slice(lastColon + 1));
    if (tailV4 === null) return null;
    s = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const groups = (h: string) => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  let n = 0n;
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
    n = (n << 16n) | BigInt(parseInt(g, 16));
  }
  if (tailV4 !== null) n = (n & ~0xffffffffn) | tailV4;
  return n;
}

/** An address as a 128-bit number (IPv4 mapped), or null when the text is no address. */
export function ipNumber(text: string): bigint | null {
  const t = text.trim().replace(/^\[|\]$/g, '');
  const v4 = parseV4(t);
  if (v4 !== null) return V4_MAPPED | v4;
  return t.includes(':') ? parseV6(t) : null;
}

function v4Text(n: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 0xffn)).join('.');
}

function v6Text(n: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((n >> BigInt(112 - 16 * i)) & 0xffffn));
  // The longest run of two or more zero groups becomes '::' (RFC 5952).
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

/** 4 for an IPv4 (or IPv4-mapped) address number, else 6: a range matches only its own version. */
export function ipVersion(n: bigint): 4 | 6 {
  return n >> 32n === 0xffffn ? 4 : 6;
}

/** Whether an address number falls in a range of the same IP version. */
export function inRange(n: bigint, r: IpRange): boolean {
  return ipVersion(n) === r.version && n >= r.first && n <= r.last;
}

/** The canonical text of an address number: dotted IPv4 for mapped addresses, RFC 5952 IPv6 otherwise. */
export function ipText(n: bigint): string {
  return ipVersion(n) === 4 ? v4Text(n & 0xffffffffn) : v6Text(n);
}

/** An address (`10.0.0.1`, `2001:db8::1`) or a CIDR range (`10.0.0.0/8`, `2001:db8::/32`); null when neither. */
export function parseIpRange(text: string): IpRange | null {
  const t = text.trim();
  const slash = t.indexOf('/');
  const addr = slash < 0 ? t : t.slice(0, slash);
  const n = ipNumber(addr);
  if (n === null) return null;
  const isV4 = parseV4(addr.replace(/^\[|\]$/g, '')) !== null;
  const width = isV4 ? 32 : 128;
  let prefix = width;
  if (slash >= 0) {
    const p = t.slice(slash + 1);
    if (!/^\d{1,3}$/.test(p) || Number(p) > width) return null;
    prefix = Number(p);
  }
  const hostBits = BigInt(width - prefix);
  const hostMask = (1n << hostBits) - 1n;
  const first = n & ~hostMask & ALL_128;
  const last = first | hostMask;
  const base = isV4 ? v4Text(first & 0xffffffffn) : v6Text(first);
  return { version: isV4 ? 4 : 6, first, last, text: prefix === width ? base : `${base}/${prefix}` };
}
