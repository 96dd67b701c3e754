// SQL fragments the detectors share. Everything here is fixed text; thresholds enter as
// validated number literals, so the SQL shown to the analyst is exactly what ran.

/** Who a row is about: the user (lower-case UPN, else object id). */
export const USER = `lower(coalesce(nullif(user_principal_name, ''), nullif(user_id, '')))`;

/** A user row (not a workload), so service principals never count as users. */
export const USER_ROW = `log_type IN ('interactive', 'noninteractive') AND ${USER} IS NOT NULL`;

/** Wrong-password style failures: bad password, locked, expired, unknown user. */
export const PASSWORD_FAILURES = `error_code IN (50126, 50053, 50055, 50056, 50034)`;

/**
 * The sign-ins a row stands for: a grouped portal row (non-interactive download, "# Sign-ins")
 * is several. Counts of sign-ins sum this; counts of rows (what a finding links to) do not.
 */
export const SIGN_INS = `coalesce(sign_in_count, 1)`;

export const NOT_PASSTHROUGH = `coalesce(lower(cross_tenant_access_type), '') <> 'passthrough'`;

/** A stable id from a kind and a key expression, the same on every recompute. */
export function findingId(kind: string, keyExpr: string): string {
  return `'${kind}-' || substr(md5('${kind}|' || ${keyExpr}), 1, 16)`;
}

/** Number consecutive rows into bursts: a new burst starts after a gap longer than `minutes`. */
export function bursts(source: string, partition: string, minutes: string): string {
  return `(SELECT *, sum(CASE WHEN prev_t IS NULL OR time_utc - prev_t > INTERVAL (${minutes}) MINUTE THEN 1 ELSE 0 END)
      OVER (PARTITION BY ${partition} ORDER BY time_utc, row_id ROWS UNBOUNDED PRECEDING) AS burst_no
    FROM (SELECT *, lag(time_utc) OVER (PARTITION BY ${partition} ORDER BY time_utc, row_id) AS prev_t FROM ${source}))`;
}

export const ISO = (expr: string) => `strftime(${expr}, '%Y-%m-%dT%H:%M:%SZ')`;
