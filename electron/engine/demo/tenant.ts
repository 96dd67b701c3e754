import { Rng } from './random';
import {
  AGENTS,
  APPS,
  CITIES,
  COUNTRY_CENTROIDS,
  FAMILY_NAMES,
  GIVEN_NAMES,
  SPECIAL_NAMES,
  asciiFold,
  cityByName,
  networksIn,
  type Agent,
  type App,
  type City,
  type Network,
  type ServicePrincipal,
} from './catalog';
import type { Identity } from './event';

/** A fixed egress address many people share (office NAT or the corporate VPN). */
export interface Egress {
  ip: string;
  asn: number;
  city: City;
  kind: 'office' | 'vpn';
}

export interface Trip {
  /** Leaves home (no sign-ins while travelling). */
  depart: number;
  /** Arrives at the destination. */
  arrive: number;
  /** Leaves the destination. */
  leave: number;
  /** Back home. */
  back: number;
  city: City;
  hotelIp: string;
  hotelAsn: number;
}

export interface User {
  index: number;
  identity: Identity;
  home: City;
  /** Office egress addresses used on weekdays in office hours, or none for remote staff. */
  office: Egress[];
  homeIp: string;
  homeAsn: number;
  mobileNet: Network;
  agents: Agent[];
  deviceIds: string[];
  activity: number;
  /** UTC offset in hours, for the diurnal rhythm. */
  utcOffset: number;
  trips: Trip[];
  usesVpn: boolean;
  mobileCountryOnly: boolean;
  mistypeRate: number;
}

export interface Tenant {
  id: string;
  name: string;
  domain: string;
  users: User[];
  offices: Egress[];
  vpn: Egress[];
  servicePrincipals: ServicePrincipal[];
  managedIdentities: { name: string; appId: string; spId: string; type: string; resourceId: string; resource: App }[];
  spanStart: number;
  spanEnd: number;
}

export function ipIn(rng: Rng, network: Network): string {
  const prefix = rng.pick(network.prefixes);
  return `${prefix}.${rng.range(0, 255)}.${rng.range(1, 254)}`;
}

export function networkFor(rng: Rng, country: string, hosting = false): Network {
  const list = networksIn(country, hosting);
  if (list.length > 0) return rng.pick(list);
  // Countries without a listed network borrow a nearby hosting provider.
  return rng.pick(networksIn('NL', true));
}

function utcOffsetFor(c: City): number {
  return Math.round(c.lon / 15);
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const r = Math.PI / 180;
  const dLat = (b.lat - a.lat) * r;
  const dLon = (b.lon - a.lon) * r;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * r) * Math.cos(b.lat * r) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}
export { distanceKm };

/** Hours a trip of this length really takes door to door (flight at 750 km/h plus airports). */
function transitHours(a: City, b: City): number {
  return distanceKm(a, b) / 750 + 4;
}

