import type { CaseSession } from '../case/caseSession';
import type { JsonRow } from '../db/database';
import { quoteIdent } from '../db/database';
import { CANONICAL_COLUMNS, SIGNINS_TABLE } from '../schema/canonical';
import { selectExpr } from './pager';

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

const AUTH_DETAIL_TABLES = ['auth_details', 'authentication_details', 'signin_auth_details'];
const GRAPH_TABLE = 'graph_activity';

async function tableColumns(session: CaseSession, table: string): Promise<string[]> {
  const rows = await session.db.all<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position`,
    [table],
  );
  return rows.map((r) => r.column_name);
}

/** Every value as JSON-safe text, so any child table's types reach the UI intact. */
function textSelect(columns: string[]): string {
  return columns.map((c) => `CAST(${quoteIdent(c)} AS VARCHAR) AS ${quoteIdent(c)}`).join(', ');
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

export async function getRecord(session: CaseSession, rowId: number): Promise<JsonRow | null> {
  const exprs = CANONICAL_COLUMNS.map((c) => selectExpr(c.name)).join(', ');
  return (await session.db.one(`SELECT ${exprs} FROM ${SIGNINS_TABLE} s WHERE s.row_id = ?`, [rowId])) ?? null;
}

/** Authentication steps: the importer's child table when it has one for this row, else the JSON column. */
export async function authDetails(session: CaseSession, record: JsonRow): Promise<ChildRows> {
  for (const table of AUTH_DETAIL_TABLES) {
    const cols = await tableColumns(session, table);
    if (!cols.includes('row_id')) continue;
    const shown = cols.filter((c) => c !== 'row_id');
    const rows = await session.db.all(`SELECT ${textSelect(shown)} FROM ${quoteIdent(table)} WHERE row_id = ?`, [Number(record.row_id)]);
    if (rows.length) return { source: `table ${table}`, rows };
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
  const uti = record.unique_token_identifier;
  if (typeof uti !== 'string' || !uti) return { available: true, rows: [], total: 0 };
  const timeCol = ['time_utc', 'timestamp', 'time_generated', 'TimeGenerated'].find((c) => cols.includes(c));
  const total = Number(await session.db.scalar(`SELECT count(*) FROM ${GRAPH_TABLE} WHERE sign_in_activity_id = ?`, [uti]));
  const rows = await session.db.all(
    `SELECT ${textSelect(cols)} FROM ${GRAPH_TABLE} WHERE sign_in_activity_id = ? ${timeCol ? `ORDER BY ${quoteIdent(timeCol)}` : ''} LIMIT ${limit}`,
    [uti],
  );
  return { available: true, rows, total };
}
