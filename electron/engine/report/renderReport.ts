import type { CaseSession } from '../case/caseSession';
import type { Database, JsonRow } from '../db/database';
import { quoteIdent } from '../db/database';
import { APP_VERSION } from '../../appVersion';
import { readAuditDb, type AuditRecord } from '../custody/audit';
import { esc, fmtInt, sqlBlock, table } from './html';
import { CaseTables, ROW_COLUMNS, rowCells, rowSelect, type ReportQuery } from './reportData';
import { REPORT_CSS } from './reportStyles';
import { timelineFigure } from './timelineSvg';
import { mapFigure } from './worldMapSvg';
import { ensureFindings } from '../findings/compute';
import { DETECTORS } from '../findings/detectors';
import { loadThresholds } from '../findings/thresholdStore';
import { THRESHOLDS } from '../findings/thresholds';
import {
  DEFAULT_ROWS_PER_FINDING,
  detectorSqlList,
  executiveSummary,
  findingCards,
  findingsTable,
  reportFindings,
  type ReportFinding,
  type ReportOptions,
} from './findingsReport';
import { viewsSection } from './viewsSection';

/** Where a report is (section i of n, with its name), and the signal that stops it between sections. */
export interface ReportRunControl {
  signal?: AbortSignal;
  progress?(step: { index: number; total: number; name: string }): void;
}

/** A report stopped by its signal: nothing was written. */
export class ReportCancelledError extends Error {
  constructor() {
    super('Report cancelled; no file was written');
  }
}

/** Audit entries of report generation are left out so the same case gives the same report. */
export const REPORT_ACTION = 'report-generated';

interface Ctx {
  /** Why findings could not be brought up to date (a read-only case, say). */
  findingsError: string | null;
  session: CaseSession;
  db: Database;
  tables: CaseTables;
  queries: ReportQuery[];
}

async function q<T extends JsonRow = JsonRow>(ctx: Ctx, title: string, sql: string, params: (string | number)[] = []): Promise<T[]> {
  if (title) ctx.queries.push({ title, sql: params.length ? `${sql}\n-- parameters: ${params.map((p) => JSON.stringify(p)).join(', ')}` : sql });
  return ctx.db.all<T>(sql, params);
}

function section(id: string, title: string, body: string): string {
  return `<section id="${id}">\n<h2>${esc(title)}</h2>\n${body}\n</section>`;
}

/** Sign-ins a row stands for: a grouped portal row ("# Sign-ins") is several; cases from before the column count rows. */
function signIns(ctx: Ctx): string {
  return ctx.tables.has('signins', 'sign_in_count') ? 'coalesce(sign_in_count, 1)' : '1';
}

function signInsText(signIns: number, rows: number): string {
  return signIns === rows ? fmtInt(signIns) : `${fmtInt(signIns)} in ${fmtInt(rows)} rows (grouped rows stand for several sign-ins)`;
}

