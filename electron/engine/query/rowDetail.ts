import type { CaseSession } from '../case/caseSession';
import type { JsonRow } from '../db/database';
import { quoteIdent } from '../db/database';
import { CANONICAL_COLUMNS, SIGNINS_TABLE } from '../schema/canonical';
import { selectExpr } from './pager';
import { EvidenceRawError, rawFromEvidence } from '../evidence/evidenceRaw';

export interface ChildRows {
  /** Where the rows came from: a table of the case, or a JSON column of the row. */
  source: string;
  rows: JsonRow[];
}

export interface GraphActivity {
  /** False when the case has no Graph activity table at all (none imported). */
  available: boolean;
  rows: JsonRow[];
  total: number;
}

const AUTH_DETAILS_TABLE = 'auth_details';
const GRAPH_TABLE = 'graph_activity';
/** Bookkeeping columns of child tables the detail pane does not need to show. */
const HIDDEN_CHILD_COLUMNS = new Set(['raw', 'source_id', 'row_id']);

const timeColumns = new Set<string>();

async function tableColumns(session: CaseSession, table: string): Promise<string[]> {
  const rows = await session.db.all<{ column_name: string; data_type: string }>(
    `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position`,
    [table],
  );
  for (const r of rows) if (r.data_type.startsWith('TIMESTAMP')) timeColumns.add(`${table}.${r.column_name}`);
  return rows.map((r) => r.column_name);
}

/** Every value as JSON-safe text (times as ISO-8601 UTC), so any child table's types reach the UI intact. */
function textSelect(table: string, columns: string[]): string {
  return columns
    .map((c) =>
      timeColumns.has(`${table}.${c}`)
        ? `strftime(${quoteIdent(c)}, '%Y-%m-%dT%H:%M:%S.%fZ') AS ${quoteIdent(c)}`
        : `CAST(${quoteIdent(c)} AS VARCHAR) AS ${quoteIdent(c)}`,
    )
    .join(', ');
}

function parseJsonArray(text: unknown): JsonRow[] {
  if (typeof text !== 'string' || !text.trim()) return [];
  try {
    const v = JSON.parse(text) as unknown;
    if (Array.isArray(v)) return v.filter((x): x is JsonRow => typeof x === 'object' && x !== null);
    if (typeof v === 'object' && v !== null) return [v as JsonRow];
  } catch {
    return [{ unparsed: text }];
  }
  return [];
}

/**
 * Every field of one row. Its raw record comes from the case when the case kept it, else it
 * is read back from the evidence file; raw_origin says which, raw_error why it is missing.
 */
export async function getRecord(session: CaseSession, rowId: number): Promise<JsonRow | null> {
  const exprs = CANONICAL_COLUMNS.map((c) => selectExpr(c.name)).join(', ');
  const rec = (await session.db.one(`SELECT ${exprs} FROM ${SIGNINS_TABLE} s WHERE s.row_id = ?`, [rowId])) ?? null;
  if (!rec) return null;
  if (rec.raw !== null && rec.raw !== undefined) return { ...rec, raw_origin: 'kept in the case' };
  try {
    const back = await rawFromEvidence(session, { source_id: rec.source_id, source_record: rec.source_record, request_id: rec.request_id });
    return { ...rec, raw: JSON.stringify(back.raw), raw_origin: back.origin };
  } catch (err) {
    if (err instanceof EvidenceRawError) return { ...rec, raw_error: err.message };
    throw err;
  }
}

/** Authentication steps: the importer's AuthDetails rows for this request when there are any, else the JSON column. */
export async function authDetails(session: CaseSession, record: JsonRow): Promise<ChildRows> {
  const cols = await tableColumns(session, AUTH_DETAILS_TABLE);
  const requestId = record.request_id;
  if (cols.includes('request_id') && typeof requestId === 'string' && requestId) {
    const shown = cols.filter((c) => !HIDDEN_CHILD_COLUMNS.has(c) && c !== 'request_id');
    const order = cols.includes('step') ? 'ORDER BY step' : '';
    const rows = await session.db.all(`SELECT ${textSelect(AUTH_DETAILS_TABLE, shown)} FROM ${AUTH_DETAILS_TABLE} WHERE request_id = ? ${order}`, [requestId]);
    if (rows.length) return { source: `AuthDetails rows (${AUTH_DETAILS_TABLE} table)`, rows };
  }
  return { source: 'authentication_details column', rows: parseJsonArray(record.authentication_details) };
}

export function caPolicies(record: JsonRow): ChildRows {
  return { source: 'applied_ca_policies column', rows: parseJsonArray(record.applied_ca_policies) };
}

/** Graph API calls made with this sign-in's token (joined on the unique token identifier). */
export async function graphActivity(session: CaseSession, record: JsonRow, limit = 500): Promise<GraphActivity> {
  const cols = await tableColumns(session, GRAPH_TABLE);
  if (!cols.includes('sign_in_activity_id')) return { available: false, rows: [], total: 0 };
  // The table always exists once the importer's schema ran; Graph activity is "available" when some was imported.
  const any = await session.db.one(`SELECT 1 FROM ${GRAPH_TABLE} LIMIT 1`);
  if (!any) return { available: false, rows: [], total: 0 };
  const uti = record.unique_token_identifier;
  if (typeof uti !== 'string' || !uti) return { available: true, rows: [], total: 0 };
  const timeCol = ['time_utc', 'timestamp', 'time_generated', 'TimeGenerated'].find((c) => cols.includes(c));
  const total = Number(await session.db.scalar(`SELECT count(*) FROM ${GRAPH_TABLE} WHERE sign_in_activity_id = ?`, [uti]));
  const rows = await session.db.all(
    `SELECT ${textSelect(GRAPH_TABLE, cols.filter((c) => !HIDDEN_CHILD_COLUMNS.has(c)))} FROM ${GRAPH_TABLE} WHERE sign_in_activity_id = ? ${timeCol ? `ORDER BY ${quoteIdent(timeCol)}` : ''} LIMIT ${limit}`,
    [uti],
  );
  return { available: true, rows, total };
}
