import type { SignInEvent } from '../event';
import { EventFileWriter } from './eventFileWriter';
import { isoSeconds, isoOffset7, MICROSOFT_APP_TENANT } from './format';

const EVENT_TYPE: Record<SignInEvent['logType'], string> = {
  interactive: 'interactiveUser',
  noninteractive: 'nonInteractiveUser',
  serviceprincipal: 'servicePrincipal',
  managedidentity: 'managedIdentity',
};

/** A Microsoft Graph beta `signIn` object for the event, property names and nesting as Graph returns them. */
export function graphSignIn(e: SignInEvent, createdDateTime: string = isoSeconds(e.t)): Record<string, unknown> {
  const user = e.user;
  return {
    id: e.id,
    createdDateTime,
    userDisplayName: user?.displayName ?? null,
    userPrincipalName: user?.upn ?? null,
    userId: user?.id ?? null,
    appId: e.appId,
    appDisplayName: e.appName,
    ipAddress: e.ip,
    ipAddressFromResourceProvider: null,
    clientAppUsed: e.clientApp || null,
    userAgent: e.userAgent || null,
    correlationId: e.correlationId,
    conditionalAccessStatus: e.caStatus,
    originalRequestId: '',
    isInteractive: e.isInteractive,
    isThroughGlobalSecureAccess: false,
    tokenIssuerName: '',
    tokenIssuerType: e.tokenIssuerType,
    clientCredentialType: e.clientCredentialType,
    processingTimeInMilliseconds: e.latencyMs,
    riskDetail: e.riskDetail,
    riskLevelAggregated: e.riskAggregated,
    riskLevelDuringSignIn: e.riskDuring,
    riskState: e.riskState,
    riskEventTypes: e.riskEventTypes,
    riskEventTypes_v2: e.riskEventTypes,
    resourceDisplayName: e.resourceName,
    resourceId: e.resourceId,
    resourceTenantId: e.resourceTenantId,
    homeTenantId: user?.homeTenantId ?? e.resourceTenantId,
    // Workload identities sign in from the tenant itself (the portal's workload downloads say so too).
    homeTenantName: user?.homeTenantName ?? 'Contoso',
    authenticationRequirement: e.authRequirement,
    signInIdentifier: e.signInIdentifier,
    signInIdentifierType: e.signInIdentifier ? 'userPrincipalName' : null,
    servicePrincipalName: e.sp?.name ?? null,
    servicePrincipalId: e.sp?.id ?? '00000000-0000-0000-0000-000000000000',
    servicePrincipalCredentialKeyId: e.sp?.credentialKeyId ?? '',
    servicePrincipalCredentialThumbprint: e.sp?.thumbprint ?? '',
    userType: user ? (user.userType === 'Guest' ? 'guest' : 'member') : null,
    flaggedForReview: e.flagged,
    isTenantRestricted: false,
    autonomousSystemNumber: e.asn,
    crossTenantAccessType: e.crossTenant,
    uniqueTokenIdentifier: e.uti,
    incomingTokenType: e.incomingTokenType,
    authenticationProtocol: e.authProtocol,
    sessionId: e.sessionId || null,
    originalTransferMethod: e.originalTransferMethod,
    signInTokenProtectionStatus: e.logType === 'interactive' ? 'unbound' : 'none',
    appOwnerTenantId: e.sp ? e.resourceTenantId : MICROSOFT_APP_TENANT,
    resourceOwnerTenantId: MICROSOFT_APP_TENANT,
    signInEventTypes: [EVENT_TYPE[e.logType]],
    status: {
      errorCode: e.errorCode,
      failureReason: e.status === 'success' ? 'Other.' : e.failureReason,
      additionalDetails: e.additionalDetails || null,
    },
    deviceDetail: {
      deviceId: e.deviceId,
      displayName: e.deviceName || null,
      operatingSystem: e.os,
      browser: e.browser,
      isCompliant: e.compliant,
      isManaged: e.managed,
      trustType: e.trustType || null,
    },
    location: e.loc
      ? { city: e.loc.city, state: e.loc.state, countryOrRegion: e.loc.country, geoCoordinates: { altitude: null, latitude: e.loc.lat, longitude: e.loc.lon } }
      : { city: '', state: '', countryOrRegion: '', geoCoordinates: { altitude: null, latitude: 0.0, longitude: 0.0 } },
    mfaDetail: e.mfaMethod ? { authMethod: e.mfaMethod, authDetail: e.mfaDetail || null } : null,
    appliedConditionalAccessPolicies: e.caPolicies.map((p) => ({
      id: p.id,
      displayName: p.displayName,
      enforcedGrantControls: p.grant,
      enforcedSessionControls: [],
      result: p.result,
    })),
    authenticationDetails: e.authSteps.map((s) => ({
      authenticationStepDateTime: createdDateTime,
      authenticationMethod: s.method,
      authenticationMethodDetail: s.detail || null,
      succeeded: s.succeeded,
      authenticationStepResultDetail: s.result,
      authenticationStepRequirement: s.requirement,
    })),
    authenticationMethodsUsed: e.authSteps.filter((s) => s.succeeded && s.method !== 'Previously satisfied').map((s) => s.method),
    networkLocationDetails: [],
    managedServiceIdentity: {
      msiType: e.mi?.type ?? 'none',
      associatedResourceId: e.mi?.resourceId ?? null,
      federatedTokenId: null,
      federatedTokenIssuer: null,
    },
  };
}