async function summarySection(ctx: Ctx, audit: AuditRecord[]): Promise<string> {
  const m = ctx.session.manifest;
  const [t] = await q<{ n: string; rows: string; first: string | null; last: string | null; users: string; ips: string }>(
    ctx,
    'Case totals and time span',
    `SELECT sum(${signIns(ctx)}) AS n, count(*) AS rows,
       strftime(min(time_utc), '%Y-%m-%d %H:%M:%S') AS first,
       strftime(max(time_utc), '%Y-%m-%d %H:%M:%S') AS last,
       count(DISTINCT user_principal_name) AS users,
       count(DISTINCT ip_address) AS ips
FROM signins`,
  );
  const head = audit.at(-1);
  const items: [string, string][] = [
    ['Case', esc(m.name)],
    ['Case folder', `<span class="mono">${esc(ctx.session.dir)}</span>`],
    ['Created', `${esc(m.createdAt)} (Signet ${esc(m.appVersion)})`],
    ['Report written by', `Signet ${esc(APP_VERSION)}`],
    ['Sign-ins', esc(signInsText(Number(t?.n ?? 0), Number(t?.rows ?? 0)))],
    ['First sign-in (UTC)', esc(t?.first ?? '—')],
    ['Last sign-in (UTC)', esc(t?.last ?? '—')],
    ['Distinct users / IP addresses', `${esc(fmtInt(Number(t?.users ?? 0)))} / ${esc(fmtInt(Number(t?.ips ?? 0)))}`],
    ['Sources', esc(fmtInt(m.sources.length))],
    ['Audit log', head ? `${esc(fmtInt(audit.length))} entries shown, last seq ${esc(head.seq)}, hash <span class="mono">${esc(head.hash)}</span>` : 'empty'],
    ['Audit chain head', head ? `<span class="mono">${esc(head.hash)}</span> (seq ${esc(head.seq)}): record it on receipt; <span class="mono">signet verify --case DIR --expect-head ${esc(head.hash)}</span> fails if the chain is later cut back or rewritten` : '—'],
  ];
  return section('summary', 'Case summary', `<dl class="summary">${items.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join('')}</dl>`);
}

function sourcesSection(ctx: Ctx): string {
  const rows = ctx.session.manifest.sources.map((s) => [
    s.id,
    s.entry ? `${s.name}!${s.entry}` : s.name,
    s.path,
    fmtInt(s.bytes),
    s.sha256,
    s.shape,
    s.logType ?? '',
    fmtInt(s.read),
    fmtInt(s.imported),
    fmtInt(s.duplicates),
    fmtInt(s.rejected),
    s.importedAt,
  ]);
  const body = rows.length
    ? table(['#', 'Name', 'Path at import', 'Bytes', 'SHA-256', 'Shape', 'Log type', 'Read', 'Imported', 'Duplicates', 'Rejected', 'Imported at (UTC)'], rows, {
        mono: [2, 4],
        numeric: [0, 3, 7, 8, 9, 10],
      })
    : '<p class="empty">No sources imported.</p>';
  const errs = ctx.session.manifest.sources.flatMap((s) => s.errors.map((e) => [s.name, e]));
  const errTable = errs.length ? `<h3>Import messages</h3>${table(['Source', 'Message'], errs)}` : '';
  return section(
    'sources',
    'Sources',
    `<p>Each source was hashed (SHA-256) when imported and was opened read-only; <span class="mono">signet verify</span> re-hashes them. Read = imported + duplicates + rejected.</p>${body}${errTable}`,
  );
}

async function countsSection(ctx: Ctx): Promise<string> {
  const byType = await q<{ k: string | null; n: string }>(ctx, 'Sign-ins by log type', `SELECT log_type AS k, sum(${signIns(ctx)}) AS n FROM signins GROUP BY 1 ORDER BY 2 DESC, 1`);
  const byStatus = await q<{ k: string | null; n: string }>(ctx, 'Sign-ins by status', `SELECT status AS k, sum(${signIns(ctx)}) AS n FROM signins GROUP BY 1 ORDER BY 2 DESC, 1`);
  let rejected = '';
  if (ctx.tables.has('rejected_rows', 'source_file', 'reason')) {
    const rej = await q<{ f: string | null; reason: string | null; n: string }>(
      ctx,
      'Rejected records by source and reason',
      `SELECT source_file AS f, reason, count(*) AS n FROM rejected_rows GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT 100`,
    );
    rejected = `<h3>Rejected records</h3>${rej.length ? table(['Source file', 'Reason', 'Records'], rej.map((r) => [r.f, r.reason, fmtInt(Number(r.n))]), { numeric: [2] }) : '<p class="empty">None: every record became a sign-in row.</p>'}`;
  }
  let conflicts = '';
  if (ctx.tables.has('row_conflicts', 'row_id', 'column')) {
    const c = await q<{ rows: string; values: string }>(ctx, 'Rows with conflicting copies', `SELECT count(DISTINCT row_id) AS rows, count(*) AS values FROM row_conflicts`);
    conflicts = `<p>Rows whose copies in other files or shapes disagree: ${fmtInt(Number(c[0]?.rows ?? 0))} (${fmtInt(Number(c[0]?.values ?? 0))} differing values, table row_conflicts).</p>`;
  }
  const t = (rows: { k: string | null; n: string }[], label: string) =>
    rows.length ? table([label, 'Sign-ins'], rows.map((r) => [r.k ?? '(none)', fmtInt(Number(r.n))]), { numeric: [1] }) : '<p class="empty">No sign-ins.</p>';
  return section('counts', 'Counts by log type and status', `<h3>By log type</h3>${t(byType, 'Log type')}<h3>By status</h3>${t(byStatus, 'Status')}${conflicts}${rejected}`);
}

