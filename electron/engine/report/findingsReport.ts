import type { Database, JsonRow } from '../db/database';
import { DETECTORS } from '../findings/detectors';
import { SUPPRESSION_COVERS } from '../findings/suppressions';
import type { FindingKind } from '../findings/types';
import { esc, fmtInt, sqlBlock, table } from './html';
import { ROW_COLUMNS, rowCells, rowSelect } from './reportData';

// The report's findings for the person who asked: an executive summary, a table of every
// finding, then each finding in words with its numbers labelled, a capped list of its rows
// and the SQL that lists them all.

export interface ReportOptions {
  /** Only findings an analyst confirmed. */
  confirmedOnly?: boolean;
  /** Dismissed findings are left out unless asked for. */
  includeDismissed?: boolean;
  /** Rows listed under each finding (the total and the SQL for all are always given). */
  rowsPerFinding?: number;
}

export const DEFAULT_ROWS_PER_FINDING = 25;

/** Findings described in full; the rest are in the table with their SQL (keeps a huge case's report small). */
const MAX_FINDING_CARDS = 150;

export interface ReportFinding {
  id: string;
  kind: FindingKind;
  severity: string;
  score: number;
  title: string;
  explanation: string;
  users: string[];
  ips: string[];
  countries: string[];
  first_utc: string | null;
  last_utc: string | null;
  row_count: number;
  accounts: number;
  state: 'open' | 'confirmed' | 'dismissed';
  note: string;
  reviewed_at: string | null;
  suppressed: boolean;
  metrics: Record<string, unknown>;
}

const KIND_LABEL = new Map(DETECTORS.map((d) => [d.kind, d.label]));

export function kindLabel(kind: string): string {
  return KIND_LABEL.get(kind as FindingKind) ?? kind;
}

/** The findings the options ask for, highest score first. Suppressed ones are left out unless reviewed. */
export async function reportFindings(db: Database, opts: ReportOptions): Promise<ReportFinding[]> {
  const rows = await db.all<JsonRow>(
    `SELECT f.id, f.kind, f.severity, coalesce(f.score, 0) AS score, f.title, f.explanation, f.users, f.ips, f.countries,
       strftime(f.first_utc, '%Y-%m-%d %H:%M:%S') AS first_utc, strftime(f.last_utc, '%Y-%m-%d %H:%M:%S') AS last_utc,
       f.row_count, coalesce(f.accounts, 0) AS accounts, CAST(f.metrics AS VARCHAR) AS metrics,
       coalesce(r.state, 'open') AS state, coalesce(r.note, '') AS note, strftime(r.reviewed_at, '%Y-%m-%d %H:%M:%S') AS reviewed_at,
       EXISTS (SELECT 1 FROM finding_suppressions x WHERE ${SUPPRESSION_COVERS}) AS suppressed
     FROM findings f LEFT JOIN finding_reviews r ON r.finding_id = f.id
     ORDER BY coalesce(f.score, 0) DESC, f.row_count DESC, f.first_utc, f.id`,
  );
  const all = rows.map((r): ReportFinding => {
    let metrics: Record<string, unknown> = {};
    try {
      metrics = r.metrics ? (JSON.parse(String(r.metrics)) as Record<string, unknown>) : {};
    } catch {
      metrics = {};
    }
    return {
      id: String(r.id),
      kind: r.kind as FindingKind,
      severity: String(r.severity),
      score: Number(r.score),
      title: String(r.title),
      explanation: String(r.explanation),
      users: (r.users as string[] | null) ?? [],
      ips: (r.ips as string[] | null) ?? [],
      countries: (r.countries as string[] | null) ?? [],
      first_utc: (r.first_utc as string | null) ?? null,
      last_utc: (r.last_utc as string | null) ?? null,
      row_count: Number(r.row_count),
      accounts: Number(r.accounts),
      state: r.state as ReportFinding['state'],
      note: String(r.note ?? ''),
      reviewed_at: (r.reviewed_at as string | null) ?? null,
      suppressed: r.suppressed === true,
      metrics,
    };
  });
  return all.filter((f) => {
    if (opts.confirmedOnly) return f.state === 'confirmed';
    if (f.state === 'dismissed') return opts.includeDismissed === true;
    return f.state === 'confirmed' || !f.suppressed;
  });
}

