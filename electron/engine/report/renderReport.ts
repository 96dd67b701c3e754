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

/** Audit entries of report generation are left out so the same case gives the same report. */
export const REPORT_ACTION = 'report-generated';
/** Rows listed per finding / per tag section before the report says how many more there are. */
const ROW_LIMIT = 200;

interface Ctx {
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

async function summarySection(ctx: Ctx, audit: AuditRecord[]): Promise<string> {
  const m = ctx.session.manifest;
  const [t] = await q<{ n: string; first: string | null; last: string | null; users: string; ips: string }>(
    ctx,
    'Case totals and time span',
    `SELECT count(*) AS n,
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
    ['Sign-ins', esc(fmtInt(Number(t?.n ?? 0)))],
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
  const byType = await q<{ k: string | null; n: string }>(ctx, 'Sign-ins by log type', `SELECT log_type AS k, count(*) AS n FROM signins GROUP BY 1 ORDER BY 2 DESC, 1`);
  const byStatus = await q<{ k: string | null; n: string }>(ctx, 'Sign-ins by status', `SELECT status AS k, count(*) AS n FROM signins GROUP BY 1 ORDER BY 2 DESC, 1`);
  let rejected = '';
  if (ctx.tables.has('rejected_rows', 'source_file', 'reason')) {
    const rej = await q<{ f: string | null; reason: string | null; n: string }>(
      ctx,
      'Rejected records by source and reason',
      `SELECT source_file AS f, reason, count(*) AS n FROM rejected_rows GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT 100`,
    );
    rejected = `<h3>Rejected records</h3>${rej.length ? table(['Source file', 'Reason', 'Records'], rej.map((r) => [r.f, r.reason, fmtInt(Number(r.n))]), { numeric: [2] }) : '<p class="empty">None: every record became a sign-in row.</p>'}`;
  }
  const t = (rows: { k: string | null; n: string }[], label: string) =>
    rows.length ? table([label, 'Sign-ins'], rows.map((r) => [r.k ?? '(none)', fmtInt(Number(r.n))]), { numeric: [1] }) : '<p class="empty">No sign-ins.</p>';
  return section('counts', 'Counts by log type and status', `<h3>By log type</h3>${t(byType, 'Log type')}<h3>By status</h3>${t(byStatus, 'Status')}${rejected}`);
}

async function timelineSection(ctx: Ctx): Promise<string> {
  const fig = await timelineFigure(ctx.db);
  ctx.queries.push({ title: 'Figure 1: sign-ins over time', sql: fig.sql });
  return section(
    'timeline',
    'Timeline',
    `<figure>${fig.svg}<figcaption>Figure 1. Sign-ins per ${esc(fig.bucket)} (UTC), stacked by status. Reproduce with the SQL below.</figcaption></figure>${sqlBlock(fig.sql)}`,
  );
}

async function mapSection(ctx: Ctx): Promise<string> {
  const fig = await mapFigure(ctx.db);
  ctx.queries.push({ title: 'Figure 2: sign-in locations', sql: fig.sql });
  const top = fig.clusters.slice(0, 15).map((c) => [c.place || '(no place name)', `${c.lat}, ${c.lon}`, fmtInt(c.signins), fmtInt(c.failures), fmtInt(c.users)]);
  const placed = fig.clusters.reduce((n, c) => n + c.signins, 0);
  return section(
    'map',
    'Map',
    `<figure>${fig.svg}<figcaption>Figure 2. ${esc(fmtInt(placed))} sign-ins with coordinates from the logs, grouped on a one-degree grid (${esc(fmtInt(fig.clusters.length))} clusters); ${esc(fmtInt(fig.unplaced))} sign-ins have no usable coordinates and are not drawn. Circle area follows the number of sign-ins.</figcaption></figure>
${top.length ? `<h3>Largest clusters</h3>${table(['Place', 'Lat, lon', 'Sign-ins', 'Failed', 'Users'], top, { numeric: [2, 3, 4], mono: [1] })}` : ''}${sqlBlock(fig.sql)}`,
  );
}

function kv(row: JsonRow, skip: Set<string>): string {
  const keys = Object.keys(row)
    .filter((k) => !skip.has(k) && row[k] !== null && row[k] !== '')
    .sort();
  if (!keys.length) return '';
  return `<dl class="summary">${keys.map((k) => `<dt>${esc(k)}</dt><dd>${esc(row[k])}</dd>`).join('')}</dl>`;
}

async function findingRows(ctx: Ctx, findingId: string, label: string): Promise<string> {
  const sql = `SELECT ${rowSelect()}
FROM finding_rows f JOIN signins s ON s.row_id = f.row_id
WHERE f.finding_id = ?
ORDER BY s.time_utc, s.row_id
LIMIT ${ROW_LIMIT}`;
  const rows = await q(ctx, `Rows of finding ${label}`, sql, [findingId]);
  const total = Number(await ctx.db.scalar(`SELECT count(*) FROM finding_rows WHERE finding_id = ?`, [findingId]));
  if (!total) return '<p class="empty">No rows.</p>';
  const more = total > rows.length ? `<p class="muted">Showing the first ${fmtInt(rows.length)} of ${fmtInt(total)} rows; the SQL lists them all without the LIMIT.</p>` : '';
  return `<p>${esc(fmtInt(total))} row(s):</p>${table(
    ROW_COLUMNS.map((c) => c.label),
    rows.map(rowCells),
    { numeric: [0, 7], nowrap: [1] },
  )}${more}`;
}

const FINDING_SKIP = new Set([
  'finding_id', 'id', 'title', 'name', 'rule_name', 'severity', 'level', 'status', 'explanation', 'description', 'summary',
  'sql', 'query', 'detector_sql', 'evidence_sql', 'review_state', 'review_note', 'reviewed_at',
]);

function firstOf(r: JsonRow, keys: string[]): unknown {
  return keys.map((k) => r[k]).find((v) => v !== null && v !== undefined && v !== '');
}

async function findingCards(ctx: Ctx): Promise<string | null> {
  const t = ctx.tables;
  if (!t.has('findings')) return null;
  const idCol = t.pick('findings', ['finding_id', 'id']);
  if (!idCol) return null;
  const sev = t.has('findings', 'severity')
    ? `CASE lower(f.severity) WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 WHEN 'low' THEN 3 ELSE 4 END, `
    : '';
  const reviewed = t.has('finding_reviews', 'finding_id', 'state');
  const reviewCols = reviewed
    ? `, r.state AS review_state${t.has('finding_reviews', 'note') ? ', r.note AS review_note' : ''}${t.has('finding_reviews', 'reviewed_at') ? `, strftime(r.reviewed_at, '%Y-%m-%d %H:%M:%S') AS reviewed_at` : ''}`
    : '';
  const join = reviewed ? ` LEFT JOIN finding_reviews r ON r.finding_id = f.${idCol}` : '';
  const findings = await q(ctx, 'Findings', `SELECT f.*${reviewCols} FROM findings f${join} ORDER BY ${sev}f.${idCol}`);
  if (!findings.length) return null;
  const out: string[] = [];
  for (const f of findings) {
    const id = String(firstOf(f, ['finding_id', 'id']) ?? '');
    const title = String(firstOf(f, ['title', 'name', 'rule_name', 'kind']) ?? id);
    const severity = String(firstOf(f, ['severity', 'level']) ?? '');
    const review = firstOf(f, ['review_state', 'status']);
    const explanation = firstOf(f, ['explanation', 'description', 'summary']);
    const sql = firstOf(f, ['detector_sql', 'sql', 'query', 'evidence_sql']);
    const note = f.review_note ? `<p><strong>Review note${f.reviewed_at ? ` (${esc(f.reviewed_at)} UTC)` : ''}:</strong> ${esc(f.review_note)}</p>` : '';
    out.push(`<article class="finding ${esc(severity.toLowerCase())}">
<h3>${esc(title)}</h3>
<p>${severity ? `<span class="badge">severity: ${esc(severity)}</span>` : ''}<span class="badge">review: ${esc(review ?? 'not reviewed')}</span><span class="badge mono">${esc(id)}</span></p>
${explanation ? `<p>${esc(explanation)}</p>` : ''}
${note}
${kv(f, FINDING_SKIP)}
${sql ? `<h3>SQL</h3>${sqlBlock(String(sql))}` : ''}
${t.has('finding_rows') ? await findingRows(ctx, id, title) : ''}
</article>`);
  }
  return out.join('\n');
}

async function findingsSection(ctx: Ctx): Promise<string> {
  const cards = await findingCards(ctx);
  if (cards) {
    let thresholds = '';
    if (ctx.tables.has('finding_thresholds', 'key', 'value')) {
      const rows = await q<{ key: string; value: number }>(ctx, 'Detector thresholds', `SELECT key, value FROM finding_thresholds ORDER BY key`);
      if (rows.length) thresholds = `<h3>Detector thresholds in force</h3>${table(['Threshold', 'Value'], rows.map((r) => [r.key, r.value]), { numeric: [1], mono: [0] })}`;
    }
    return section('findings', 'Findings', cards + thresholds);
  }
  if (ctx.tables.has('finding_rows')) {
    const ids = await q<{ id: string; n: string }>(ctx, 'Findings (rows only)', `SELECT finding_id AS id, count(*) AS n FROM finding_rows GROUP BY 1 ORDER BY 1`);
    if (ids.length) {
      const parts: string[] = [];
      for (const f of ids) parts.push(`<article class="finding"><h3 class="mono">${esc(f.id)}</h3>${await findingRows(ctx, f.id, f.id)}</article>`);
      return section('findings', 'Findings', parts.join('\n'));
    }
  }
  return section('findings', 'Findings', '<p class="empty">No findings computed.</p>');
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
export async function renderReport(session: CaseSession, generatedAt: Date): Promise<string> {
  const ctx: Ctx = { session, db: session.db, tables: await CaseTables.load(session.db), queries: [] };
  const allAudit = await readAuditDb(session);
  const audit = allAudit.filter((a) => a.action !== REPORT_ACTION);
  const sections = [
    await summarySection(ctx, audit),
    sourcesSection(ctx),
    await countsSection(ctx),
    await timelineSection(ctx),
    await mapSection(ctx),
    await findingsSection(ctx),
    await annotationsSection(ctx),
    await savedQueriesSection(ctx),
    auditSection(audit),
  ];
  sections.push(reproduceSection(ctx));
  const toc = [
    ['summary', 'Case summary'],
    ['sources', 'Sources'],
    ['counts', 'Counts'],
    ['timeline', 'Timeline'],
    ['map', 'Map'],
    ['findings', 'Findings'],
    ['tagged', 'Tagged rows and notes'],
    ['queries', 'Saved queries'],
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