async function timelineSection(ctx: Ctx): Promise<string> {
  const fig = await timelineFigure(ctx.db, signIns(ctx));
  ctx.queries.push({ title: 'Figure 1: sign-ins over time', sql: fig.sql });
  return section(
    'timeline',
    'Timeline',
    `<figure>${fig.svg}<figcaption>Figure 1. Sign-ins per ${esc(fig.bucket)} (UTC), stacked by status. Reproduce with the SQL below.</figcaption></figure>${sqlBlock(fig.sql)}`,
  );
}

async function mapSection(ctx: Ctx): Promise<string> {
  const fig = await mapFigure(ctx.db, ctx.session.dataVersion);
  ctx.queries.push({ title: 'Figure 2: sign-in locations', sql: fig.sql });
  const top = fig.clusters.slice(0, 15).map((c) => [c.place || '(no place name)', c.precision, `${c.lat}, ${c.lon}`, fmtInt(c.signins), fmtInt(c.failures), fmtInt(c.users)]);
  const placed = fig.clusters.reduce((n, c) => n + c.signins, 0);
  const how = fig.byPrecision.filter((p) => p.precision !== 'unknown').map((p) => `${fmtInt(p.count)} by ${PRECISION_WORDS[p.precision] ?? p.precision}`).join(', ');
  return section(
    'map',
    'Map',
    `<figure>${fig.svg}<figcaption>Figure 2. ${esc(fmtInt(placed))} sign-ins placed as on the app's map${how ? ` (${esc(how)})` : ''}, in ${esc(fmtInt(fig.clusters.length))} places; ${esc(fmtInt(fig.unplaced))} sign-ins could not be placed (no coordinates, city, country or enrichment) and are not drawn. Circle area follows the number of sign-ins.</figcaption></figure>
${top.length ? `<h3>Largest places</h3>${table(['Place', 'Placed by', 'Lat, lon', 'Sign-ins', 'Failed', 'Users'], top, { numeric: [3, 4, 5], mono: [2] })}` : ''}${sqlBlock(fig.sql)}`,
  );
}

const PRECISION_WORDS: Record<string, string> = {
  coordinates: 'coordinates in the log',
  city: 'city (gazetteer)',
  country: 'country centroid',
  enriched: 'IP enrichment',
};