/** Labels for the numbers detectors report; any other key is shown in words made from its name. */
const METRIC_LABELS: Record<string, string> = {
  who: 'Account',
  how: 'Protocol or client',
  attempts: 'Attempts',
  successes: 'Successful sign-ins',
  ok_users: 'Accounts that then signed in',
  failures: 'Failed attempts',
  users: 'Accounts',
  ips: 'IP addresses',
  ip: 'IP address',
  span_minutes: 'Duration',
  success_utc: 'First success (UTC)',
  denials: 'Denied MFA prompts',
  sign_ins: 'Sign-ins',
  broker: 'Through the Authentication Broker',
  countries: 'Countries',
  country_list: 'Countries',
  apps: 'Applications',
  app: 'Application',
  type: 'Access type',
  tenant: 'Home tenant',
  tenant_name: 'Home tenant name',
  cc: 'Country',
  city: 'City',
  usual_cc: 'Usual country',
  tenant_users: 'Users of the tenant in that country',
  baseline_from: 'Baseline from (UTC)',
  days_in: 'Days after the first sign-in',
  from_place: 'From',
  to_place: 'To',
  km: 'Distance (km)',
  kmh: 'Speed needed (km/h)',
  max_kmh: 'Speed limit (km/h)',
  margin_km: 'Location margin (km)',
  hours: 'Hours between',
  minutes: 'Minutes between',
  hops: 'Hops',
  switches: 'Country switches',
  fastest_minutes: 'Fastest switch (minutes)',
  token: 'Token or session',
  what: 'Identifier',
  blocks: 'Blocked sign-ins',
  events: 'Risk events',
  level: 'Risk level',
  max_level: 'Highest risk level',
};

const HIDDEN_METRICS = new Set(['finding_id', 'severity', 'row_count', 'row_ids', 'p_lat', 'p_lon', 'p_radius', 'p_row', 'p_time', 'p_place', 'prev_t', 'prev_cc', 'k']);

function words(key: string): string {
  const s = key.replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function metricValue(key: string, v: unknown): string {
  if (typeof v === 'boolean') return v ? 'Yes' : 'No';
  if (Array.isArray(v)) return v.map(String).join(', ');
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : null;
  if (n !== null && Number.isFinite(n)) {
    if (key.endsWith('minutes') && key !== 'minutes') return n < 1 ? 'under a minute' : n < 120 ? `${Math.round(n)} minutes` : `${(n / 60).toFixed(1)} hours`;
    return Number.isInteger(n) ? fmtInt(n) : n.toLocaleString('en-US', { maximumFractionDigits: 1 });
  }
  const s = String(v);
  const iso = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d+)?Z$/.exec(s);
  return iso ? `${iso[1]} ${iso[2]}` : s;
}

/** A finding's metrics as labelled human values (never raw JSON). */
export function metricList(metrics: Record<string, unknown>): string {
  const items = Object.entries(metrics).filter(([k, v]) => !HIDDEN_METRICS.has(k) && v !== null && v !== undefined && v !== '');
  if (!items.length) return '';
  items.sort(([a], [b]) => (METRIC_LABELS[a] ? 0 : 1) - (METRIC_LABELS[b] ? 0 : 1) || a.localeCompare(b));
  return `<dl class="summary metrics">${items.map(([k, v]) => `<dt>${esc(METRIC_LABELS[k] ?? words(k))}</dt><dd>${esc(metricValue(k, v))}</dd>`).join('')}</dl>`;
}

