import { createHash } from 'node:crypto';
import { open, rm, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Writable } from 'node:stream';
import Papa from 'papaparse';
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import type { CaseSession } from '../case/caseSession';
import type { SqlParam } from '../db/database';
import { allowColumn } from '../query/filterSql';
import { canonicalColumn, type ColumnType } from '../schema/canonical';
import { checkTimeZone } from './excelTime';
import { writeXlsxSheet } from './xlsxSheet';
import { neutraliseCell } from './neutralise';
import { checkOutputTarget, placeOutput, protectedCase, tempBeside, writeOutputFile, type ProtectedCase } from '../case/outputTarget';

export type ExportFormat = 'csv' | 'json' | 'xlsx';
export const EXPORT_FORMATS = ['csv', 'json', 'xlsx'] as const;

export interface ExportQuery {
  /** A SELECT whose columns are exactly `columns`, every value cast to VARCHAR. */
  sql: string;
  params: SqlParam[];
  columns: string[];
  /**
   * Colour rules (xlsx): fill colour ('#rrggbb') by rule index. When given, the SELECT has
   * one more column after `columns`: the index of the first rule the row meets, or NULL.
   */
  fills?: Record<number, string>;
  /** The header row, when it is not the column names (e.g. the grid's titles). */
  headers?: string[];
  /** Types of columns that are not sign-in columns (tags, notes): their values are text. */
  extraTypes?: Readonly<Record<string, ColumnType>>;
}

/** Annotation columns an export can add after the sign-in columns: the row's tags and its notes, as text. */
export const ANNOTATION_COLUMNS = ['tags', 'notes'] as const;

/** The row's tag names and note texts ("; " between them), from the case's annotation tables. */
export function annotationSelectList(alias = 's'): string {
  return [
    `(SELECT string_agg(t.name, '; ' ORDER BY t.name) FROM row_tags rt JOIN tags t ON t.tag_id = rt.tag_id WHERE rt.row_id = ${alias}.row_id) AS "tags"`,
    `(SELECT string_agg(n.text, '; ' ORDER BY n.created_at, n.note_id) FROM row_notes n WHERE n.row_id = ${alias}.row_id) AS "notes"`,
  ].join(', ');
}

export interface ExportOptions {
  /** The user asked to replace an existing file. */
  replace?: boolean;
  /** Cases (besides the open one) whose folders and evidence an export must never replace. */
  cases?: ProtectedCase[];
  /** xlsx: the wall clock times are shown on ('UTC' or an IANA zone); the ISO column stays UTC. */
  timeZone?: string;
}

/** The grid's title of a column: the time column names its zone. */
export function columnTitle(name: string, timeZone = 'UTC'): string {
  if (name === 'time_utc') return `Date (${timeZone})`;
  if (name === 'error_code') return 'Error code';
  return canonicalColumn(name)?.label ?? name;
}

export interface ExportDescription {
  /** The view's filter in words and as SQL (parameters inlined), for the manifest. */
  filterText: string;
  filterSql: string;
  sortText: string;
  /** Extra provenance, e.g. the CLI predicate. */
  [k: string]: unknown;
}

export interface ExportResult {
  file: string;
  manifestFile: string;
  rows: number;
  sha256: string;
  bytes: number;
}

/** Columns as text: times as ISO-8601 UTC, JSON as its text, everything else CAST. */
export function exportSelectList(columns: string[], alias = 's'): string {
  return columns
    .map((name) => {
      const col = allowColumn(name);
      const id = `${alias}."${col.name}"`;
      const expr = col.type === 'TIMESTAMP' ? `strftime(${id}, '%Y-%m-%dT%H:%M:%S.%fZ')` : col.type === 'VARCHAR' ? id : `CAST(${id} AS VARCHAR)`;
      return `${expr} AS "${col.name}"`;
    })
    .join(', ');
}

function jsonValue(type: string, v: string | null): unknown {
  if (v === null) return null;
  if (type === 'INTEGER' || type === 'BIGINT' || type === 'DOUBLE') return Number(v);
  if (type === 'BOOLEAN') return v === 'true';
  if (type === 'JSON') {
    try {
      return JSON.parse(v) as unknown;
    } catch {
      return v;
    }
  }
  return v;
}