async function findingsSection(ctx: Ctx, findings: ReportFinding[], opts: ReportOptions): Promise<string> {
  if (ctx.findingsError) return section('findings', 'Findings', `<p class="empty">${esc(ctx.findingsError)}</p>`);
  const scope = opts.confirmedOnly
    ? 'Only findings an analyst confirmed are listed.'
    : `Findings are listed by score (kind, whether the attacker got in, breadth, privileged targets; see the scoring in Signet's documentation)${opts.includeDismissed ? '; dismissed findings are included' : '; dismissed and suppressed findings are left out'}.`;
  if (!findings.length) return section('findings', 'Findings', `<p>${esc(scope)}</p><p class="empty">No findings to list.</p>`);
  const t = await loadThresholds(ctx.session);
  const detectorSql = new Map<string, string>();
  for (const d of DETECTORS) if (findings.some((f) => f.kind === d.kind)) detectorSql.set(d.kind, await d.sql(t, ctx.db, ctx.session.dataVersion));
  const thresholds = THRESHOLDS.map((x) => [x.label, x.key, t[x.key] ?? x.default]);
  return section(
    'findings',
    'Findings',
    `<p>${esc(scope)}</p>
${findingsTable(findings)}
${await findingCards(ctx.db, findings, opts.rowsPerFinding ?? DEFAULT_ROWS_PER_FINDING)}
<h3>Detectors</h3><p>Each finding's rows are what its detector's SQL returns for the finding's id.</p>
${detectorSqlList(detectorSql)}
<details><summary>Detector thresholds in force</summary>${table(['Threshold', 'Key', 'Value'], thresholds, { numeric: [2], mono: [1] })}</details>`,
  );
}

async function analystWork(ctx: Ctx): Promise<{ tags: number; tagged: number; notes: number; reviewed: number }> {
  const n = async (table: string, sql: string) => (ctx.tables.has(table) ? Number(await ctx.db.scalar(sql)) : 0);
  return {
    tags: await n('tags', 'SELECT count(*) FROM tags'),
    tagged: await n('row_tags', 'SELECT count(DISTINCT row_id) FROM row_tags'),
    notes: await n('row_notes', 'SELECT count(*) FROM row_notes'),
    reviewed: await n('finding_reviews', 'SELECT count(*) FROM finding_reviews'),
  };
}

async function sweepsSection(ctx: Ctx): Promise<string> {
  if (!ctx.tables.has('sweeps', 'list_sha256')) return section('sweeps', 'IOC sweeps', '<p class="empty">No IOC sweep was run on this case.</p>');
  const rows = await q<{ name: string; created: string; sha: string; n: string; hits: string; tag: string | null; indicators: string }>(
    ctx,
    'IOC sweeps',
    `SELECT w.name, strftime(w.created_at, '%Y-%m-%d %H:%M:%S') AS created, w.list_sha256 AS sha, json_array_length(w.indicators) AS n,
       (SELECT count(DISTINCT h.row_id) FROM sweep_hits h WHERE h.sweep_id = w.id) AS hits, w.tag, CAST(w.indicators AS VARCHAR) AS indicators
FROM sweeps w ORDER BY w.created_at, w.id`,
  );
  if (!rows.length) return section('sweeps', 'IOC sweeps', '<p class="empty">No IOC sweep was run on this case.</p>');
  const body = rows
    .map((r) => {
      const list = (JSON.parse(r.indicators) as { text: string; type: string }[]).map((x) => [x.text, x.type]);
      return `<h3>${esc(r.name)}</h3><p>Run ${esc(r.created)} UTC over ${esc(fmtInt(Number(r.n)))} indicators; ${esc(fmtInt(Number(r.hits)))} sign-ins hit${r.tag ? `, tagged “${esc(r.tag)}”` : ''}. List SHA-256 <span class="mono">${esc(r.sha)}</span>.</p>
<details><summary>Indicators</summary>${table(['Indicator', 'Type'], list, { mono: [0] })}</details>`;
    })
    .join('\n');
  return section('sweeps', 'IOC sweeps', body);
}