/** SQL that lists every row of a finding, for the analyst to run in the console or DuckDB. */
export function findingRowsListSql(id: string): string {
  return `SELECT s.*\nFROM signins s JOIN finding_rows r ON r.row_id = s.row_id\nWHERE r.finding_id = '${id.replace(/'/g, "''")}'\nORDER BY s.time_utc, s.row_id`;
}

const window = (f: { first_utc: string | null; last_utc: string | null }): string =>
  f.first_utc ? (f.first_utc === f.last_utc ? f.first_utc : `${f.first_utc} – ${f.last_utc}`) : '—';

/** The opening of the report: what happened, to whom, from where, when, and what the analyst did. */
export async function executiveSummary(db: Database, findings: ReportFinding[], done: { tags: number; tagged: number; notes: number; reviewed: number }): Promise<string> {
  const confirmed = findings.filter((f) => f.state === 'confirmed');
  const basis = confirmed.length ? confirmed : findings.slice(0, 5);
  const heading = confirmed.length
    ? `${fmtInt(confirmed.length)} confirmed finding${confirmed.length === 1 ? '' : 's'}`
    : basis.length
      ? `No finding has been reviewed yet; the ${basis.length === 1 ? 'top finding' : `top ${basis.length} findings`} by score`
      : 'No findings';
  if (!basis.length) {
    return `<div class="exec"><p class="lead">${esc(heading)}: the detectors found nothing to report in this case.</p>${doneLine(done)}</div>`;
  }
  const ids = basis.map((f) => f.id);
  const [agg] = await db.all<{ accounts: string[] | null; ips: string[] | null; countries: string[] | null; first: string | null; last: string | null; n: string }>(
    `SELECT list_sort(list_distinct(list(coalesce(nullif(s.user_principal_name, ''), nullif(s.user_id, ''), nullif(s.service_principal_name, ''))))) AS accounts,
       list_sort(list_distinct(list(nullif(s.ip_address, '')))) AS ips,
       list_sort(list_distinct(list(nullif(upper(trim(s.country)), '')))) AS countries,
       strftime(min(s.time_utc), '%Y-%m-%d %H:%M:%S') AS first, strftime(max(s.time_utc), '%Y-%m-%d %H:%M:%S') AS last,
       count(DISTINCT s.row_id) AS n
     FROM finding_rows r JOIN signins s ON s.row_id = r.row_id
     WHERE r.finding_id IN (${ids.map(() => '?').join(', ')})`,
    ids,
  );
  const list = (xs: string[] | null | undefined, max: number) =>
    !xs?.length ? '—' : `${xs.slice(0, max).map((x) => `<span class="token">${esc(x)}</span>`).join(', ')}${xs.length > max ? ` and ${fmtInt(xs.length - max)} more` : ''}`;
  const items = basis
    .map((f) => `<li><span class="sev ${esc(f.severity)}">${esc(f.severity)}</span> ${esc(f.title)} <span class="muted">(${esc(fmtInt(f.row_count))} rows, ${esc(window(f))} UTC)</span></li>`)
    .join('');
  return `<div class="exec">
<p class="lead">${esc(heading)}:</p>
<ul class="exec-findings">${items}</ul>
<dl class="summary">
<dt>Affected accounts (${esc(fmtInt(agg?.accounts?.length ?? 0))})</dt><dd>${list(agg?.accounts, 20)}</dd>
<dt>Source IP addresses (${esc(fmtInt(agg?.ips?.length ?? 0))})</dt><dd>${list(agg?.ips, 20)}</dd>
<dt>Countries</dt><dd>${list(agg?.countries, 30)}</dd>
<dt>Time window (UTC)</dt><dd>${esc(agg?.first ? `${agg.first} – ${agg.last}` : '—')}</dd>
<dt>Sign-in rows involved</dt><dd>${esc(fmtInt(Number(agg?.n ?? 0)))}</dd>
</dl>
${doneLine(done)}
</div>`;
}

