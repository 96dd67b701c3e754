import { UserError } from '../errors';
import type { CaseSession } from '../case/caseSession';
import { appendAudit } from '../custody/audit';

export interface Note {
  noteId: number;
  rowId: number;
  text: string;
  createdAt: string;
  updatedAt: string;
}

const TS = `'%Y-%m-%dT%H:%M:%S.%fZ'`;

function toNote(r: { note_id: number; row_id: string; text: string; created_at: string; updated_at: string }): Note {
  return { noteId: Number(r.note_id), rowId: Number(r.row_id), text: r.text, createdAt: r.created_at, updatedAt: r.updated_at };
}

export async function listNotes(session: CaseSession, rowId?: number): Promise<Note[]> {
  const rows = await session.db.all<{ note_id: number; row_id: string; text: string; created_at: string; updated_at: string }>(
    `SELECT note_id, row_id, text, strftime(created_at, ${TS}) AS created_at, strftime(updated_at, ${TS}) AS updated_at
     FROM row_notes ${rowId === undefined ? '' : 'WHERE row_id = ?'} ORDER BY created_at, note_id`,
    rowId === undefined ? [] : [rowId],
  );
  return rows.map(toNote);
}

export async function addNote(session: CaseSession, rowId: number, text: string): Promise<Note> {
  const clean = text.trim();
  if (!clean) throw new UserError('A note cannot be empty', 'bad_note');
  const exists = await session.db.one(`SELECT 1 FROM signins WHERE row_id = ?`, [rowId]);
  if (!exists) throw new UserError(`There is no row ${rowId} in this case`, 'no_row');
  const id = Number(await session.db.scalar(`SELECT coalesce(max(note_id), 0) + 1 FROM row_notes`));
  await session.db.run(`INSERT INTO row_notes VALUES (?, ?, ?, now()::TIMESTAMP, now()::TIMESTAMP)`, [id, rowId, clean]);
  await appendAudit(session, { action: 'note.add', detail: { noteId: id, rowId, text: clean }, tables: ['row_notes'] });
  session.changed();
  return (await listNotes(session, rowId)).find((n) => n.noteId === id)!;
}

export async function updateNote(session: CaseSession, noteId: number, text: string): Promise<void> {
  const clean = text.trim();
  if (!clean) throw new UserError('A note cannot be empty', 'bad_note');
  const before = await session.db.one<{ text: string; row_id: string }>(`SELECT text, row_id FROM row_notes WHERE note_id = ?`, [noteId]);
  if (!before) throw new UserError(`There is no note ${noteId}`, 'no_note');
  await session.db.run(`UPDATE row_notes SET text = ?, updated_at = now()::TIMESTAMP WHERE note_id = ?`, [clean, noteId]);
  await appendAudit(session, { action: 'note.update', detail: { noteId, rowId: Number(before.row_id), from: before.text, to: clean }, tables: ['row_notes'] });
  session.changed();
}

export async function deleteNote(session: CaseSession, noteId: number): Promise<void> {
  const before = await session.db.one<{ text: string; row_id: string }>(`SELECT text, row_id FROM row_notes WHERE note_id = ?`, [noteId]);
  if (!before) throw new UserError(`There is no note ${noteId}`, 'no_note');
  await session.db.run(`DELETE FROM row_notes WHERE note_id = ?`, [noteId]);
  await appendAudit(session, { action: 'note.delete', detail: { noteId, rowId: Number(before.row_id), text: before.text }, tables: ['row_notes'] });
  session.changed();
}

/** Note counts per row for a page of rows. */
export async function noteCountsForRows(session: CaseSession, rowIds: number[]): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  if (!rowIds.length) return out;
  const rows = await session.db.all<{ row_id: string; n: string }>(
    `SELECT row_id, count(*) AS n FROM row_notes WHERE list_contains(CAST(? AS BIGINT[]), row_id) GROUP BY row_id`,
    [`[${rowIds.map((n) => Math.trunc(n)).join(',')}]`],
  );
  for (const r of rows) out.set(Number(r.row_id), Number(r.n));
  return out;
}