async function annotationsSection(ctx: Ctx): Promise<string> {
  const t = ctx.tables;
  const hasTags = t.has('tags', 'tag_id', 'name') && t.has('row_tags', 'row_id', 'tag_id');
  const hasNotes = t.has('row_notes', 'row_id', 'text');
  if (!hasTags && !hasNotes) return section('tagged', 'Tagged rows and notes', '<p class="empty">This case has no tags or notes.</p>');
  const parts: string[] = [];
  const ids: string[] = [];
  if (hasTags) ids.push('SELECT row_id FROM row_tags');
  if (hasNotes) ids.push('SELECT row_id FROM row_notes');
  const tagsExpr = hasTags ? `(SELECT string_agg(t.name, ', ' ORDER BY t.name) FROM row_tags rt JOIN tags t ON t.tag_id = rt.tag_id WHERE rt.row_id = s.row_id)` : 'NULL';
  const notesExpr = hasNotes ? `(SELECT string_agg(n.text, ' | ' ORDER BY n.created_at, n.text) FROM row_notes n WHERE n.row_id = s.row_id)` : 'NULL';
  const sql = `SELECT ${rowSelect()}, ${tagsExpr} AS tags, ${notesExpr} AS notes
FROM signins s
WHERE s.row_id IN (${ids.join(' UNION ')})
ORDER BY s.time_utc, s.row_id`;
  const rows = await q(ctx, 'Tagged rows and notes', sql);
  if (hasTags) {
    const summary = await q<{ name: string; color: string; n: string }>(
      ctx,
      'Tags',
      `SELECT t.name, t.color, count(rt.row_id) AS n FROM tags t LEFT JOIN row_tags rt ON rt.tag_id = t.tag_id GROUP BY 1, 2 ORDER BY 1`,
    );
    if (summary.length) parts.push(table(['Tag', 'Colour', 'Rows'], summary.map((s) => [s.name, s.color, fmtInt(Number(s.n))]), { numeric: [2] }));
  }
  parts.push(
    rows.length
      ? table(
          [...ROW_COLUMNS.map((c) => c.label), 'Tags', 'Notes'],
          rows.map((r) => [...rowCells(r), r.tags, r.notes]),
          { numeric: [0, 7], nowrap: [1] },
        )
      : '<p class="empty">No rows are tagged or annotated.</p>',
  );
  return section('tagged', 'Tagged rows and notes', parts.join('\n'));
}

async function savedQueriesSection(ctx: Ctx): Promise<string> {
  if (!ctx.tables.has('saved_queries', 'name', 'sql')) return section('queries', 'Saved queries', '<p class="empty">This case has no saved queries.</p>');
  const desc = ctx.tables.has('saved_queries', 'description') ? 'description' : 'NULL';
  const rows = await q<{ name: string; sql: string; description: string | null }>(
    ctx,
    'Saved queries',
    `SELECT name, sql, ${desc} AS description FROM saved_queries ORDER BY name`,
  );
  if (!rows.length) return section('queries', 'Saved queries', '<p class="empty">This case has no saved queries.</p>');
  return section('queries', 'Saved queries', rows.map((r) => `<h3>${esc(r.name)}</h3>${r.description ? `<p>${esc(r.description)}</p>` : ''}${sqlBlock(r.sql)}`).join('\n'));
}

function auditSection(audit: AuditRecord[]): string {
  const rows = audit.map((a) => [a.seq, a.time, a.user, a.version, a.action, a.detail, a.hash]);
  // Report-generation entries are left out (the log itself keeps them) so that producing
  // the report does not change the next one.
  const note = `<p>Each entry's hash is SHA-256 over (seq, time, user, version, action, detail, previous hash); <span class="mono">signet verify</span> recomputes the chain and compares the case database with <span class="mono">audit.jsonl</span>. Entries recording the generation of reports are kept in the log but not listed here, so regenerating the report does not change it.</p>`;
  return section(
    'audit',
    'Audit log',
    note + (rows.length ? table(['Seq', 'Time (UTC)', 'User', 'Version', 'Action', 'Detail', 'Hash'], rows, { mono: [5, 6], numeric: [0], nowrap: [1] }) : '<p class="empty">The audit log is empty.</p>'),
  );
}

function reproduceSection(ctx: Ctx): string {
  const items = ctx.queries.map((qq, i) => `<h3>${i + 1}. ${esc(qq.title)}</h3>${sqlBlock(qq.sql)}`).join('\n');
  return section(
    'reproduce',
    'How to reproduce',
    `<p>Every figure and table above comes from the case database <span class="mono">case.duckdb</span> in the case folder. Open it read-only with any DuckDB (for example <span class="mono">duckdb -readonly case.duckdb</span>) or in Signet's SQL tab and run the statements below; the counts will match. Time stamps are UTC.</p>${items}`,
  );
}

