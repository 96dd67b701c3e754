import { randomUUID } from 'node:crypto';
import type { CaseSession } from '../case/caseSession';
import { appendAudit } from '../custody/audit';
import { UserError } from '../errors';
import { createTableSql } from '../schema/createTable';
import { describeFilter, describeSort } from '../export/describeFilter';
import { viewState, type ViewState, type ViewStateInput } from './viewState';

// Named views of the grid kept in the case: saving, renaming, deleting and applying one
// are each an audit entry, and the report lists them with their filter in words.

export const SAVED_VIEW_TABLES: string[] = [
  createTableSql('saved_views', {
    id: 'VARCHAR PRIMARY KEY',
    name: 'VARCHAR NOT NULL',
    state: 'JSON NOT NULL',
    created_at: 'TIMESTAMP NOT NULL',
    updated_at: 'TIMESTAMP NOT NULL',
    last_applied_at: 'TIMESTAMP',
  }),
];

export interface SavedView {
  id: string;
  name: string;
  state: ViewState;
  /** The filter and sort in words, as the report shows them. */
  filterText: string;
  sortText: string;
  createdAt: string;
  lastAppliedAt: string | null;
}

type Row = {
  id: string;
  name: string;
  state: string;
  created_at: string;
  last_applied_at: string | null;
};

const COLUMNS = `id, name, CAST(state AS VARCHAR) AS state, strftime(created_at, '%Y-%m-%dT%H:%M:%SZ') AS created_at, strftime(last_applied_at, '%Y-%m-%dT%H:%M:%SZ') AS last_applied_at`;

function toView(r: Row): SavedView {
  const state = viewState.parse(JSON.parse(r.state));
  return { id: r.id, name: r.name, state, filterText: describeFilter(state.filter), sortText: describeSort(state.sort), createdAt: r.created_at, lastAppliedAt: r.last_applied_at };
}

function cleanName(name: string): string {
  const n = name.trim().replace(/\s+/g, ' ');
  if (!n) throw new UserError('A saved view needs a name.', 'bad_name');
  if (n.length > 120) throw new UserError('A saved view name is at most 120 characters.', 'bad_name');
  return n;
}

async function requireView(session: CaseSession, id: string): Promise<SavedView> {
  const row = await session.db.one<Row>(`SELECT ${COLUMNS} FROM saved_views WHERE id = ?`, [id]);
  if (!row) throw new UserError(`No saved view with id ${id.slice(0, 64)} in this case.`, 'not_found');
  return toView(row);
}

async function refuseDuplicate(session: CaseSession, name: string, exceptId: string | null): Promise<void> {
  const other = await session.db.scalar(`SELECT id FROM saved_views WHERE lower(name) = lower(?) AND id IS DISTINCT FROM ?`, [name, exceptId]);
  if (other !== undefined && other !== null) throw new UserError(`A saved view named "${name}" already exists; pick another name or delete it first.`, 'duplicate_name');
}

export async function listSavedViews(session: CaseSession): Promise<SavedView[]> {
  const rows = await session.db.all<Row>(`SELECT ${COLUMNS} FROM saved_views ORDER BY lower(name), id`);
  return rows.map(toView);
}

export async function saveView(session: CaseSession, name: string, input: ViewStateInput): Promise<SavedView> {
  session.requireWritable('saving a view (views are kept in the case)');
  const clean = cleanName(name);
  const state = viewState.parse(input);
  await refuseDuplicate(session, clean, null);
  const id = randomUUID();
  await session.db.run(`INSERT INTO saved_views VALUES (?, ?, ?, now()::TIMESTAMP, now()::TIMESTAMP, NULL)`, [id, clean, JSON.stringify(state)]);
  await appendAudit(session, { action: 'view.save', detail: { viewId: id, name: clean, filter: describeFilter(state.filter), sort: describeSort(state.sort) }, tables: ['saved_views'] });
  return requireView(session, id);
}

export async function renameView(session: CaseSession, id: string, name: string): Promise<SavedView> {
  session.requireWritable('renaming a saved view');
  const before = await requireView(session, id);
  const clean = cleanName(name);
  if (clean === before.name) return before;
  await refuseDuplicate(session, clean, id);
  await session.db.run(`UPDATE saved_views SET name = ?, updated_at = now()::TIMESTAMP WHERE id = ?`, [clean, id]);
  await appendAudit(session, { action: 'view.rename', detail: { viewId: id, from: before.name, to: clean }, tables: ['saved_views'] });
  return requireView(session, id);
}

export async function deleteView(session: CaseSession, id: string): Promise<void> {
  session.requireWritable('deleting a saved view');
  const before = await requireView(session, id);
  await session.db.run(`DELETE FROM saved_views WHERE id = ?`, [id]);
  await appendAudit(session, { action: 'view.delete', detail: { viewId: id, name: before.name, filter: before.filterText }, tables: ['saved_views'] });
}

/** The view to apply; on a writable case its use is recorded, so the report can list the views used. */
export async function applyView(session: CaseSession, id: string): Promise<SavedView> {
  const view = await requireView(session, id);
  if (session.readOnly) return view;
  await session.db.run(`UPDATE saved_views SET last_applied_at = now()::TIMESTAMP WHERE id = ?`, [id]);
  await appendAudit(session, { action: 'view.apply', detail: { viewId: id, name: view.name, filter: view.filterText }, tables: ['saved_views'] });
  return requireView(session, id);
}
