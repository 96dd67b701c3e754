/** Starting points an analyst can open in the editor; each runs on any case. */
export interface ExampleQuery {
  title: string;
  description: string;
  sql: string;
}

export const EXAMPLE_QUERIES: readonly ExampleQuery[] = [
  {
    title: 'Failures by IP address',
    description: 'Failed sign-ins per source IP, with how many accounts each IP tried (password spray shows many users, few attempts each).',
    sql: `SELECT ip_address,
       count(*) AS failures,
       count(DISTINCT user_principal_name) AS users,
       min(time_utc) AS first_seen,
       max(time_utc) AS last_seen,
       mode(failure_reason) AS top_reason
FROM signins
WHERE status = 'failure'
GROUP BY ip_address
ORDER BY failures DESC
LIMIT 100;`,
  },
  {
    title: 'Sign-ins per country per day',
    description: 'Daily sign-ins by country, pivoted so each country is a column.',
    sql: `WITH daily AS (
  SELECT date_trunc('day', time_utc) AS day, coalesce(country, '?') AS country
  FROM signins
)
PIVOT daily ON country USING count(*) GROUP BY day ORDER BY day;`,
  },
  {
    title: 'Tokens seen from more than one IP',
    description: 'Session or unique token identifiers used from several IP addresses: a sign of token theft and replay.',
    sql: `SELECT coalesce(unique_token_identifier, session_id) AS token,
       count(DISTINCT ip_address) AS ips,
       list(DISTINCT ip_address) AS addresses,
       list(DISTINCT country) AS countries,
       any_value(user_principal_name) AS user_principal_name
FROM signins
WHERE coalesce(unique_token_identifier, session_id) IS NOT NULL
GROUP BY token
HAVING count(DISTINCT ip_address) > 1
ORDER BY ips DESC;`,
  },
  {
    title: 'MFA denials by user',
    description: 'Users with denied or failed MFA prompts (MFA fatigue), with the last time and IPs involved.',
    sql: `SELECT user_principal_name,
       count(*) AS denials,
       max(time_utc) AS last_denial,
       list(DISTINCT ip_address) AS ips
FROM signins
WHERE error_code IN (500121, 50074, 50076, 50158)
   OR mfa_result ILIKE '%denied%'
   OR failure_reason ILIKE '%MFA%denied%'
GROUP BY user_principal_name
ORDER BY denials DESC;`,
  },
  {
    title: 'Legacy authentication by client app',
    description: 'Sign-ins over protocols that cannot do MFA (IMAP, POP, SMTP, ActiveSync, other clients).',
    sql: `SELECT client_app,
       count(*) AS sign_ins,
       count(*) FILTER (WHERE status = 'success') AS successes,
       count(DISTINCT user_principal_name) AS users
FROM signins
WHERE client_app IS NOT NULL
  AND client_app NOT IN ('Browser', 'Mobile Apps and Desktop clients')
GROUP BY client_app
ORDER BY sign_ins DESC;`,
  },
  {
    title: 'JSON inside a column',
    description: 'Unnest the Conditional Access policies kept as JSON and list the ones that failed.',
    sql: `SELECT row_id,
       time_utc,
       user_principal_name,
       p ->> 'displayName' AS policy,
       p ->> 'result' AS result
FROM signins,
     unnest(CAST(applied_ca_policies AS JSON[])) AS t(p)
WHERE p ->> 'result' = 'failure'
LIMIT 500;`,
  },
  {
    title: 'Impossible travel candidates',
    description: 'Consecutive successful sign-ins of a user from different countries within two hours (window function).',
    sql: `WITH ordered AS (
  SELECT user_principal_name, time_utc, country, ip_address,
         lag(time_utc) OVER w AS prev_time,
         lag(country) OVER w AS prev_country
  FROM signins
  WHERE status = 'success' AND country IS NOT NULL
  WINDOW w AS (PARTITION BY user_principal_name ORDER BY time_utc)
)
SELECT * FROM ordered
WHERE prev_country IS NOT NULL AND prev_country <> country
  AND time_utc - prev_time < INTERVAL 2 HOUR
ORDER BY time_utc;`,
  },
];
