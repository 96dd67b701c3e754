// One generated sign-in, in a shape-neutral form close to the Graph beta signIn resource.
// Writers render the same event into every export shape, so a seed gives the same
// sign-ins whichever shape is asked for.

export type LogType = 'interactive' | 'noninteractive' | 'serviceprincipal' | 'managedidentity';

/** The generator plants one or more incidents of every finding kind. */
import type { FindingKind } from '../findings/types';

export { FINDING_KINDS, type FindingKind } from '../findings/types';

/** Background patterns that look a little like attacks but must not be reported as one. */
export type NoiseKind = 'traveller' | 'shared_nat' | 'mistype' | 'vpn' | 'country_centroid' | 'single_mfa_denial' | 'single_ca_block';

export interface GeoPoint {
  city: string;
  state: string;
  country: string;
  lat: number;
  lon: number;
  /** 'city' when the location is a city, 'country' when only the country is known (centroid). */
  precision: 'city' | 'country';
}

export interface Identity {
  id: string;
  displayName: string;
  upn: string;
  userType: 'Member' | 'Guest';
  homeTenantId: string;
  homeTenantName: string;
}

export interface CaPolicy {
  id: string;
  displayName: string;
  grant: string[];
  result: 'success' | 'failure' | 'notApplied' | 'notEnabled';
}

export interface AuthStep {
  method: string;
  detail: string;
  succeeded: boolean;
  result: string;
  requirement: string;
}

export interface SignInEvent {
  /** Epoch milliseconds, whole seconds. */
  t: number;
  logType: LogType;
  id: string;
  correlationId: string;
  user: Identity | null;
  appName: string;
  appId: string;
  resourceName: string;
  resourceId: string;
  resourceTenantId: string;
  ip: string;
  asn: number | null;
  loc: GeoPoint | null;
  status: 'success' | 'failure' | 'interrupted';
  errorCode: number;
  failureReason: string;
  additionalDetails: string;
  clientApp: string;
  userAgent: string;
  os: string;
  browser: string;
  deviceId: string;
  deviceName: string;
  compliant: boolean;
  managed: boolean;
  trustType: string;
  authProtocol: string;
  authRequirement: 'singleFactorAuthentication' | 'multiFactorAuthentication';
  mfaResult: string;
  mfaMethod: string;
  mfaDetail: string;
  caStatus: 'success' | 'failure' | 'notApplied';
  caPolicies: CaPolicy[];
  authSteps: AuthStep[];
  crossTenant: string;
  incomingTokenType: string;
  originalTransferMethod: string;
  clientCredentialType: string;
  tokenIssuerType: string;
  sessionId: string;
  uti: string;
  /** The record's own interactive flag; normally equals logType === 'interactive'. */
  isInteractive: boolean;
  flagged: boolean;
  riskAggregated: string;
  riskDuring: string;
  riskState: string;
  riskDetail: string;
  riskEventTypes: string[];
  sp: { id: string; name: string; credentialKeyId: string; thumbprint: string } | null;
  mi: { type: string; resourceId: string } | null;
  latencyMs: number;
  signInIdentifier: string;
  /** Planted kinds this row belongs to (ground truth). */
  planted: FindingKind[];
  noise: NoiseKind | null;
  /** True when the row carries fields the portal CSV has no column for (risk, isInteractive). */
  needsJson: boolean;
}
