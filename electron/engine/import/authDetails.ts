import type { ColumnLookup } from './portalCsv';

/**
 * The portal's `…_AuthDetails_…` download: several authentication steps per sign-in, kept in
 * their own table and joined to sign-ins by request_id. Its columns are not documented, so
 * each field takes the first header that names it and the whole row stays in raw.
 */
export const AUTH_DETAIL_COLUMNS = ['request_id', 'step', 'step_time_utc', 'method', 'method_detail', 'succeeded', 'result_detail', 'requirement'];

export function authDetailsSelect(cols: ColumnLookup, rn: string): string {
  const first = (...names: string[]): string => {
    const found = names.filter((n) => cols.has(n)).map((n) => `signet_txt(${cols.col(n)})`);
    return found.length ? `coalesce(${found.join(', ')})` : 'NULL';
  };
  const exprs: Record<string, string> = {
    request_id: first('request id'),
    step: `row_number() OVER (PARTITION BY ${first('request id')} ORDER BY ${rn})`,
    step_time_utc: `signet_ts(${first('authentication step date', 'authentication step date (utc)', 'date (utc)', 'date')})`,
    method: first('authentication method'),
    method_detail: first('authentication method detail'),
    succeeded: `coalesce(signet_bool(${first('succeeded')}), CASE lower(${first('result', 'status')}) WHEN 'success' THEN true WHEN 'failure' THEN false END)`,
    result_detail: first('result detail', 'authentication step result detail'),
    requirement: first('requirement', 'authentication step requirement'),
  };
  return AUTH_DETAIL_COLUMNS.map((c) => `${exprs[c]} AS "${c}"`).join(', ');
}
