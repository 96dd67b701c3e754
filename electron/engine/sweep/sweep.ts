import { createHash, randomUUID } from 'node:crypto';
import type { CaseSession } from '../case/caseSession';
import { appendAudit } from '../custody/audit';
import { toAlpha2 } from '../geo/countries';
import { ipKeySql } from '../query/ipAddress';
import { createTableSql } from '../schema/createTable';
import { parseIndicators, type IndicatorProblem, type IndicatorType } from './indicators';

// An IOC sweep: every indicator of a list matched against the case's sign-ins in DuckDB,
// with its hits kept in the case (sweep_hits), so that the grid can show an indicator's rows
// and the report can list the sweep. Addresses compare as numbers, identifiers exactly,
// `ua:` as a substring.

export interface IndicatorResult {
  line: number;
  indicator: string;
  type: IndicatorType;
  rows: number;
  users: number;
  successes: number;
  first_utc: string | null;
  last_utc: string | null;
}

export interface SweepResult {
  id: string;
  name: string;
  sha256: string;
  indicators: IndicatorResult[];
  problems: IndicatorProblem[];
  /** Distinct rows that matched any indicator. */
  rows: number;
  tagged: number;
  tag: string | null;
}

/** Identifier columns a bare GUID is compared with. */
export const GUID_COLUMNS = ['user_id', 'app_id', 'resource_id', 'request_id', 'correlation_id', 'session_id', 'service_principal_id', 'device_id'] as const;

export const SWEEP_TABLES: string[] = [
  createTableSql('sweeps', {
    id: 'VARCHAR PRIMARY KEY',
    name: 'VARCHAR NOT NULL',
    list_sha256: 'VARCHAR NOT NULL',
    indicators: 'JSON NOT NULL',
    problems: 'JSON NOT NULL',
    tag: 'VARCHAR',
    created_at: 'TIMESTAMP NOT NULL',
  }),
  `CREATE TABLE IF NOT EXISTS sweep_hits (sweep_id VARCHAR NOT NULL, indicator_line INTEGER NOT NULL, row_id BIGINT NOT NULL)`,
];

/** Run a sweep and keep its hits; with `tag`, every hit is tagged (the tag is made if missing). */
export async function runSweep(session: CaseSession, listText: string, opts: { name?: string; tag?: string | null } = {}): Promise<SweepResult> {
  session.requireWritable('running an IOC sweep (its hits are kept in the case)');
  const { indicators, problems } = parseIndicators(listText);
  const sha256 = createHash('sha256').update(listText, 'utf8').digest('hex');
  const id = randomUUID();
  const name = opts.name?.trim() || `Sweep of ${indicators.length} indicator${indicators.length === 1 ? '' : 's'}`;

  // The whole list goes in as one JSON parameter: one statement, however long the list.
  const listRows = indicators.map((x) => ({
    line: x.line,
    type: x.type,
    value: x.type === 'country' ? (x.value.length === 2 ? x.value.toUpperCase() : (toAlpha2(x.value) ?? x.value)) : x.value,
    first: x.range ? x.range.from.toString() : null,
    last: x.range ? x.range.to.toString() : null,
    v: x.range ? x.range.family : null,
  }));
  await session.db.run(
    `CREATE OR REPLACE TEMP TABLE sweep_ind AS
     SELECT j.line::INTEGER AS line, j.type::VARCHAR AS type, j.value::VARCHAR AS value, j.first::UHUGEINT AS first, j.last::UHUGEINT AS last, j.v::TINYINT AS v
     FROM (SELECT unnest(from_json(?::JSON, '[{"line":"INTEGER","type":"VARCHAR","value":"VARCHAR","first":"VARCHAR","last":"VARCHAR","v":"TINYINT"}]')) AS j)`,
    [JSON.stringify(listRows)],
  );

  const parts: string[] = [];
  if (indicators.some((x) => x.range)) {
    // Each distinct address of the case once, as a number (the `ip:` search's own reading,
    // so a sweep and a search agree): far fewer than rows.
    await session.db.run(
      `CREATE OR REPLACE TEMP TABLE sweep_ip AS SELECT ip, k.num AS n, k.fam AS v FROM (SELECT ip, ${ipKeySql('ip')} AS k FROM (SELECT DISTINCT ip_address AS ip FROM signins WHERE ip_address IS NOT NULL)) WHERE k IS NOT NULL`,
    );
    parts.push(`SELECT i.line, s.row_id FROM sweep_ind i JOIN sweep_ip k ON k.v = i.v AND k.n BETWEEN i.first AND i.last JOIN signins s ON s.ip_address = k.ip WHERE i.type IN ('ip', 'cidr')`);
  }
  parts.push(`SELECT i.line, s.row_id FROM sweep_ind i JOIN signins s ON lower(s.user_principal_name) = i.value WHERE i.type = 'upn'`);
  for (const c of GUID_COLUMNS) parts.push(`SELECT i.line, s.row_id FROM sweep_ind i JOIN signins s ON lower(s.${c}) = i.value WHERE i.type = 'guid'`);
  // A substring test cannot use a hash join: it runs on each distinct user agent (far fewer
  // than rows), and the rows follow by an equality join.
  parts.push(`SELECT m.line, s.row_id FROM (
      SELECT i.line, u.ua FROM (SELECT line, lower(value) AS needle FROM sweep_ind WHERE type = 'user_agent') i
      JOIN (SELECT DISTINCT user_agent AS ua, lower(user_agent) AS hay FROM signins WHERE user_agent IS NOT NULL) u ON contains(u.hay, i.needle)
    ) m JOIN signins s ON s.user_agent = m.ua`);
  parts.push(`SELECT i.line, s.row_id FROM sweep_ind i JOIN signins s ON lower(s.app_id) = i.value WHERE i.type = 'app'`);
  parts.push(`SELECT i.line, s.row_id FROM sweep_ind i JOIN signins s ON lower(s.app_display_name) = i.value WHERE i.type = 'app'`);
  parts.push(`SELECT i.line, s.row_id FROM sweep_ind i JOIN signins s ON s.autonomous_system_number = CAST(i.value AS BIGINT) WHERE i.type = 'asn'`);
  parts.push(`SELECT i.line, s.row_id FROM sweep_ind i JOIN signins s ON upper(trim(s.country)) = i.value WHERE i.type = 'country'`);

  await session.db.run('BEGIN TRANSACTION');
  try {
    await session.db.run(`INSERT INTO sweep_hits SELECT DISTINCT ?, line, row_id FROM (${parts.join('\nUNION ALL\n')})`, [id]);
    await session.db.run(`INSERT INTO sweeps VALUES (?, ?, ?, ?, ?, ?, now()::TIMESTAMP)`, [
      id,
      name,
      sha256,
      JSON.stringify(indicators.map((x) => ({ line: x.line, text: x.text, type: x.type }))),
      JSON.stringify(problems),
      opts.tag?.trim() || null,
    ]);
    await session.db.run('COMMIT');
  } catch (err) {
    await session.db.run('ROLLBACK');
    throw err;
  }

  const stats = await session.db.all<{ line: number; rows: string; users: string; ok: string; first: string | null; last: string | null }>(
    `SELECT h.indicator_line AS line, count(*) AS rows,
       count(DISTINCT lower(coalesce(nullif(s.user_principal_name, ''), nullif(s.user_id, ''), nullif(s.service_principal_name, '')))) AS users,
       count(*) FILTER (WHERE s.status = 'success') AS ok,
       strftime(min(s.time_utc), '%Y-%m-%dT%H:%M:%SZ') AS first, strftime(max(s.time_utc), '%Y-%m-%dT%H:%M:%SZ') AS last
     FROM sweep_hits h JOIN signins s ON s.row_id = h.row_id WHERE h.sweep_id = ? GROUP BY 1`,
    [id],
  );
  const byLine = new Map(stats.map((s) => [Number(s.line), s]));
  const results: IndicatorResult[] = indicators.map((x) => {
    const s = byLine.get(x.line);
    return {
      line: x.line,
      indicator: x.text,
      type: x.type,
      rows: Number(s?.rows ?? 0),
      users: Number(s?.users ?? 0),
      successes: Number(s?.ok ?? 0),
      first_utc: s?.first ?? null,
      last_utc: s?.last ?? null,
    };
  });
  const rows = Number(await session.db.scalar(`SELECT count(DISTINCT row_id) FROM sweep_hits WHERE sweep_id = ?`, [id]));

  let tagged = 0;
  const tag = opts.tag?.trim() || null;
  if (tag) tagged = await tagHits(session, id, tag);
  await appendAudit(session, {
    action: 'ioc.sweep',
    detail: { sweepId: id, name, listSha256: sha256, indicators: indicators.length, badLines: problems.map((p) => p.line), rows, tag, tagged },
    tables: tag ? ['sweeps', 'sweep_hits', 'tags', 'row_tags'] : ['sweeps', 'sweep_hits'],
  });
  session.changed();
  return { id, name, sha256, indicators: results, problems, rows, tagged, tag };
}

