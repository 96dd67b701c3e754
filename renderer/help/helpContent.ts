import type { FindingSummaryDto } from '../../electron/api/methods/findings';

/** One row of a help table: what to type or press, and what it does. */
export type HelpRow = readonly [string, string];

export const SEARCH_SYNTAX: readonly HelpRow[] = [
  ['word', 'Rows where every word appears in some column (text, error codes, ASNs), any case.'],
  ['"two words"', 'A phrase in quotes, spaces included.'],
  ['-word', 'Leaves out the rows that match (also -field:value).'],
  ['field:value', 'The value appears in that column, e.g. user:alice, app:teams, error:50126, country:NG, or any column name (user_agent:python).'],
  ['ip:203.0.113.7', 'Exactly that address, never 203.0.113.70 (IPv4 and IPv6).'],
  ['ip:10.0.0.0/8', 'Every address in a CIDR block, IPv6 too (ip:2001:db8::/32).'],
  ['ip:10.1.*', 'Addresses that start with the text before the star.'],
  ['50058', 'A number alone finds it in the number columns too (error code, ASN); error:50058 looks only at the error code.'],
  ['short names', 'ip, user / upn, name, app, resource, ua, error / code, session, correlation, request, os, reason.'],
];

export const SHORTCUTS: readonly HelpRow[] = [
  ['F1 or ?', 'This help.'],
  ['Ctrl+F', 'Go to the search box of the grid.'],
  ['Ctrl+A', 'Select every row under the filter (the status bar says how many).'],
  ['Ctrl+C', 'Copy the selected rows (visible columns, with headers) or the focused cell.'],
  ['Ctrl+Home / Ctrl+End', 'First / last row of the grid.'],
  ['Enter or double-click', 'Details of the row.'],
  ['Right-click a cell', 'Filter on the value, tag, "around this sign-in ±N min".'],
  ['Shift+click a header', 'Add a sort key.'],
  ['Alt+← / Alt+→', 'Previous / next filter.'],
  ['Escape', 'Close the open panel, menu or details.'],
  ['Ctrl+Enter', 'SQL console: run the selection or the statement under the cursor.'],
  ['Ctrl+O', 'Open files (desktop app).'],
];

/** What each detector looks for, in a sentence (the long form is docs/findings.md). */
export const FINDING_MEANINGS: Readonly<Record<FindingSummaryDto['kind'], string>> = {
  password_spray: 'One IP address fails (wrong password, locked, unknown account) against many accounts with no long gap; successes from that address in the burst are added.',
  brute_force: 'One account fails many times with no long gap; a success from one of the same addresses is added.',
  mfa_fatigue: 'One account gets repeated denied or unanswered MFA prompts (500121); an approval from the same address is added.',
  impossible_travel: 'Two sign-ins of one account need a speed no flight reaches (location uncertainty allowed for).',
  token_reuse: 'One session or token identifier is used from several countries or addresses.',
  legacy_auth: 'Legacy protocols (IMAP, POP, SMTP AUTH, ActiveSync, …) or ROPC password grants.',
  device_code: 'The device-code flow, worse with the Authentication Broker or from several countries.',
  passthrough: 'Cross-tenant passthrough, Microsoft support or service-provider access.',
  ca_failure_burst: 'Conditional Access blocks one account repeatedly.',
  new_country: "An account's first successful sign-in from a country, after its baseline days.",
  risky_signin: 'Identity Protection marked sign-ins risky.',
  interactive_mismatch: "A log's interactive flag disagrees with the log type.",
};
