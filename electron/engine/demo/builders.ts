import { Rng, uniqueTokenIdentifier } from './random';
import { CITIES, COUNTRY_CENTROIDS, ERRORS, type Agent, type App, type City, type ErrorInfo } from './catalog';
import type { AuthStep, CaPolicy, GeoPoint, LogType, SignInEvent } from './event';
import type { Tenant, User } from './tenant';
import { TIME } from './tenant';

export function cityPoint(c: City): GeoPoint {
  return { city: c.name, state: c.state, country: c.country, lat: c.lat, lon: c.lon, precision: 'city' };
}

export function countryPoint(country: string): GeoPoint {
  const c = COUNTRY_CENTROIDS[country];
  if (!c) throw new Error(`No centroid for ${country}`);
  return { city: '', state: '', country, lat: c.lat, lon: c.lon, precision: 'country' };
}

/** A stable GUID for a value that must not change from row to row (a session, say). */
const stableCache = new Map<string, string>();
export function stableGuid(...parts: (string | number)[]): string {
  const key = parts.join('|');
  let g = stableCache.get(key);
  if (g === undefined) {
    g = new Rng(key).guid();
    // Sessions and policies repeat endlessly; the cache stays small (users x devices x weeks).
    if (stableCache.size > 200_000) stableCache.clear();
    stableCache.set(key, g);
  }
  return g;
}

/** The session a user's device holds in a given week (and place, so a trip starts a new one). */
export function sessionFor(tenant: Tenant, user: User, device: number, t: number, placeKey: string): string {
  return stableGuid(tenant.id, 'session', user.index, device, Math.floor((t - tenant.spanStart) / (7 * TIME.DAY)), placeKey);
}

const MFA_POLICY = (tenant: Tenant): CaPolicy => ({
  id: stableGuid(tenant.id, 'ca', 1),
  displayName: 'Require MFA for all users',
  grant: ['Mfa'],
  result: 'success',
});
const BLOCK_LEGACY = (tenant: Tenant, result: CaPolicy['result']): CaPolicy => ({
  id: stableGuid(tenant.id, 'ca', 2),
  displayName: 'Block legacy authentication',
  grant: ['Block'],
  result,
});
const COMPLIANT_DEVICE = (tenant: Tenant, result: CaPolicy['result']): CaPolicy => ({
  id: stableGuid(tenant.id, 'ca', 3),
  displayName: 'Require compliant device for admin portals',
  grant: ['RequireCompliantDevice'],
  result,
});

const policyCache = new Map<string, CaPolicy[]>();
export function caPolicies(tenant: Tenant, kind: 'mfa' | 'none' | 'blocked' | 'legacyBlocked'): CaPolicy[] {
  const key = `${tenant.id}|${kind}`;
  let list = policyCache.get(key);
  if (!list) policyCache.set(key, (list = buildPolicies(tenant, kind)));
  return list;
}

function buildPolicies(tenant: Tenant, kind: 'mfa' | 'none' | 'blocked' | 'legacyBlocked'): CaPolicy[] {
  switch (kind) {
    case 'mfa':
      return [MFA_POLICY(tenant), BLOCK_LEGACY(tenant, 'notApplied'), COMPLIANT_DEVICE(tenant, 'notApplied')];
    case 'blocked':
      return [MFA_POLICY(tenant), BLOCK_LEGACY(tenant, 'notApplied'), COMPLIANT_DEVICE(tenant, 'failure')];
    case 'legacyBlocked':
      return [MFA_POLICY(tenant), BLOCK_LEGACY(tenant, 'failure'), COMPLIANT_DEVICE(tenant, 'notApplied')];
    default:
      return [];
  }
}

export interface UserEventSpec {
  logType: 'interactive' | 'noninteractive';
  t: number;
  user: User;
  app: App;
  agent: Agent;
  device: number;
  ip: string;
  asn: number | null;
  loc: GeoPoint | null;
  sessionId: string;
  error?: ErrorInfo;
  status?: SignInEvent['status'];
  mfa?: 'completed' | 'claim' | 'none' | 'denied' | 'noResponse';
  correlationId?: string;
}

