import type { CaseSession } from '../case/caseSession';
import { QUERY_HISTORY_TABLE, SAVED_QUERIES_TABLE } from './schema';
import type { QueryOutcome } from './sqlConsole';

export interface HistoryEntry {
  id: number;
  ranAt: string;
  sql: string;
  outcome: QueryOutcome;
  rows: number | null;
  durationMs: number;
  message: string | null;
}

export interface SavedQuery {
  id: number;
  name: string;
  sql: string;
  description: string | null;
  createdAt: string;
  updatedAt: string;
}

const ISO = `'%Y-%m-%dT%H:%M:%S.%gZ'`;

/** History and saved queries live in the case, so they travel with it. */
export async function addHistory(session: CaseSession, e: Omit<HistoryEntry, 'id' | 'ranAt'>): Promise<void> {
  await session.db.run(
    `INSERT INTO ${QUERY_HISTORY_TABLE} (id, ran_at, sql, outcome, rows, duration_ms, message)
     SELECT coalesce(max(id), 0) + 1, now()::TIMESTAMP, ?, ?, ?, ?, ? FROM ${QUERY_HISTORY_TABLE}`,
    [e.sql, e.outcome, e.rows, e.durationMs, e.message],
  );
}

export async function listHistory(session: CaseSession, limit: number, search?: string): Promise<HistoryEntry[]> {
  const rows = await session.db.all(
    `SELECT id, strftime(ran_at, ${ISO}) AS ran_at, sql, outcome, rows, duration_ms, message FROM ${QUERY_HISTORY_TABLE}
     WHERE ? IS NULL OR sql ILIKE '%' || ? || '%' ORDER BY id DESC LIMIT ?`,
    [search ?? null, search ?? null, limit],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    ranAt: String(r.ran_at),
    sql: String(r.sql),
    outcome: String(r.outcome) as QueryOutcome,
    rows: r.rows === null ? null : Number(r.rows),
    durationMs: Number(r.duration_ms),
    message: r.message === null ? null : String(r.message),
  }));
}

export async function listSaved(session: CaseSession): Promise<SavedQuery[]> {
  const rows = await session.db.all(
    `SELECT id, name, sql, description, strftime(created_at, ${ISO}) AS created_at, strftime(updated_at, ${ISO}) AS updated_at
     FROM ${SAVED_QUERIES_TABLE} ORDER BY lower(name)`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    name: String(r.name),
    sql: String(r.sql),
    description: r.description === null ? null : String(r.description),
    createdAt: String(r.created_at),
    updatedAt: String(r.updated_at),
  }));
}

/** Save under a name; saving again under the same name replaces the text. */
export async function saveQuery(session: CaseSession, name: string, sql: string, description: string | null): Promise<SavedQuery> {
  const existing = await session.db.scalar(`SELECT id FROM ${SAVED_QUERIES_TABLE} WHERE name = ?`, [name]);
  if (existing !== undefined && existing !== null) {
    await session.db.run(`UPDATE ${SAVED_QUERIES_TABLE} SET sql = ?, description = ?, updated_at = now()::TIMESTAMP WHERE id = ?`, [sql, description, Number(existing)]);
  } else {
    await session.db.run(
      `INSERT INTO ${SAVED_QUERIES_TABLE} (id, name, sql, description, created_at, updated_at)
       SELECT coalesce(max(id), 0) + 1, ?, ?, ?, now()::TIMESTAMP, now()::TIMESTAMP FROM ${SAVED_QUERIES_TABLE}`,
      [name, sql, description],
    );
  }
  return (await listSaved(session)).find((q) => q.name === name)!;
}

export async function deleteSaved(session: CaseSession, id: number): Promise<boolean> {
  const before = Number(await session.db.scalar(`SELECT count(*) FROM ${SAVED_QUERIES_TABLE} WHERE id = ?`, [id]));
  await session.db.run(`DELETE FROM ${SAVED_QUERIES_TABLE} WHERE id = ?`, [id]);
  return before > 0;
}