/** Tag every row a sweep hit; returns how many rows were newly tagged. */
async function tagHits(session: CaseSession, sweepId: string, name: string): Promise<number> {
  let tagId = await session.db.scalar(`SELECT tag_id FROM tags WHERE lower(name) = lower(?)`, [name]);
  if (tagId === undefined || tagId === null) {
    tagId = Number(await session.db.scalar(`SELECT coalesce(max(tag_id), 0) + 1 FROM tags`));
    await session.db.run(`INSERT INTO tags VALUES (?, ?, ?, now()::TIMESTAMP)`, [Number(tagId), name, '#c0392b']);
  }
  const before = Number(await session.db.scalar(`SELECT count(*) FROM row_tags WHERE tag_id = ?`, [Number(tagId)]));
  await session.db.run(
    `INSERT INTO row_tags (row_id, tag_id, tagged_at) SELECT DISTINCT row_id, ?, now()::TIMESTAMP FROM sweep_hits WHERE sweep_id = ? ON CONFLICT DO NOTHING`,
    [Number(tagId), sweepId],
  );
  return Number(await session.db.scalar(`SELECT count(*) FROM row_tags WHERE tag_id = ?`, [Number(tagId)])) - before;
}

export interface SweepSummary {
  id: string;
  name: string;
  sha256: string;
  indicators: number;
  rows: number;
  tag: string | null;
  createdAt: string;
}

export async function listSweeps(session: CaseSession): Promise<SweepSummary[]> {
  const rows = await session.db.all<{ id: string; name: string; list_sha256: string; n: string; rows: string; tag: string | null; created_at: string }>(
    `SELECT w.id, w.name, w.list_sha256, json_array_length(w.indicators) AS n,
       (SELECT count(DISTINCT row_id) FROM sweep_hits h WHERE h.sweep_id = w.id) AS rows, w.tag,
       strftime(w.created_at, '%Y-%m-%dT%H:%M:%SZ') AS created_at
     FROM sweeps w ORDER BY w.created_at, w.id`,
  );
  return rows.map((r) => ({ id: r.id, name: r.name, sha256: r.list_sha256, indicators: Number(r.n), rows: Number(r.rows), tag: r.tag, createdAt: r.created_at }));
}
