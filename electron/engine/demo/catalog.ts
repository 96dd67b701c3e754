// Reference values the generator draws from: real cities with coordinates, plausible
// address ranges and networks per country, Microsoft first-party applications with their
// real application ids, user agents, and AADSTS error codes with the texts Entra shows.

export interface City {
  name: string;
  state: string;
  country: string;
  lat: number;
  lon: number;
}

const city = (name: string, state: string, country: string, lat: number, lon: number): City => ({ name, state, country, lat, lon });

export const CITIES: readonly City[] = [
  city('Oslo', 'Oslo', 'NO', 59.9139, 10.7522),
  city('Bergen', 'Vestland', 'NO', 60.3913, 5.3221),
  city('Trondheim', 'Trøndelag', 'NO', 63.4305, 10.3951),
  city('Stavanger', 'Rogaland', 'NO', 58.97, 5.7331),
  city('Stockholm', 'Stockholm', 'SE', 59.3293, 18.0686),
  city('Gothenburg', 'Västra Götaland', 'SE', 57.7089, 11.9746),
  city('Copenhagen', 'Capital Region', 'DK', 55.6761, 12.5683),
  city('Helsinki', 'Uusimaa', 'FI', 60.1699, 24.9384),
  city('Berlin', 'Berlin', 'DE', 52.52, 13.405),
  city('Munich', 'Bavaria', 'DE', 48.1351, 11.582),
  city('Hamburg', 'Hamburg', 'DE', 53.5511, 9.9937),
  city('Frankfurt am Main', 'Hesse', 'DE', 50.1109, 8.6821),
  city('Paris', 'Île-de-France', 'FR', 48.8566, 2.3522),
  city('Lyon', 'Auvergne-Rhône-Alpes', 'FR', 45.764, 4.8357),
  city('Bordeaux', 'Nouvelle-Aquitaine', 'FR', 44.8378, -0.5792),
  city('London', 'England', 'GB', 51.5074, -0.1278),
  city('Manchester', 'England', 'GB', 53.4808, -2.2426),
  city('Edinburgh', 'Scotland', 'GB', 55.9533, -3.1883),
  city('Dublin', 'Leinster', 'IE', 53.3498, -6.2603),
  city('Amsterdam', 'North Holland', 'NL', 52.3676, 4.9041),
  city('Rotterdam', 'South Holland', 'NL', 51.9244, 4.4777),
  city('Brussels', 'Brussels Capital', 'BE', 50.8503, 4.3517),
  city('Madrid', 'Madrid', 'ES', 40.4168, -3.7038),
  city('Barcelona', 'Catalonia', 'ES', 41.3874, 2.1686),
  city('Lisbon', 'Lisbon', 'PT', 38.7223, -9.1393),
  city('Milan', 'Lombardy', 'IT', 45.4642, 9.19),
  city('Rome', 'Lazio', 'IT', 41.9028, 12.4964),
  city('Warsaw', 'Mazovia', 'PL', 52.2297, 21.0122),
  city('Kraków', 'Lesser Poland', 'PL', 50.0647, 19.945),
  city('Zurich', 'Zurich', 'CH', 47.3769, 8.5417),
  city('Vienna', 'Vienna', 'AT', 48.2082, 16.3738),
  city('Prague', 'Prague', 'CZ', 50.0755, 14.4378),
  city('New York', 'New York', 'US', 40.7128, -74.006),
  city('Seattle', 'Washington', 'US', 47.6062, -122.3321),
  city('Chicago', 'Illinois', 'US', 41.8781, -87.6298),
  city('San Francisco', 'California', 'US', 37.7749, -122.4194),
  city('Austin', 'Texas', 'US', 30.2672, -97.7431),
  city('Boston', 'Massachusetts', 'US', 42.3601, -71.0589),
  city('Ashburn', 'Virginia', 'US', 39.0438, -77.4874),
  city('Toronto', 'Ontario', 'CA', 43.6532, -79.3832),
  city('Vancouver', 'British Columbia', 'CA', 49.2827, -123.1207),
  city('São Paulo', 'São Paulo', 'BR', -23.5505, -46.6333),
  city('Mexico City', 'Mexico City', 'MX', 19.4326, -99.1332),
  city('Buenos Aires', 'Buenos Aires', 'AR', -34.6037, -58.3816),
  city('Sydney', 'New South Wales', 'AU', -33.8688, 151.2093),
  city('Melbourne', 'Victoria', 'AU', -37.8136, 144.9631),
  city('Auckland', 'Auckland', 'NZ', -36.8485, 174.7633),
  city('Tokyo', 'Tokyo', 'JP', 35.6762, 139.6503),
  city('Osaka', 'Osaka', 'JP', 34.6937, 135.5023),
  city('Seoul', 'Seoul', 'KR', 37.5665, 126.978),
  city('Singapore', '', 'SG', 1.3521, 103.8198),
  city('Hong Kong', '', 'HK', 22.3193, 114.1694),
  city('Shanghai', 'Shanghai', 'CN', 31.2304, 121.4737),
  city('Mumbai', 'Maharashtra', 'IN', 19.076, 72.8777),
  city('Bengaluru', 'Karnataka', 'IN', 12.9716, 77.5946),
  city('Dubai', 'Dubai', 'AE', 25.2048, 55.2708),
  city('Istanbul', 'Istanbul', 'TR', 41.0082, 28.9784),
  city('Johannesburg', 'Gauteng', 'ZA', -26.2041, 28.0473),
  city('Lagos', 'Lagos', 'NG', 6.5244, 3.3792),
  city('Cairo', 'Cairo', 'EG', 30.0444, 31.2357),
  city('Moscow', 'Moscow', 'RU', 55.7558, 37.6173),
  city('Saint Petersburg', 'Saint Petersburg', 'RU', 59.9311, 30.3609),
  city('Kyiv', 'Kyiv City', 'UA', 50.4501, 30.5234),
  city('Bucharest', 'Bucharest', 'RO', 44.4268, 26.1025),
  city('Ho Chi Minh City', 'Ho Chi Minh', 'VN', 10.8231, 106.6297),
];