/**
 * The whole report as one self-contained HTML document: inline CSS and inline SVG, no
 * scripts, no external references. Everything except the generation-time line is a pure
 * function of the case, so regenerating an unchanged case gives the same bytes.
 */
export async function renderReport(session: CaseSession, generatedAt: Date, opts: ReportOptions = {}, control: ReportRunControl = {}): Promise<string> {
  const { signal } = control;
  // Findings first (computed if stale), then one step per section.
  const parts: [string, (findings: ReportFinding[], done: Awaited<ReturnType<typeof analystWork>>) => Promise<string> | string][] = [
    ['Executive summary', async (findings, done) => section('executive', 'Executive summary', findingsError ? `<p class="empty">${esc(findingsError)}</p>` : await executiveSummary(session.db, findings, done))],
    ['Case summary', () => summarySection(ctx, audit)],
    ['Sources', () => sourcesSection(ctx)],
    ['Counts', () => countsSection(ctx)],
    ['Timeline', () => timelineSection(ctx)],
    ['Map', () => mapSection(ctx)],
    ['Findings', (findings) => findingsSection(ctx, findings, opts)],
    ['IOC sweeps', () => sweepsSection(ctx)],
    ['Tagged rows and notes', () => annotationsSection(ctx)],
    ['Saved queries', () => savedQueriesSection(ctx)],
    ['Saved views and colour rules', () => viewsSection(ctx.db, ctx.tables, (title, sql) => ctx.queries.push({ title, sql }))],
    ['Audit log', () => auditSection(audit)],
  ];
  const total = parts.length + 1;
  const step = (index: number, name: string): void => {
    if (signal?.aborted) throw new ReportCancelledError();
    control.progress?.({ index, total, name });
  };
  step(0, 'Bringing the findings up to date');
  let findingsError: string | null = null;
  try {
    await ensureFindings(session, signal ? { signal } : {});
  } catch (err) {
    if (signal?.aborted) throw new ReportCancelledError();
    findingsError = `Findings could not be computed for this report: ${err instanceof Error ? err.message : String(err)}`;
  }
  const ctx: Ctx = { session, db: session.db, tables: await CaseTables.load(session.db), queries: [], findingsError };
  const allAudit = await readAuditDb(session);
  const audit = allAudit.filter((a) => a.action !== REPORT_ACTION);
  const findings = findingsError ? [] : await reportFindings(session.db, opts);
  const done = await analystWork(ctx);
  const sections: string[] = [];
  for (const [i, [name, render]] of parts.entries()) {
    step(i + 1, name);
    sections.push(await render(findings, done));
  }
  sections.push(reproduceSection(ctx));
  const toc = [
    ['executive', 'Executive summary'],
    ['summary', 'Case summary'],
    ['sources', 'Sources'],
    ['counts', 'Counts'],
    ['timeline', 'Timeline'],
    ['map', 'Map'],
    ['findings', 'Findings'],
    ['sweeps', 'IOC sweeps'],
    ['tagged', 'Tagged rows and notes'],
    ['queries', 'Saved queries'],
    ['views', 'Saved views and colour rules'],
    ['audit', 'Audit log'],
    ['reproduce', 'How to reproduce'],
  ]
    .map(([id, label]) => `<li><a href="#${id}">${esc(label)}</a></li>`)
    .join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(`Signet case report: ${session.manifest.name}`)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
<h1>${esc(`Case report: ${session.manifest.name}`)}</h1>
<p class="generated">Generated ${esc(generatedAt.toISOString())} (UTC)</p>
<nav class="toc"><ol>${toc}</ol></nav>
${sections.join('\n')}
</main>
</body>
</html>
`;
}
