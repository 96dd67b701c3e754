// One spelling per value in every enumerated canonical column, whatever shape wrote it.
//
// The canonical spelling is Microsoft Graph's enum value (the signIn resource, beta). The
// portal's CSV download writes display strings ("Device Code", "Single-factor
// authentication", "Primary Refresh Token", "Member", "No"), Log Analytics and Event Hub
// mostly write Graph's values, and some Graph clients write display strings too. Every
// spelling listed here maps to the canonical value; a value not listed (Graph enums are
// evolvable) is kept as written, trimmed. The same table generates the SQL that every
// shape's mapping applies (sqlMacros.ts) and the tables in docs/schema.md.

/** Export shapes as the vocabulary tables name them. */
export type VocabularyShape = 'portal' | 'graph' | 'la';

export interface VocabularyValue {
  /** Graph's enum value: what the column holds. */
  value: string;
  /** Spellings each shape is known to write, when they differ from `value`. */
  portal?: string[];
  graph?: string[];
  la?: string[];
}

const v = (value: string, portal?: string[], graph?: string[], la?: string[]): VocabularyValue => ({
  value,
  ...(portal ? { portal } : {}),
  ...(graph ? { graph } : {}),
  ...(la ? { la } : {}),
});

const NONE = v('none', ['None']);
const UNKNOWN = v('unknownFutureValue', ['Unknown future value']);

/** Enumerated canonical columns and their values. */
export const VOCABULARY: Readonly<Record<string, readonly VocabularyValue[]>> = {
  user_type: [v('member', ['Member'], undefined, ['Member']), v('guest', ['Guest'], undefined, ['Guest'])],
  authentication_protocol: [
    NONE,
    v('oAuth2', ['OAuth2', 'OAuth 2.0']),
    v('ropc', ['ROPC', 'Resource Owner Password Credential']),
    v('wsFederation', ['WS-Federation', 'WsFederation']),
    v('saml20', ['SAML 2.0', 'SAML20']),
    v('deviceCode', ['Device Code', 'Device code']),
    v('authenticationTransfer', ['Authentication transfer']),
    v('nativeAuth', ['Native auth']),
    UNKNOWN,
  ],
  authentication_requirement: [
    v('singleFactorAuthentication', ['Single-factor authentication', 'Single factor authentication']),
    v('multiFactorAuthentication', ['Multifactor authentication', 'Multi-factor authentication']),
  ],
  conditional_access_status: [v('success', ['Success']), v('failure', ['Failure']), v('notApplied', ['Not Applied', 'Not applied']), UNKNOWN],
  cross_tenant_access_type: [
    NONE,
    v('b2bCollaboration', ['B2B collaboration']),
    v('b2bDirectConnect', ['B2B direct connect']),
    v('microsoftSupport', ['Microsoft support']),
    v('serviceProvider', ['Service provider']),
    v('passthrough', ['Passthrough']),
    UNKNOWN,
  ],
  incoming_token_type: [
    NONE,
    v('primaryRefreshToken', ['Primary Refresh Token', 'Primary refresh token'], ['Primary Refresh Token']),
    v('saml11', ['SAML 1.1']),
    v('saml20', ['SAML 2.0']),
    v('remoteDesktopToken', ['Remote desktop token']),
    v('refreshToken', ['Refresh token', 'Refresh Token']),
    UNKNOWN,
  ],
  original_transfer_method: [NONE, v('deviceCodeFlow', ['Device code flow']), v('authenticationTransfer', ['Authentication transfer']), UNKNOWN],
  client_credential_type: [
    NONE,
    v('clientSecret', ['Client secret']),
    v('clientAssertion', ['Client assertion']),
    v('federatedIdentityCredential', ['Federated identity credential']),
    v('managedIdentity', ['Managed identity']),
    v('certificate', ['Certificate']),
    UNKNOWN,
  ],
  token_issuer_type: [
    v('AzureAD', ['Azure AD', 'Microsoft Entra ID']),
    v('ADFederationServices', ['AD Federation Services']),
    v('AzureADBackupAuth', ['Azure AD backup auth']),
    v('ADFederationServicesMFAAdapter', ['AD Federation Services MFA adapter']),
    v('NPSExtension', ['NPS extension']),
    v('UnknownFutureValue', ['Unknown future value']),
  ],
  token_protection_status: [NONE, v('bound', ['Bound']), v('unbound', ['Unbound']), UNKNOWN],
  risk_level_aggregated: riskLevels(),
  risk_level_during_sign_in: riskLevels(),
  risk_state: [
    NONE,
    v('confirmedSafe', ['Confirmed safe']),
    v('remediated', ['Remediated']),
    v('dismissed', ['Dismissed']),
    v('atRisk', ['At risk']),
    v('confirmedCompromised', ['Confirmed compromised']),
    UNKNOWN,
  ],
  managed_identity_type: [
    NONE,
    v('userAssigned', ['User assigned', 'User-assigned']),
    v('systemAssigned', ['System assigned', 'System-assigned']),
    UNKNOWN,
  ],
};