/** A user sign-in with everything a real record carries, derived from a few choices. */
export function userEvent(rng: Rng, tenant: Tenant, s: UserEventSpec): SignInEvent {
  const id = rng.guid();
  const err = s.error;
  const status: SignInEvent['status'] = s.status ?? (err ? 'failure' : 'success');
  const interactive = s.logType === 'interactive';
  const mfa = s.mfa ?? (interactive ? (rng.chance(0.35) ? 'completed' : 'claim') : 'claim');
  const multi = mfa !== 'none';
  const deviceId = s.user.deviceIds[s.device] ?? '';
  const isPhone = s.agent.os === 'Ios' || s.agent.os === 'Android';
  const steps: AuthStep[] = [];
  if (interactive) {
    if (mfa === 'claim') steps.push({ method: 'Previously satisfied', detail: '', succeeded: true, result: 'First factor requirement satisfied by claim in the token', requirement: 'Primary authentication' });
    else steps.push({ method: 'Password', detail: 'Password in the cloud', succeeded: !(err && (err.code === 50126 || err.code === 50053)), result: err && err.code === 50126 ? 'Invalid username or password or Invalid on-premise username or password.' : 'Correct password', requirement: 'Primary authentication' });
    if (mfa === 'completed') steps.push({ method: 'Mobile app notification', detail: '', succeeded: true, result: 'MFA successfully completed', requirement: 'Secondary authentication' });
    if (mfa === 'denied') steps.push({ method: 'Mobile app notification', detail: '', succeeded: false, result: 'MFA denied; user declined the authentication', requirement: 'Secondary authentication' });
    if (mfa === 'noResponse') steps.push({ method: 'Mobile app notification', detail: '', succeeded: false, result: 'MFA denied; user did not respond to mobile app notification', requirement: 'Secondary authentication' });
  } else {
    steps.push({ method: 'Previously satisfied', detail: '', succeeded: true, result: 'First factor requirement satisfied by claim in the token', requirement: 'Primary authentication' });
  }
  let mfaResult = '';
  let mfaMethod = '';
  if (mfa === 'completed') {
    mfaResult = 'MFA successfully completed';
    mfaMethod = 'Mobile app notification';
  } else if (mfa === 'claim' && multi) {
    mfaResult = 'MFA requirement satisfied by claim in the token';
    mfaMethod = 'Previously satisfied';
  } else if (mfa === 'denied') {
    mfaResult = 'MFA denied; user declined the authentication';
    mfaMethod = 'Mobile app notification';
  } else if (mfa === 'noResponse') {
    mfaResult = 'MFA denied; user did not respond to mobile app notification';
    mfaMethod = 'Mobile app notification';
  }
  const caKind = err?.code === 53003 ? 'blocked' : multi ? 'mfa' : 'none';
  return {
    t: s.t,
    logType: s.logType,
    id,
    correlationId: s.correlationId ?? rng.guid(),
    user: s.user.identity,
    appName: s.app.name,
    appId: s.app.id,
    resourceName: s.app.resource,
    resourceId: s.app.resourceId,
    resourceTenantId: tenant.id,
    ip: s.ip,
    asn: s.asn,
    loc: s.loc,
    status,
    errorCode: err?.code ?? 0,
    failureReason: err ? err.reason.replace('{resource}', s.app.resource) : 'Other.',
    additionalDetails: !interactive && multi ? 'MFA requirement satisfied by claim in the token' : mfa === 'completed' ? 'MFA completed in Azure AD' : '',
    clientApp: s.agent.clientApp,
    userAgent: s.agent.ua,
    os: s.agent.os,
    browser: s.agent.browser,
    deviceId,
    deviceName: deviceId ? `${isPhone ? 'PH' : 'LT'}-${s.user.identity.upn.split('@')[0]!.slice(0, 6).toUpperCase()}-${s.device + 1}` : '',
    compliant: Boolean(deviceId) && !isPhone,
    managed: Boolean(deviceId) && !isPhone,
    trustType: deviceId ? (isPhone ? 'Azure AD registered' : s.device === 0 ? 'Azure AD joined' : 'Hybrid Azure AD joined') : '',
    authProtocol: interactive ? 'none' : 'none',
    authRequirement: multi ? 'multiFactorAuthentication' : 'singleFactorAuthentication',
    mfaResult,
    mfaMethod,
    mfaDetail: mfa === 'completed' || mfa === 'denied' || mfa === 'noResponse' ? `+47 XXXXXX${String(s.user.index % 100).padStart(2, '0')}` : '',
    caStatus: caKind === 'blocked' ? 'failure' : caKind === 'mfa' && status !== 'failure' ? 'success' : 'notApplied',
    caPolicies: caPolicies(tenant, caKind),
    authSteps: steps,
    crossTenant: s.user.identity.userType === 'Guest' ? 'b2bCollaboration' : 'none',
    incomingTokenType: interactive ? (s.agent.os === 'Windows 10' && s.agent.clientApp !== 'Browser' ? 'primaryRefreshToken' : 'none') : rng.chance(0.7) ? 'refreshToken' : 'primaryRefreshToken',
    originalTransferMethod: 'none',
    clientCredentialType: 'none',
    tokenIssuerType: 'AzureAD',
    sessionId: s.sessionId,
    uti: uniqueTokenIdentifier(id),
    isInteractive: interactive,
    flagged: false,
    riskAggregated: 'none',
    riskDuring: 'none',
    riskState: 'none',
    riskDetail: 'none',
    riskEventTypes: [],
    sp: null,
    mi: null,
    latencyMs: rng.range(40, interactive ? 900 : 250),
    signInIdentifier: interactive ? s.user.identity.upn : '',
    planted: [],
    noise: null,
    needsJson: false,
  };
}