/** CSV (formula-neutralised cells) or a JSON array, chunk by chunk; returns the row count. */
async function writeTextRows(
  result: { fetchChunk(): Promise<{ rowCount: number; getRows(): unknown[][] } | null> },
  format: 'csv' | 'json',
  columns: string[],
  headers: string[],
  types: ColumnType[],
  write: (text: string) => Promise<void>,
): Promise<number> {
  let rows = 0;
  if (format === 'csv') await write('\ufeff' + Papa.unparse([headers.map(neutraliseCell)], { newline: '\r\n' }) + '\r\n');
  else await write('[');
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const values = chunk.getRows() as (string | null)[][];
    if (format === 'csv') {
      const cells = values.map((r) => r.map((v) => (v === null ? '' : neutraliseCell(String(v)))));
      await write(Papa.unparse(cells, { newline: '\r\n', quotes: false }) + '\r\n');
    } else {
      const text = values
        .map((r, i) => (rows + i === 0 ? '\n' : ',\n') + JSON.stringify(Object.fromEntries(columns.map((c, j) => [c, jsonValue(types[j]!, r[j] ?? null)]))))
        .join('');
      await write(text);
    }
    rows += values.length;
  }
  if (format === 'json') await write(rows ? '\n]\n' : ']\n');
  return rows;
}

/**
 * Stream a query's rows to a new file in chunks (the whole table never sits in memory),
 * hash what was written, and put a manifest beside it. The rows go to a temporary file in
 * the target folder that is put in place only once complete and checked, so a failure
 * leaves no partial export; an existing file is replaced only when asked.
 */
export async function writeExport(
  session: CaseSession,
  query: ExportQuery,
  format: ExportFormat,
  outFile: string,
  description: ExportDescription,
  con?: DuckDBConnection,
  target: ExportOptions = {},
): Promise<ExportResult> {
  const timeZone = format === 'xlsx' ? checkTimeZone(target.timeZone) : undefined;
  const rules = { replace: target.replace, cases: [protectedCase(session), ...(target.cases ?? [])] };
  const manifestPath = `${outFile}.manifest.json`;
  checkOutputTarget(manifestPath, rules);
  const tmp = tempBeside(checkOutputTarget(outFile, rules));
  const types = query.columns.map((c) => query.extraTypes?.[c] ?? allowColumn(c).type);
  const handle = await open(tmp, 'wx').catch((err: NodeJS.ErrnoException) => {
    throw new Error(`Cannot write ${outFile}: ${err.message}`);
  });
  const connection = await (con ? Promise.resolve(con) : session.db.connect()).catch(async (err: unknown) => {
    await handle.close();
    await rm(tmp, { force: true });
    throw err;
  });
  const hash = createHash('sha256');
  let bytes = 0;
  const write = async (text: string | Buffer): Promise<void> => {
    const buf = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
    hash.update(buf);
    bytes += buf.length;
    await handle.write(buf);
  };
  let rows = 0;
  let truncatedCells = 0;
  try {
    const result = await connection.stream(query.sql, query.params as DuckDBValue[]);
    if (format === 'xlsx') {
      const sink = new Writable({ write: (chunk: Buffer, _enc, done) => void write(chunk).then(() => done(), done) });
      const columns = query.columns.map((name, i) => ({ name, type: types[i]!, title: columnTitle(name, timeZone) }));
      ({ rows, truncatedCells } = await writeXlsxSheet(sink, result, { columns, timeZone: timeZone!, fills: query.fills }));
    } else rows = await writeTextRows(result, format, query.columns, query.headers ?? query.columns, types, write);
    await handle.sync();
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  } finally {
    await handle.close();
    if (!con) connection.closeSync();
  }
  const sha256 = hash.digest('hex');
  const written = (await stat(tmp)).size;
  if (written !== bytes) {
    await rm(tmp, { force: true });
    throw new Error(`Export ${outFile}: wrote ${bytes} bytes but the file holds ${written}`);
  }
  const file = await placeOutput(tmp, outFile, rules);
  const manifest = {
    format: 'signet-export',
    version: 1,
    createdAt: new Date().toISOString(),
    case: { name: session.manifest.name, dir: session.dir },
    sources: session.manifest.sources.map((s) => ({ name: s.entry ? `${s.name}!${s.entry}` : s.name, path: s.path, sha256: s.sha256, bytes: s.bytes, shape: s.shape })),
    view: { ...description, columns: query.columns },
    export: {
      file: basename(file),
      format,
      rows,
      bytes,
      sha256,
      csvFormulaNeutralisation: format === 'csv' ? "cells starting with = + - @ tab or carriage return are prefixed with '" : undefined,
      times: format === 'xlsx' ? `Excel date-times on the ${timeZone} wall clock, with the ISO-8601 UTC instant as text in the column beside` : 'ISO-8601 UTC',
      xlsxCells:
        format === 'xlsx'
          ? { text: 'every text value is an inline string cell; the workbook has no formula cells', truncatedCells, truncatedAt: truncatedCells ? '32,767 characters (Excel\'s cell limit)' : undefined }
          : undefined,
      colourRules: format === 'xlsx' && query.fills ? query.fills : undefined,
    },
  };
  const manifestFile = await writeOutputFile(`${file}.manifest.json`, JSON.stringify(manifest, null, 2) + '\n', rules);
  return { file, manifestFile, rows, sha256, bytes };
}
