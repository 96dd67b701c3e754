import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import Papa from 'papaparse';
import type { CaseSession } from '../case/caseSession';
import { uniqueKeys } from '../import/csvHeader';
import { MAX_RECORD_BYTES } from '../import/loadTypes';
import { readRecordText, type RecordExtent } from './recordReader';
import type { RecordIndex } from './recordIndex';
import { checkEvidenceHash, sameFileState } from './evidenceCheck';

// A row's original record, read back from its evidence file when the case did not keep a
// copy. The file must be the one that was imported (its SHA-256, checked once per session
// and file state, equals the one its import recorded), and the record read must carry the
// row's request id, so a changed or misplaced file never shows a wrong record.


export interface SourceIndexRow {
  extent: RecordExtent;
  depth: number;
  delimiter: string | null;
  trailingComma: boolean;
  index: RecordIndex;
}

export async function loadSourceIndex(session: CaseSession, sourceId: number): Promise<SourceIndexRow | null> {
  const rows = await session.db.all<{ extent: string; depth: number; delimiter: string | null; trailing_comma: boolean; ordinal: string | number; byte_offset: string | number }>(
    `SELECT extent, depth, delimiter, trailing_comma, ordinal, byte_offset FROM source_index WHERE source_id = ? ORDER BY ordinal`,
    [sourceId],
  );
  if (rows.length === 0) return null;
  const first = rows[0]!;
  const extent = first.extent as RecordExtent;
  return {
    extent,
    depth: Number(first.depth),
    delimiter: first.delimiter,
    trailingComma: Boolean(first.trailing_comma),
    index: { unit: extent === 'json-value' ? 'json-value' : 'line', marks: rows.map((r) => [Number(r.ordinal), Number(r.byte_offset)]) },
  };
}

export interface EvidenceRaw {
  raw: unknown;
  /** Where the record was read from, for the detail pane. */
  origin: string;
}

export class EvidenceRawError extends Error {}

function csvCells(text: string, delimiter: string): string[] {
  const parsed = Papa.parse<string[]>(text, { delimiter, header: false, preview: 1 });
  return parsed.data[0] ?? [];
}

/**
 * The original record of a row whose raw column is empty. Throws EvidenceRawError with a
 * message naming the file when it cannot be shown.
 */
export async function rawFromEvidence(
  session: CaseSession,
  row: { source_id: unknown; source_record: unknown; request_id: unknown },
): Promise<EvidenceRaw> {
  const sourceId = Number(row.source_id);
  const ordinal = Number(row.source_record);
  const source = session.manifest.sources.find((s) => s.id === sourceId);
  if (!source) throw new EvidenceRawError(`source ${sourceId} is not in the case manifest`);
  const name = basename(source.path);
  const idx = await loadSourceIndex(session, sourceId);
  if (!idx) throw new EvidenceRawError(`the case kept no record positions for ${name}`);
  const facts = await stat(source.path).catch(() => null);
  if (!facts) throw new EvidenceRawError(`${source.path} is not there any more; relink the source (Case tab) to see its original record`);
  if (facts.size !== source.bytes || Math.abs(facts.mtimeMs - source.mtimeMs) > 1) {
    throw new EvidenceRawError(`${source.path} has changed since it was imported (size or modification time differ); run Verify on the Case tab`);
  }
  const hashed = await checkEvidenceHash(session, source, facts);
  if (!hashed.ok) {
    throw new EvidenceRawError(
      `${source.path} is not the file that was imported: its SHA-256 is now ${hashed.actual}, the import recorded ${hashed.expected} (same size and modification time, so the bytes were edited); run Verify on the Case tab`,
    );
  }
  const text = await readRecordText({ path: source.path, index: idx.index, ordinal, extent: idx.extent, depth: idx.depth === 0 ? 0 : 1 }, MAX_RECORD_BYTES);
  if (text === null) throw new EvidenceRawError(`${name} has no ${idx.extent === 'json-value' ? 'record' : 'line'} ${ordinal}`);
  const unit = idx.extent === 'json-value' ? 'record' : 'line';
  let raw: unknown;
  if (idx.extent === 'csv-record') {
    const headerText = await readRecordText({ path: source.path, index: idx.index, ordinal: 1, extent: 'csv-record' }, MAX_RECORD_BYTES);
    const keys = uniqueKeys(csvCells(headerText ?? '', idx.delimiter ?? ','));
    const cells = csvCells(text, idx.delimiter ?? ',');
    // Empty cells read as null, as DuckDB reads them when the case keeps the record itself.
    raw = Object.fromEntries(keys.map((k, i) => [k, cells[i] === undefined || cells[i] === '' ? null : cells[i]]));
  } else {
    const body = idx.trailingComma ? text.replace(/,\s*$/, '') : text;
    try {
      raw = JSON.parse(body) as unknown;
    } catch (err) {
      throw new EvidenceRawError(`${name} ${unit} ${ordinal} is not valid JSON when read back (${err instanceof Error ? err.message : String(err)})`);
    }
  }
  // The file must not have changed between the hash check and the read.
  if (!(await sameFileState(source.path, facts))) throw new EvidenceRawError(`${source.path} changed while its record was being read; try again, or run Verify on the Case tab`);
  const requestId = typeof row.request_id === 'string' ? row.request_id : '';
  if (requestId && !text.includes(requestId)) {
    throw new EvidenceRawError(`${name} ${unit} ${ordinal} does not hold this row's request id ${requestId}; the file is not the one imported`);
  }
  return { raw, origin: `${name}, ${unit} ${ordinal} (read from the evidence file; its SHA-256 was checked this session and matches the import)` };
}