/** Graph beta list response saved to a file: a page object or a bare array (tools write both). */
export class GraphJsonWriter extends EventFileWriter {
  private first = true;

  constructor(
    path: string,
    private readonly form: 'page' | 'array' | 'ndjson',
  ) {
    super(path);
  }

  write(e: SignInEvent): Promise<void> | void {
    const json = JSON.stringify(graphSignIn(e));
    if (this.form === 'ndjson') return this.record(json + '\n');
    if (this.first) {
      this.first = false;
      const open = this.form === 'page' ? '{"@odata.context":"https://graph.microsoft.com/beta/$metadata#auditLogs/signIns","value":[\n' : '[\n';
      return this.record(open + json);
    }
    return this.record(',\n' + json);
  }

  override async close(): Promise<void> {
    if (this.form !== 'ndjson') {
      if (this.first) await this.file.write(this.form === 'page' ? '{"@odata.context":"https://graph.microsoft.com/beta/$metadata#auditLogs/signIns","value":[' : '[');
      await this.file.write(this.form === 'page' ? '\n]}\n' : '\n]\n');
    }
    await super.close();
  }
}

const CATEGORY: Record<SignInEvent['logType'], string> = {
  interactive: 'SignInLogs',
  noninteractive: 'NonInteractiveUserSignInLogs',
  serviceprincipal: 'ServicePrincipalSignInLogs',
  managedidentity: 'ManagedIdentitySignInLogs',
};

/** Diagnostic-settings records as Event Hub or a storage archive delivers them: one JSON record per line. */
export class EventHubWriter extends EventFileWriter {
  write(e: SignInEvent): Promise<void> | void {
    const ticks = parseInt(e.id.slice(0, 6), 16) % 10_000_000;
    const created = isoOffset7(e.t, ticks);
    // The envelope time is when the record was processed, shortly after the sign-in.
    const processed = isoOffset7(e.t + 20_000 + (ticks % 90_000), ticks).replace('+00:00', 'Z');
    const props = graphSignIn(e, created);
    const envelope: Record<string, unknown> = {
      time: processed,
      resourceId: `/tenants/${e.resourceTenantId}/providers/Microsoft.aadiam`,
      operationName: 'Sign-in activity',
      operationVersion: '1.0',
      category: CATEGORY[e.logType],
      tenantId: e.resourceTenantId,
      resultType: String(e.errorCode),
      resultSignature: e.errorCode === 0 ? 'SUCCESS' : 'None',
    };
    if (e.errorCode !== 0) envelope.resultDescription = e.failureReason;
    envelope.durationMs = 0;
    if (e.ip) envelope.callerIpAddress = e.ip;
    envelope.correlationId = e.correlationId;
    if (e.user) envelope.identity = e.user.displayName;
    envelope.Level = 4;
    if (e.loc) envelope.location = e.loc.country;
    envelope.properties = props;
    return this.record(JSON.stringify(envelope) + '\n');
  }
}