export function cityByName(name: string): City {
  const found = CITIES.find((c) => c.name === name);
  if (!found) throw new Error(`Unknown demo city ${name}`);
  return found;
}

/** Where a geolocation service puts an address it only knows to the country. */
export const COUNTRY_CENTROIDS: Readonly<Record<string, { lat: number; lon: number }>> = {
  NO: { lat: 62, lon: 10 },
  SE: { lat: 62, lon: 15 },
  DE: { lat: 51, lon: 9 },
  GB: { lat: 54, lon: -2 },
  US: { lat: 37.751, lon: -97.822 },
  FR: { lat: 46, lon: 2 },
  NL: { lat: 52.3824, lon: 4.8995 },
  PL: { lat: 52, lon: 20 },
  ES: { lat: 40, lon: -4 },
};

/** An internet provider: its AS number and the /16 prefixes its customers get addresses from. */
export interface Network {
  asn: number;
  name: string;
  country: string;
  prefixes: readonly string[];
  hosting?: boolean;
}

const net = (asn: number, name: string, country: string, prefixes: string[], hosting = false): Network => ({ asn, name, country, prefixes, hosting });

export const NETWORKS: readonly Network[] = [
  net(2119, 'Telenor Norge', 'NO', ['84.208', '84.210', '79.160']),
  net(29695, 'Lyse Tele', 'NO', ['81.166', '185.76']),
  net(12929, 'Telia Norge', 'NO', ['46.9', '84.215']),
  net(3301, 'Telia Sverige', 'SE', ['81.224', '90.224']),
  net(3292, 'TDC', 'DK', ['80.62', '87.49']),
  net(719, 'Elisa', 'FI', ['84.248', '91.152']),
  net(3320, 'Deutsche Telekom', 'DE', ['79.192', '87.128', '93.192']),
  net(3209, 'Vodafone Deutschland', 'DE', ['88.64', '94.134']),
  net(3215, 'Orange France', 'FR', ['90.0', '86.192', '92.184']),
  net(2856, 'British Telecommunications', 'GB', ['81.128', '86.128', '109.144']),
  net(5089, 'Virgin Media', 'GB', ['82.0', '86.0']),
  net(6830, 'Liberty Global', 'IE', ['89.100', '84.203']),
  net(1136, 'KPN', 'NL', ['77.160', '84.80']),
  net(5432, 'Proximus', 'BE', ['81.240', '91.176']),
  net(3352, 'Telefonica de Espana', 'ES', ['80.24', '83.32']),
  net(3243, 'MEO', 'PT', ['85.240', '87.196']),
  net(3269, 'Telecom Italia', 'IT', ['79.0', '87.0']),
  net(5617, 'Orange Polska', 'PL', ['83.0', '89.64']),
  net(3303, 'Swisscom', 'CH', ['85.0', '178.194']),
  net(8447, 'A1 Telekom Austria', 'AT', ['62.46', '80.120']),
  net(5610, 'O2 Czech Republic', 'CZ', ['88.100', '90.176']),
  net(7922, 'Comcast Cable', 'US', ['73.0', '98.200', '24.4']),
  net(7018, 'AT&T Services', 'US', ['99.0', '107.200']),
  net(701, 'Verizon Business', 'US', ['71.160', '108.0']),
  net(812, 'Rogers Communications', 'CA', ['99.224', '174.112']),
  net(28573, 'Claro NXT', 'BR', ['177.0', '179.96']),
  net(8151, 'Uninet', 'MX', ['187.128', '189.128']),
  net(7303, 'Telecom Argentina', 'AR', ['181.0', '190.16']),
  net(1221, 'Telstra', 'AU', ['101.160', '120.144']),
  net(9500, 'One NZ', 'NZ', ['203.109', '125.238']),
  net(2516, 'KDDI', 'JP', ['106.128', '111.64']),
  net(4766, 'Korea Telecom', 'KR', ['121.128', '175.192']),
  net(9506, 'Singtel Fibre', 'SG', ['116.86', '220.255']),
  net(4760, 'HKT', 'HK', ['112.118', '218.102']),
  net(4812, 'China Telecom', 'CN', ['101.80', '180.160']),
  net(24560, 'Bharti Airtel', 'IN', ['122.160', '182.64']),
  net(5384, 'Emirates Telecommunications', 'AE', ['94.200', '86.96']),
  net(9121, 'Turk Telekom', 'TR', ['78.160', '88.224']),
  net(36937, 'Vodacom', 'ZA', ['41.0', '105.224']),
  net(29465, 'MTN Nigeria', 'NG', ['102.89', '105.112']),
  net(8452, 'Telecom Egypt', 'EG', ['41.32', '156.192']),
  net(12389, 'Rostelecom', 'RU', ['95.24', '178.64']),
  net(15895, 'Kyivstar', 'UA', ['46.211', '176.36']),
  net(8708, 'RCS & RDS', 'RO', ['86.120', '89.136']),
  net(7552, 'Viettel Group', 'VN', ['27.64', '116.96']),
  // Hosting and anonymising networks attackers rent.
  net(9009, 'M247 Europe', 'RO', ['185.220', '89.46'], true),
  net(14061, 'DigitalOcean', 'NL', ['188.166', '146.190'], true),
  net(24940, 'Hetzner Online', 'DE', ['95.216', '135.181'], true),
  net(16276, 'OVH', 'FR', ['51.75', '145.239'], true),
  net(49505, 'Selectel', 'RU', ['45.8', '188.124'], true),
  net(14618, 'Amazon AES', 'US', ['3.80', '54.160'], true),
  net(8075, 'Microsoft Corporation', 'US', ['20.42', '40.76', '52.167'], true),
  net(136907, 'Huawei Cloud', 'HK', ['119.8', '159.138'], true),
];