export function buildTenant(seed: string, spanStart: number, spanEnd: number, userCount = 300): Tenant {
  const rng = Rng.derive(seed, 'tenant');
  const domain = 'contoso.com';
  const tenantId = rng.guid();
  const offices: Egress[] = [];
  const officeCities = ['Oslo', 'Bergen', 'Stockholm', 'London', 'Berlin', 'New York'];
  for (const name of officeCities) {
    const c = cityByName(name);
    const n = networkFor(rng, c.country);
    for (let i = 0; i < 2; i++) offices.push({ ip: ipIn(rng, n), asn: n.asn, city: c, kind: 'office' });
  }
  const vpn: Egress[] = [];
  for (const name of ['Oslo', 'New York']) {
    const c = cityByName(name);
    const n = networkFor(rng, c.country);
    vpn.push({ ip: ipIn(rng, n), asn: n.asn, city: c, kind: 'vpn' });
  }
  const remoteCities = ['Warsaw', 'Madrid', 'Paris', 'Amsterdam', 'Seattle', 'Trondheim', 'Stavanger', 'Gothenburg', 'Munich', 'Chicago'];
  const usedUpn = new Set<string>();
  const users: User[] = [];
  const span = spanEnd - spanStart;
  for (let i = 0; i < userCount; i++) {
    const special = SPECIAL_NAMES[i];
    const given = special ? special.given : rng.pick(GIVEN_NAMES);
    const family = special ? special.family : rng.pick(FAMILY_NAMES);
    let local = special ? special.upnLocal : `${asciiFold(given)}.${asciiFold(family)}`;
    for (let n = 2; usedUpn.has(local); n++) local = `${special ? special.upnLocal : `${asciiFold(given)}.${asciiFold(family)}`}${n}`;
    usedUpn.add(local);
    const guest = i % 97 === 96;
    const upn = guest ? `${local}@fabrikam.com` : `${local}@${domain}`;
    const identity: Identity = {
      id: rng.guid(),
      displayName: special?.display ?? `${given} ${family}`,
      upn,
      userType: guest ? 'Guest' : 'Member',
      homeTenantId: guest ? '72f988bf-86f1-41af-91ab-2d7cd011db47' : tenantId,
      homeTenantName: guest ? 'Fabrikam' : 'Contoso',
    };
    const remote = rng.chance(0.2);
    const home = remote ? cityByName(rng.pick(remoteCities)) : cityByName(officeCities[i % officeCities.length] as string);
    const office = remote ? [] : offices.filter((o) => o.city.name === home.name);
    const homeNet = networkFor(rng, home.country);
    const mobileNet = networkFor(rng, home.country);
    const laptop = rng.pick(AGENTS.slice(0, 6));
    const desktop = rng.pick(AGENTS.slice(8, 12));
    const phone = rng.pick(AGENTS.slice(6, 8).concat(AGENTS.slice(10, 11)));
    const agents = [laptop, desktop, phone];
    const deviceIds = agents.map(() => (rng.chance(0.8) ? rng.guid() : ''));
    const user: User = {
      index: i,
      identity,
      home,
      office,
      homeIp: ipIn(rng, homeNet),
      homeAsn: homeNet.asn,
      mobileNet,
      agents,
      deviceIds,
      activity: 0.3 + rng.exp(1),
      utcOffset: utcOffsetFor(home),
      trips: [],
      // The corporate VPN egresses in Oslo and New York; a third of those countries' staff use it.
      usesVpn: (home.country === 'NO' || home.country === 'US') && rng.chance(0.3),
      mobileCountryOnly: home.country in COUNTRY_CENTROIDS && rng.chance(0.25),
      mistypeRate: 0.01 + rng.next() * 0.03,
    };
    // One user in eight travels during the month, at plausible speed.
    if (rng.chance(0.125) && span > 6 * DAY) {
      const trips = rng.range(1, 2);
      let cursor = spanStart + rng.next() * (span / 3);
      for (let k = 0; k < trips; k++) {
        const domestic = rng.chance(0.4);
        const candidates = CITIES.filter((c) => c.name !== home.name && (domestic ? c.country === home.country : c.country !== home.country));
        const dest = candidates.length > 0 ? rng.pick(candidates) : rng.pick(CITIES.filter((c) => c.name !== home.name));
        const hours = transitHours(home, dest);
        const depart = Math.floor(cursor / HOUR) * HOUR;
        const arrive = depart + Math.ceil(hours) * HOUR;
        const leave = arrive + rng.range(2, 6) * DAY;
        const back = leave + Math.ceil(hours) * HOUR;
        if (back > spanEnd - DAY) break;
        const hotelNet = networkFor(rng, dest.country);
        user.trips.push({ depart, arrive, leave, back, city: dest, hotelIp: ipIn(rng, hotelNet), hotelAsn: hotelNet.asn });
        cursor = back + rng.range(2, 8) * DAY;
      }
    }
    users.push(user);
  }

  const az = (name: string) => cityByName(name);
  const msNet = networksIn('US', true).find((n) => n.asn === 8075) as Network;
  const spDefs: [string, App, ServicePrincipal['credential'], string][] = [
    ['Contoso Payroll Sync', APPS.outlook, 'certificate', 'Amsterdam'],
    ['Backup Vault Exporter', APPS.sharepoint, 'clientSecret', 'Dublin'],
    ['HR Connector', APPS.officeShell, 'clientSecret', 'Amsterdam'],
    ['Fleet Telemetry Ingest', APPS.azurePortal, 'clientAssertion', 'Ashburn'],
    ['SIEM Log Collector', APPS.officeShell, 'certificate', 'Dublin'],
    ['Invoice OCR Pipeline', APPS.sharepoint, 'clientSecret', 'Amsterdam'],
    ['Teams Meeting Recorder', APPS.teams, 'certificate', 'Ashburn'],
    ['ServiceNow Integration', APPS.officeShell, 'clientSecret', 'Ashburn'],
  ];
  const servicePrincipals: ServicePrincipal[] = spDefs.map(([name, resource, credential, cityName]) => ({
    name,
    appId: rng.guid(),
    spId: rng.guid(),
    resource,
    credential,
    city: az(cityName).name,
    network: ipIn(rng, msNet),
    credentialKeyId: rng.guid(),
    thumbprint: credential === 'certificate' ? rng.hex(40).toUpperCase() : '',
  }));
  const subscription = rng.guid();
  const managedIdentities = [
    ['func-invoice-prod', 'systemAssigned', APPS.sharepoint],
    ['vm-build-agent-01', 'userAssigned', APPS.azurePortal],
    ['logic-hr-onboarding', 'systemAssigned', APPS.officeShell],
  ].map(([name, type, resource]) => ({
    name: name as string,
    appId: rng.guid(),
    spId: rng.guid(),
    type: type as string,
    resourceId: `/subscriptions/${subscription}/resourceGroups/rg-${(name as string).split('-')[0]}/providers/Microsoft.Web/sites/${name as string}`,
    resource: resource as App,
  }));
  return { id: tenantId, name: 'Contoso', domain, users, offices, vpn, servicePrincipals, managedIdentities, spanStart, spanEnd };
}

/** Where a user is at time t: home, a trip city, or null while in transit. */
export function whereIs(user: User, t: number): { city: City; trip: Trip | null } | null {
  for (const trip of user.trips) {
    if (t >= trip.depart && t < trip.arrive) return null;
    if (t >= trip.arrive && t < trip.leave) return { city: trip.city, trip };
    if (t >= trip.leave && t < trip.back) return null;
  }
  return { city: user.home, trip: null };
}

export const TIME = { HOUR, DAY };