function riskLevels(): VocabularyValue[] {
  return [v('none', ['None']), v('low', ['Low']), v('medium', ['Medium']), v('high', ['High']), v('hidden', ['Hidden']), UNKNOWN];
}

/**
 * How spellings are compared: letters and digits only, lower-cased, so that case, spaces,
 * hyphens and dots never make two spellings of one value differ ("Single-factor
 * authentication" and "singleFactorAuthentication" are both "singlefactorauthentication").
 */
export function spellingKey(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** The canonical value of a spelling in a column, or the spelling itself (trimmed) when unknown. */
export function canonicalValue(column: string, spelling: string | null): string | null {
  const t = spelling?.trim() ?? '';
  if (t === '') return null;
  const k = spellingKey(t);
  return VOCABULARY[column]?.find((x) => spellingKey(x.value) === k || [...(x.portal ?? []), ...(x.graph ?? []), ...(x.la ?? [])].some((s) => spellingKey(s) === k))?.value ?? t;
}

/** Name of the SQL macro that maps a column's spellings to its canonical values. */
export function vocabularyMacro(column: string): string {
  if (!VOCABULARY[column]) throw new Error(`no vocabulary for column ${column}`);
  return `signet_vocab_${column}`;
}

const q = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/**
 * One macro per enumerated column. Every listed spelling, exactly as written, is looked up
 * first (the canonical values that Graph, Event Hub and Log Analytics rows carry, and the
 * portal's display strings); anything else is compared by its spelling key, which costs a
 * regexp per cell (a regexp on every portal cell cost a sixth of a portal CSV import's CPU).
 */
export function vocabularyMacros(): string[] {
  return Object.entries(VOCABULARY).map(([column, values]) => {
    const keys = new Map<string, string>();
    const exact = new Map<string, string>();
    for (const x of values) {
      for (const s of [x.value, ...(x.portal ?? []), ...(x.graph ?? []), ...(x.la ?? [])]) {
        const k = spellingKey(s);
        const had = keys.get(k);
        if (had !== undefined && had !== x.value) throw new Error(`${column}: spelling ${s} names two values`);
        keys.set(k, x.value);
        exact.set(s, x.value);
      }
    }
    const whens = [...keys].map(([k, value]) => `WHEN ${q(k)} THEN ${q(value)}`).join(' ');
    return `CREATE OR REPLACE TEMP MACRO ${vocabularyMacro(column)}(x) AS CASE CAST(x AS VARCHAR) ${[...exact].map(([s, value]) => `WHEN ${q(s)} THEN ${q(value)}`).join(' ')}
      ELSE CASE WHEN signet_txt(x) IS NULL THEN NULL
      ELSE CASE lower(regexp_replace(CAST(x AS VARCHAR), '[^A-Za-z0-9]', '', 'g')) ${whens} ELSE signet_txt(x) END END END`;
  });
}

/** Apply a column's vocabulary to an SQL expression of its text, if the column has one. */
export function withVocabulary(column: string, expr: string): string {
  return VOCABULARY[column] ? `${vocabularyMacro(column)}(${expr})` : expr;
}
