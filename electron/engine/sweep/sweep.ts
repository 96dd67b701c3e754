import { createHash, randomUUID } from 'node:crypto';
import type { CaseSession } from '../case/caseSession';
import { appendAudit } from '../custody/audit';
import { parseIndicators, type IndicatorProblem, type IndicatorType } from './indicators';
import { loadIndicators, matchParts, MATCH_TEMP_TABLES } from './matchSql';

// An IOC sweep: every indicator of a list matched against the case's sign-ins in DuckDB,
// with its hits kept in the case (sweep_hits), so that the grid can show an indicator's rows
// and the report can list the sweep. Addresses compare as numbers, identifiers exactly,
// `ua:` as a substring; the matching itself is in matchSql.

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

export const SWEEP_TABLES: string[] = [
  `CREATE TABLE IF NOT EXISTS sweeps (
    id VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    list_sha256 VARCHAR NOT NULL,
    indicators JSON NOT NULL,
    problems JSON NOT NULL,
    tag VARCHAR,
    created_at TIMESTAMP NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS sweep_hits (sweep_id VARCHAR NOT NULL, indicator_line INTEGER NOT NULL, row_id BIGINT NOT NULL)`,
];

/** Run a sweep and keep its hits; with `tag`, every hit is tagged (the tag is made if missing). */
export async function runSweep(session: CaseSession, listText: string, opts: { name?: string; tag?: string | null } = {}): Promise<SweepResult> {
  session.requireWritable('running an IOC sweep (its hits are kept in the case)');
  const { indicators, problems } = parseIndicators(listText);
  const sha256 = createHash('sha256').update(listText, 'utf8').digest('hex');
  const id = randomUUID();
  const name = opts.name?.trim() || `Sweep of ${indicators.length} indicator${indicators.length === 1 ? '' : 's'}`;

  await loadIndicators(session, indicators);
  const present = new Set(indicators.map((x) => x.type));
  const parts = await matchParts(session, present);

  // Every hit once, as (indicator line, row); each part gives a pair at most once (see
  // matchParts), so the union needs no DISTINCT over the whole set.
  await session.db.run(`CREATE OR REPLACE TEMP TABLE sweep_match AS ${parts.length ? parts.join('\nUNION ALL\n') : 'SELECT NULL::INTEGER AS line, NULL::BIGINT AS row_id WHERE false'}`);
  await session.db.run('BEGIN TRANSACTION');
  try {
    await session.db.run(`INSERT INTO sweep_hits SELECT ?, line, row_id FROM sweep_match`, [id]);
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

  // One aggregate for every indicator's figures. The account is lower-cased per (indicator,
  // spelling) group, not per row: far fewer groups than hits.
  const stats = await session.db.all<{ line: number; rows: string; users: string; ok: string; first: string | null; last: string | null }>(
    `WITH g AS (
       SELECT m.line, coalesce(nullif(s.user_principal_name, ''), nullif(s.user_id, ''), nullif(s.service_principal_name, '')) AS who,
         count(*) AS n, count(*) FILTER (WHERE s.status = 'success') AS ok, min(s.time_utc) AS first, max(s.time_utc) AS last
       FROM sweep_match m JOIN signins s ON s.row_id = m.row_id GROUP BY ALL)
     SELECT line, sum(n) AS rows, count(DISTINCT lower(who)) AS users, sum(ok) AS ok,
       strftime(min(first), '%Y-%m-%dT%H:%M:%SZ') AS first, strftime(max(last), '%Y-%m-%dT%H:%M:%SZ') AS last
     FROM g GROUP BY line`,
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
  const rows = await distinctRows(session);
  for (const t of MATCH_TEMP_TABLES) await session.db.run(`DROP TABLE IF EXISTS ${t}`);

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

/** Rows that any indicator hit. */
async function distinctRows(session: CaseSession): Promise<number> {
  const span = await session.db.one<{ lo: string | null; hi: string | null }>(`SELECT min(row_id) AS lo, max(row_id) AS hi FROM sweep_match`);
  if (span?.lo == null || span.hi == null) return 0;
  const [lo, hi] = [BigInt(span.lo), BigInt(span.hi)];
  // Row ids are dense, so one bit per id in their span counts them without hashing each hit;
  // a span too wide for that (ids far apart) counts by hashing.
  if (hi - lo > 100_000_000n) return Number(await session.db.scalar(`SELECT count(DISTINCT row_id) FROM sweep_match`));
  return Number(await session.db.scalar(`SELECT bit_count(bitstring_agg(row_id, ${lo}, ${hi})) FROM sweep_match`));
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