export function networksIn(country: string, hosting = false): Network[] {
  return NETWORKS.filter((n) => n.country === country && Boolean(n.hosting) === hosting);
}

export interface App {
  name: string;
  id: string;
  resource: string;
  resourceId: string;
}

const app = (name: string, id: string, resource: string, resourceId: string): App => ({ name, id, resource, resourceId });

const EXCHANGE = '00000002-0000-0ff1-ce00-000000000000';
const GRAPH = '00000003-0000-0000-c000-000000000000';
const SHAREPOINT = '00000003-0000-0ff1-ce00-000000000000';
const ARM = '797f4846-ba00-4fd7-ba43-dac1f8f63013';
const AAD_GRAPH = '00000002-0000-0000-c000-000000000000';

export const APPS = {
  officeHome: app('OfficeHome', '4765445b-32c6-49b0-83e6-1d93765276ca', 'Office 365 Exchange Online', EXCHANGE),
  outlook: app('Office 365 Exchange Online', EXCHANGE, 'Office 365 Exchange Online', EXCHANGE),
  outlookMobile: app('Outlook Mobile', '27922004-5251-4030-b22d-91ecd9a37ea4', 'Office 365 Exchange Online', EXCHANGE),
  teams: app('Microsoft Teams', '1fec8e78-bce4-4aaf-ab1b-5451cc387264', 'Microsoft Teams Services', 'cc15fd57-2c6c-4117-a88c-83b1d56b4bbe'),
  teamsWeb: app('Microsoft Teams Web Client', '5e3ce6c0-2b1f-4285-8d4b-75ee78787346', 'Microsoft Teams Services', 'cc15fd57-2c6c-4117-a88c-83b1d56b4bbe'),
  sharepoint: app('Office 365 SharePoint Online', SHAREPOINT, 'Office 365 SharePoint Online', SHAREPOINT),
  oneDrive: app('OneDrive SyncEngine', 'ab9b8c07-8f02-4f72-87fa-80105867a763', 'Office 365 SharePoint Online', SHAREPOINT),
  azurePortal: app('Azure Portal', 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c', 'Windows Azure Service Management API', ARM),
  officeShell: app('Office365 Shell WCSS-Client', '89bee1f7-5e6e-4d8a-9f3d-ecd601259da7', 'Microsoft Graph', GRAPH),
  broker: app('Microsoft Authentication Broker', '29d9ed98-a469-4536-ade2-f981bc1d605e', 'Microsoft Graph', GRAPH),
  azureCli: app('Microsoft Azure CLI', '04b07795-8ddb-461a-bbee-02f9e1bf7b46', 'Windows Azure Service Management API', ARM),
  aadPowerShell: app('Azure Active Directory PowerShell', '1b730954-1685-4b74-9bfa-17cc3a95dd07', 'Windows Azure Active Directory', AAD_GRAPH),
  graphExplorer: app('Graph Explorer', 'de8bc8b5-d9f9-48b1-a8ad-b748da725064', 'Microsoft Graph', GRAPH),
  intune: app('Microsoft Intune Company Portal', '9ba1a5c7-f17a-4de9-a1f1-6178c8d51223', 'Microsoft Intune', '0000000a-0000-0000-c000-000000000000'),
  edge: app('Microsoft Edge', 'ecd6b820-32c2-49b6-98a6-444530e5a77a', 'Microsoft Graph', GRAPH),
  windowsSignIn: app('Windows Sign In', '38aa3b87-a06d-4817-b275-7a316988d93b', 'Windows Azure Active Directory', AAD_GRAPH),
} as const;

export const INTERACTIVE_APPS: readonly (readonly [App, number])[] = [
  [APPS.officeHome, 20],
  [APPS.outlook, 14],
  [APPS.teams, 16],
  [APPS.teamsWeb, 6],
  [APPS.sharepoint, 10],
  [APPS.azurePortal, 4],
  [APPS.officeShell, 6],
  [APPS.outlookMobile, 6],
  [APPS.windowsSignIn, 6],
  [APPS.edge, 4],
];

export const NONINTERACTIVE_APPS: readonly (readonly [App, number])[] = [
  [APPS.teams, 22],
  [APPS.outlook, 18],
  [APPS.oneDrive, 14],
  [APPS.outlookMobile, 10],
  [APPS.officeShell, 8],
  [APPS.broker, 8],
  [APPS.intune, 6],
  [APPS.edge, 6],
  [APPS.sharepoint, 8],
];

export interface ServicePrincipal {
  name: string;
  appId: string;
  spId: string;
  resource: App;
  credential: 'clientSecret' | 'certificate' | 'clientAssertion';
  city: string;
  network: string;
  credentialKeyId: string;
  thumbprint: string;
}

export interface Agent {
  ua: string;
  os: string;
  browser: string;
  clientApp: 'Browser' | 'Mobile Apps and Desktop clients';
}

const agent = (ua: string, os: string, browser: string, clientApp: Agent['clientApp'] = 'Browser'): Agent => ({ ua, os, browser, clientApp });

export const AGENTS: readonly Agent[] = [
  agent('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36 Edg/140.0.0.0', 'Windows 10', 'Edge 140.0.0'),
  agent('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36', 'Windows 10', 'Chrome 141.0.0'),
  agent('Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:143.0) Gecko/20100101 Firefox/143.0', 'Windows 10', 'Firefox 143.0'),
  agent('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.0 Safari/605.1.15', 'MacOs', 'Safari 26.0'),
  agent('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36', 'MacOs', 'Chrome 141.0.0'),
  agent('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36', 'Linux', 'Chrome 140.0.0'),
  agent('Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.6 Mobile/15E148 Safari/604.1', 'Ios', 'Mobile Safari 18.6'),
  agent('Mozilla/5.0 (Linux; Android 15; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Mobile Safari/537.36', 'Android', 'Chrome Mobile 140.0.0'),
  agent('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Teams/25255.703.3902.8010', 'Windows 10', 'Rich Client 25255.703.3902.8010', 'Mobile Apps and Desktop clients'),
  agent('Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.19127; Pro)', 'Windows 10', 'Rich Client 16.0.19127', 'Mobile Apps and Desktop clients'),
  agent('Outlook-iOS/2.0', 'Ios', 'Rich Client 4.2538.0', 'Mobile Apps and Desktop clients'),
  agent('Windows-AzureAD-Authentication-Provider/1.0', 'Windows 10', '', 'Mobile Apps and Desktop clients'),
];

/** User agents an attacker's tooling leaves behind. */
export const ATTACK_AGENTS = {
  bareMozilla: 'Mozilla/5.0',
  python: 'python-requests/2.32.3',
  go: 'Go-http-client/1.1',
  curl: 'curl/8.5.0',
  okhttp: 'okhttp/4.12.0',
  hostileFormula: '=HYPERLINK("http://x","click")',
  hostileHtml: '<img src=x onerror=alert(1)>',
  hostileMultiline: 'BadAgent/1.0 "quoted", with commas,\nand a second line',
} as const;

/** AADSTS codes with the failure reason text the portal shows. */
export const ERRORS = {
  badPassword: { code: 50126, reason: 'Error validating credentials due to invalid username or password.' },
  locked: { code: 50053, reason: 'The account is locked, you\'ve tried to sign in too many times with an incorrect user ID or password.' },
  userNotFound: { code: 50034, reason: 'The user account does not exist in the directory. To sign into this application, the account must be added to the directory.' },
  mfaRequired: { code: 50074, reason: 'Strong Authentication is required.' },
  mfaRequiredInterrupt: { code: 50076, reason: 'Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access \'{resource}\'.' },
  mfaDenied: { code: 500121, reason: 'Authentication failed during strong authentication request.' },
  kmsi: { code: 50140, reason: 'This error occurred due to \'Keep me signed in\' interrupt when the user was signing in.' },
  caBlock: { code: 53003, reason: 'Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.' },
  disabled: { code: 50057, reason: 'The user account is disabled.' },
  interactionRequired: { code: 16000, reason: 'Either multiple user identities are available for the current request or selected account is not supported for the scenario.' },
  sessionExpired: { code: 70046, reason: 'The session has expired or is invalid due to re-authentication checks by Conditional Access.' },
  consentRequired: { code: 90095, reason: 'Admin consent is required for the permissions requested by this application.' },
  ssoNotEnough: { code: 50058, reason: 'Session information is not sufficient for single-sign-on.' },
  badSecret: { code: 7000215, reason: 'Invalid client secret is provided.' },
  externalNotInTenant: { code: 50020, reason: 'User account from identity provider does not exist in tenant and cannot access the application.' },
} as const;

export type ErrorInfo = { code: number; reason: string };

const GIVEN = [
  'Emma', 'Nora', 'Olivia', 'Sofie', 'Ingrid', 'Maja', 'Liam', 'Noah', 'Jakob', 'Emil', 'Lucas', 'Oskar', 'Henrik', 'Kari',
  'Anna', 'Elena', 'Sarah', 'Laura', 'Julia', 'Mia', 'Ben', 'Finn', 'Paul', 'Leon', 'Hugo', 'Louis', 'Chloé', 'Léa',
  'James', 'Oliver', 'Amelia', 'Isla', 'Harry', 'Jack', 'Grace', 'Aoife', 'Seán', 'Daan', 'Sanne', 'Lotte', 'Pablo',
  'Lucía', 'Marta', 'Piotr', 'Zofia', 'Michael', 'Jessica', 'David', 'Ashley', 'Daniel', 'Priya', 'Arjun', 'Mei', 'Yuki',
  'Hiroshi', 'Min-jun', 'Siobhán', 'Björn', 'Åsa', 'Jörg', 'Ørjan', 'Thomas', 'Marie', 'Camille', 'Matteo', 'Giulia',
];
const FAMILY = [
  'Hansen', 'Johansen', 'Olsen', 'Larsen', 'Andersen', 'Pedersen', 'Nilsen', 'Berg', 'Haugen', 'Lindqvist', 'Svensson',
  'Johansson', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Becker', 'Martin', 'Bernard', 'Dubois', 'Smith', 'Jones',
  'Taylor', 'Brown', 'Murphy', 'Kelly', 'de Vries', 'Jansen', 'García', 'Fernández', 'Nowak', 'Wiśniewska', 'Johnson',
  'Williams', 'Miller', 'Davis', 'Sharma', 'Patel', 'Tanaka', 'Kim', 'Rossi', 'Bianchi', 'Ødegård', 'Sæther', 'Strøm',
];
/** Names that must survive every export and import intact. */
export const SPECIAL_NAMES: readonly { given: string; family: string; upnLocal: string; display?: string }[] = [
  { given: 'Zoë', family: 'Müller', upnLocal: 'zoe.muller' },
  { given: 'José', family: 'Núñez', upnLocal: 'jose.nunez' },
  { given: 'Łukasz', family: 'Kowalski', upnLocal: 'lukasz.kowalski' },
  { given: '健', family: '渡辺', upnLocal: 'ken.watanabe', display: '渡辺 健' },
  { given: 'Bjørn', family: 'Ødegaard', upnLocal: 'bjorn.odegaard' },
  { given: 'Siobhán', family: "O'Connor", upnLocal: 'siobhan.oconnor' },
];
export const GIVEN_NAMES: readonly string[] = GIVEN;
export const FAMILY_NAMES: readonly string[] = FAMILY;

/** Fold a name to the ASCII local part of a UPN the way admins usually do. */
export function asciiFold(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ø/g, 'o')
    .replace(/Ø/g, 'O')
    .replace(/æ/g, 'ae')
    .replace(/å/g, 'a')
    .replace(/ł/g, 'l')
    .replace(/Ł/g, 'L')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}
