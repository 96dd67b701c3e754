import Papa from 'papaparse';
import type { Json } from '@duckdb/node-api';
import type { CaseSession } from '../case/caseSession';
import { appendAudit } from '../custody/audit';
import { neutraliseCell } from '../export/neutralise';
import { consoleFor } from './readOnlyQuery';
import type { ResultSort } from './sqlConsole';

export type ResultExportFormat = 'csv' | 'json';

/** A console result as a downloadable file: CSV cells can never start a spreadsheet formula. */
export interface ResultFile {
  fileName: string;
  mime: string;
  text: string;
  rows: number;
}

/** Downloads are built in memory; above these the analyst narrows the query or uses the CLI. */
export const MAX_EXPORT_ROWS = 1_000_000;
export const MAX_EXPORT_BYTES = 256 * 1024 * 1024;

function cellText(v: Json): string {
  if (v === null) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export async function exportResult(session: CaseSession, resultId: string, format: ResultExportFormat, sort: ResultSort[] = [], sql?: string): Promise<ResultFile> {
  const con = consoleFor(session);
  const { columns, total } = con.result(resultId);
  if (total > MAX_EXPORT_ROWS) throw new Error(`The result has ${total.toLocaleString('en-US')} rows; exports from the console stop at ${MAX_EXPORT_ROWS.toLocaleString('en-US')}. Narrow the query, or use: signet query --format csv`);
  const rows: Json[][] = [];
  let bytes = 0;
  // Whole values: a page holds fewer rows when they are large, never cut ones.
  for (let start = 0; start < total; ) {
    const page = (await con.page(resultId, start, start + 1000, sort, { whole: true })).rows;
    if (!page.length) break;
    for (const r of page) for (const v of r) bytes += v === null ? 0 : typeof v === 'string' ? v.length : JSON.stringify(v).length;
    if (bytes > MAX_EXPORT_BYTES)
      throw new Error(`The result is more than ${MAX_EXPORT_BYTES / 1024 / 1024} MB as text, too large to download from the console. Narrow the query, or write it to a file with: signet query --case DIR --format csv "…" > FILE`);
    rows.push(...page);
    start += page.length;
  }
  const names = columns.map((c) => c.name);
  const text = format === 'csv' ? resultCsv(names, rows) : resultJson(names, rows, columns.map((c) => c.type));
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  await appendAudit(session, { action: 'console-export', detail: { resultId, format, rows: rows.length, ...(sql ? { sql } : {}) } });
  return { fileName: `signet-query-${stamp}.${format}`, mime: format === 'csv' ? 'text/csv' : 'application/json', text, rows: rows.length };
}

export function resultCsv(columns: string[], rows: Json[][]): string {
  return Papa.unparse({ fields: columns.map(neutraliseCell), data: rows.map((r) => r.map((v) => neutraliseCell(cellText(v)))) }, {
      newline: '\r\n',
      // A one-column row holding an empty value would otherwise be a blank line that readers skip.
      quotes: columns.length === 1 ? (value: unknown) => value === '' : false,
    }) + '\r\n';
}

const INTEGER_TYPE = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/;

/**
 * DuckDB hands 64- and 128-bit integers over as strings (a JS number loses digits past 2^53).
 * A reader of JSON wants counts as numbers: every value that fits exactly becomes one, larger
 * ones stay strings rather than be rounded.
 */
function integerAsNumber(v: Json): Json {
  if (typeof v !== 'string' || !/^-?\d+$/.test(v)) return v;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v;
}

/**
 * JSON keeps values as they are (no spreadsheet reads it); duplicate column names get a suffix.
 * With the column types, integer columns print as numbers where they fit (see integerAsNumber).
 */
export function resultJson(columns: string[], rows: Json[][], types?: readonly string[]): string {
  const integer = columns.map((_, i) => INTEGER_TYPE.test(types?.[i] ?? ''));
  const keys: string[] = [];
  for (const c of columns) {
    let k = c;
    for (let i = 2; keys.includes(k); i++) k = `${c}_${i}`;
    keys.push(k);
  }
  return JSON.stringify(rows.map((r) => Object.fromEntries(keys.map((k, i) => [k, integer[i] ? integerAsNumber(r[i] ?? null) : (r[i] ?? null)]))), null, 2) + '\n';
}