function doneLine(done: { tags: number; tagged: number; notes: number; reviewed: number }): string {
  return `<p class="muted">What the analyst did: ${esc(fmtInt(done.reviewed))} finding review${done.reviewed === 1 ? '' : 's'}, ${esc(fmtInt(done.tagged))} tagged row${done.tagged === 1 ? '' : 's'} under ${esc(fmtInt(done.tags))} tag${done.tags === 1 ? '' : 's'}, ${esc(fmtInt(done.notes))} note${done.notes === 1 ? '' : 's'}.</p>`;
}

export function findingsTable(findings: ReportFinding[]): string {
  return table(
    ['Finding', 'Kind', 'Severity', 'Score', 'Review', 'Accounts', 'Rows', 'Window (UTC)'],
    findings.map((f) => [f.title, kindLabel(f.kind), f.severity, f.score, f.state, fmtInt(f.accounts), fmtInt(f.row_count), window(f)]),
    { numeric: [3, 5, 6], nowrap: [2, 7] },
  );
}

export async function findingCards(db: Database, findings: ReportFinding[], rowsPerFinding: number): Promise<string> {
  const out: string[] = [];
  for (const f of findings.slice(0, MAX_FINDING_CARDS)) {
    const rows = rowsPerFinding > 0
      ? await db.all<JsonRow>(
          `SELECT ${rowSelect()} FROM finding_rows r JOIN signins s ON s.row_id = r.row_id WHERE r.finding_id = ? ORDER BY s.time_utc, s.row_id LIMIT ${Math.floor(rowsPerFinding)}`,
          [f.id],
        )
      : [];
    const shown = rows.length
      ? `<p>${rows.length < f.row_count ? `The first ${esc(fmtInt(rows.length))} of ${esc(fmtInt(f.row_count))} rows` : `All ${esc(fmtInt(f.row_count))} rows`}; the SQL below lists them all.</p>${table(ROW_COLUMNS.map((c) => c.label), rows.map(rowCells), { numeric: [0, 7], nowrap: [1], mono: [3] })}`
      : `<p>${esc(fmtInt(f.row_count))} rows; the SQL below lists them.</p>`;
    const note = f.note ? `<p><strong>Review note${f.reviewed_at ? ` (${esc(f.reviewed_at)} UTC)` : ''}:</strong> ${esc(f.note)}</p>` : '';
    out.push(`<article class="finding ${esc(f.severity)}" id="f-${esc(f.id)}">
<h3>${esc(f.title)}</h3>
<p><span class="sev ${esc(f.severity)}">${esc(f.severity)}</span><span class="badge">score ${esc(f.score)}</span><span class="badge">${esc(kindLabel(f.kind))}</span><span class="badge">review: ${esc(f.state === 'open' ? 'not reviewed' : f.state)}</span>${f.suppressed ? '<span class="badge">suppressed</span>' : ''}<span class="badge mono">${esc(f.id)}</span></p>
<p>${esc(f.explanation)}</p>
${note}
${metricList(f.metrics)}
${shown}
<details><summary>SQL that lists every row of this finding</summary>${sqlBlock(findingRowsListSql(f.id))}</details>
</article>`);
  }
  if (findings.length > MAX_FINDING_CARDS) {
    out.push(`<p class="muted">${esc(fmtInt(findings.length - MAX_FINDING_CARDS))} more findings are listed in the table above; each one's rows are listed by <span class="mono">SELECT s.* FROM signins s JOIN finding_rows r ON r.row_id = s.row_id WHERE r.finding_id = '…'</span>.</p>`);
  }
  return out.join('\n');
}

/** Each detector's SQL once (a finding's rows are the detector's rows narrowed to its id). */
export function detectorSqlList(detectorSql: Map<string, string>): string {
  return [...detectorSql.entries()]
    .map(([kind, sql]) => `<details><summary>${esc(kindLabel(kind))} (${esc(kind)})</summary>${sqlBlock(sql)}</details>`)
    .join('\n');
}