export function workloadEvent(rng: Rng, tenant: Tenant, logType: Extract<LogType, 'serviceprincipal' | 'managedidentity'>, t: number, index: number): SignInEvent {
  const id = rng.guid();
  const sp = logType === 'serviceprincipal' ? tenant.servicePrincipals[index % tenant.servicePrincipals.length]! : null;
  const mi = sp ? null : tenant.managedIdentities[index % tenant.managedIdentities.length]!;
  const failed = sp !== null && rng.chance(0.004);
  const c = sp ? cityByNameSafe(sp.city) : undefined;
  return {
    t,
    logType,
    id,
    correlationId: rng.guid(),
    user: null,
    appName: sp ? sp.name : mi!.name,
    appId: sp ? sp.appId : mi!.appId,
    resourceName: sp ? sp.resource.resource : mi!.resource.resource,
    resourceId: sp ? sp.resource.resourceId : mi!.resource.resourceId,
    resourceTenantId: tenant.id,
    ip: sp ? sp.network : '',
    asn: sp ? 8075 : null,
    loc: c ? cityPoint(c) : null,
    status: failed ? 'failure' : 'success',
    errorCode: failed ? ERRORS.badSecret.code : 0,
    failureReason: failed ? ERRORS.badSecret.reason : 'Other.',
    additionalDetails: '',
    clientApp: '',
    userAgent: '',
    os: '',
    browser: '',
    deviceId: '',
    deviceName: '',
    compliant: false,
    managed: false,
    trustType: '',
    authProtocol: 'none',
    authRequirement: 'singleFactorAuthentication',
    mfaResult: '',
    mfaMethod: '',
    mfaDetail: '',
    caStatus: 'notApplied',
    caPolicies: NO_POLICIES,
    authSteps: NO_STEPS,
    crossTenant: 'none',
    incomingTokenType: 'none',
    originalTransferMethod: 'none',
    clientCredentialType: sp ? sp.credential : 'managedIdentity',
    tokenIssuerType: 'AzureAD',
    sessionId: '',
    uti: uniqueTokenIdentifier(id),
    isInteractive: false,
    flagged: false,
    riskAggregated: 'none',
    riskDuring: 'none',
    riskState: 'none',
    riskDetail: 'none',
    riskEventTypes: NO_RISKS,
    sp: sp
      ? { id: sp.spId, name: sp.name, credentialKeyId: sp.credentialKeyId, thumbprint: sp.thumbprint }
      : { id: mi!.spId, name: mi!.name, credentialKeyId: '', thumbprint: '' },
    mi: mi ? { type: mi.type, resourceId: mi.resourceId } : null,
    latencyMs: rng.range(5, 120),
    signInIdentifier: '',
    planted: [],
    noise: null,
    needsJson: false,
  };
}

const NO_POLICIES: CaPolicy[] = [];
const NO_STEPS: AuthStep[] = [];
const NO_RISKS: string[] = [];

function cityByNameSafe(name: string): City | undefined {
  return CITIES.find((c) => c.name === name);
}

