// Short meanings of common Entra ID (AADSTS) sign-in error codes, written for this app so
// a responder can read a failure at a glance without going online. Meanings are
// paraphrased summaries; the failure_reason text in the log remains the authority.

export interface ErrorMeaning {
  code: number;
  /** One short sentence. */
  meaning: string;
  /** Coarse class that helps triage: was this the user, policy, or the client? */
  category: 'success' | 'credentials' | 'mfa' | 'policy' | 'lockout' | 'account' | 'client' | 'consent' | 'token' | 'device' | 'other';
  known: boolean;
}

const TABLE: ReadonlyArray<readonly [number, ErrorMeaning['category'], string]> = [
  [0, 'success', 'Success: the sign-in completed without error.'],
  [16000, 'account', 'Several accounts are signed in or the chosen account does not fit this request; the user had to pick an account.'],
  [16001, 'account', 'The user must choose an account in the account picker.'],
  [16003, 'account', 'The account is not known in the tenant the application targets.'],
  [50011, 'client', 'The reply address in the request does not match any address registered for the application.'],
  [50012, 'client', 'The client credential (assertion or secret) could not be validated.'],
  [50020, 'account', 'The user is not a member of the tenant, or a guest account is not allowed for this resource.'],
  [50034, 'account', 'The user account does not exist in this directory.'],
  [50053, 'lockout', 'The account is locked: too many failed attempts (smart lockout) or sign-in from a blocked IP address.'],
  [50055, 'credentials', 'The password has expired and must be changed.'],
  [50056, 'credentials', 'The user has no password stored in the directory, or the password is not valid for this account.'],
  [50057, 'account', 'The user account is disabled.'],
  [50058, 'account', 'Silent sign-in failed: no signed-in session was found, so the user must sign in interactively.'],
  [50059, 'client', 'The request did not carry enough information to find the tenant.'],
  [50064, 'credentials', 'Credential validation failed for the user.'],
  [50072, 'mfa', 'The user has to register for multifactor authentication before continuing.'],
  [50074, 'mfa', 'Strong authentication (MFA) is required and the user did not complete it in this request.'],
  [50076, 'mfa', 'MFA is required by policy or a change of location, and the user did not provide it in this request.'],
  [50079, 'mfa', 'The user must register security information (MFA) before signing in.'],
  [50089, 'token', 'The flow token expired: the user took too long to finish signing in.'],
  [50097, 'device', 'Device authentication is required for this request.'],
  [50105, 'policy', 'The user is not assigned to a role or group that the application requires.'],
  [50125, 'other', 'Sign-in was interrupted by a password reset or registration step.'],
  [50126, 'credentials', 'Invalid user name or password (or invalid on-premises credentials).'],
  [50127, 'client', 'The user must install a broker application to access this resource.'],
  [50129, 'device', 'The device is not workplace joined, which this request requires.'],
  [50131, 'policy', 'Conditional Access blocked the request: device or client state did not satisfy the policy.'],
  [50132, 'token', 'The session is no longer valid because the password changed or was reset, or single sign-on was revoked.'],
  [50133, 'token', 'The session became invalid because the password expired or was changed recently.'],
  [50140, 'other', 'The "Keep me signed in" prompt interrupted the sign-in.'],
  [50142, 'policy', 'A password change is required by Conditional Access.'],
  [50143, 'account', 'The user does not belong to the tenant (session mismatch).'],
  [50144, 'credentials', 'The Active Directory password has expired.'],
  [50155, 'device', 'Device authentication failed.'],
  [50158, 'mfa', 'An external security challenge (for example a third-party MFA provider) was not satisfied.'],
  [50173, 'token', 'The grant is no longer valid because it was revoked or the credentials changed.'],
  [51004, 'account', 'The user account is not in the directory.'],
  [51006, 'mfa', 'Windows Integrated Authentication is not enough; stronger authentication is required.'],
  [53000, 'policy', 'Conditional Access requires a compliant or managed device, and this device is not.'],
  [53001, 'policy', 'Conditional Access requires a domain-joined (hybrid joined) device.'],
  [53002, 'policy', 'The application used is not approved by Conditional Access.'],
  [53003, 'policy', 'Access was blocked by a Conditional Access policy.'],
  [53004, 'mfa', 'The user must complete MFA registration, but registration was blocked (for example by risk).'],
  [53011, 'policy', 'User blocked because of risk found on the home tenant.'],
  [54005, 'token', 'The OAuth2 authorization code was already redeemed; it can be used only once.'],
  [65001, 'consent', 'The user or an administrator has not consented to the application using the requested permissions.'],
  [65004, 'consent', 'The user declined to consent to the application.'],
  [70000, 'token', 'The grant is invalid, expired or revoked.'],
  [70001, 'client', 'The application is disabled or not found in the tenant.'],
  [70008, 'token', 'The authorization code or refresh token expired or was revoked because of inactivity.'],
  [70011, 'client', 'The requested scope is not valid.'],
  [70016, 'token', 'Device code flow: the user has not finished signing in yet (pending).'],
  [70019, 'token', 'Device code flow: the verification code expired.'],
  [70043, 'token', 'The refresh token or session expired because of a Conditional Access sign-in frequency check.'],
  [70044, 'token', 'The session expired or was revoked because of a Conditional Access sign-in frequency check.'],
  [70046, 'token', 'The session expired or reauthentication was required by policy.'],
  [75011, 'mfa', 'The authentication method used does not match what the request requires.'],
  [80012, 'policy', 'The user tried to sign in outside the allowed hours set for pass-through authentication.'],
  [81010, 'token', 'Seamless SSO failed because the Kerberos ticket was expired or invalid.'],
  [81012, 'account', 'The user signed in with Seamless SSO does not match the user being signed in.'],
  [90014, 'client', 'A required field is missing from the request.'],
  [90025, 'other', 'An internal service limit was reached; the request was retried too many times.'],
  [90072, 'account', 'The user account is not in the tenant and must be added as an external user first.'],
  [90095, 'consent', 'An administrator must consent; the user asked for admin approval.'],
  [90100, 'client', 'A request parameter is empty or not valid.'],
  [500011, 'client', 'The resource (service principal) was not found in the tenant.'],
  [500121, 'mfa', 'Strong authentication failed: the user did not complete, denied, or timed out the MFA prompt.'],
  [500133, 'token', 'The assertion is not within its valid time range.'],
  [530032, 'policy', 'Blocked by a security policy (for example the tenant’s security defaults or risk policy).'],
  [530034, 'policy', 'Access blocked by a Conditional Access policy for this resource.'],
  [700016, 'client', 'The application was not found in the directory (wrong tenant or not consented).'],
  [7000112, 'client', 'The application is disabled.'],
  [7000215, 'client', 'An invalid client secret was provided.'],
  [7000218, 'client', 'The request body must contain a client assertion or client secret (public client flow not allowed).'],
  [7000222, 'client', 'The client secret has expired.'],
  [700024, 'client', 'The client assertion is not within its valid time range.'],
  [700027, 'client', 'The certificate used to sign the client assertion is not registered or not valid.'],
  [700082, 'token', 'The refresh token expired because it was not used for a long time.'],
  [700084, 'token', 'The refresh token for a single-page app expired; the user must sign in again.'],
  [9002341, 'policy', 'The user must complete linked sign-in (Windows/browser single sign-on) required by policy.'],
  [9002313, 'client', 'The request is malformed or not valid.'],
];

const BY_CODE: ReadonlyMap<number, ErrorMeaning> = new Map(
  TABLE.map(([code, category, meaning]) => [code, { code, category, meaning, known: true }]),
);

/** Short meaning of an AADSTS code; unknown codes say so rather than guess. */
export function errorMeaning(code: number | null | undefined): ErrorMeaning | null {
  if (code === null || code === undefined || !Number.isFinite(code)) return null;
  return (
    BY_CODE.get(code) ?? {
      code,
      category: 'other',
      meaning: `Code ${code} is not in Signet's offline table; read the failure reason in the record.`,
      known: false,
    }
  );
}

export function knownErrorCodes(): number[] {
  return [...BY_CODE.keys()];
}
