import type { DuckDBConnection } from '@duckdb/node-api';
import type { Params } from './sqlParams';

// What one source's load works on and returns, and how its SQL runs.

/**
 * Longest CSV line or JSON record DuckDB will take; longer ones are rejected, not truncated.
 * DuckDB sizes its parallel read buffers from this, so a generous limit costs parallelism:
 * 4 MiB is some forty times the largest sign-in record seen (Log Analytics rows with every
 * Conditional Access policy inline) and keeps both cores reading.
 */
export const MAX_RECORD_BYTES = 4 * 1024 * 1024;
/**
 * DuckDB's CSV buffer defaults to 16 times the longest line. For our 4 MiB record limit
 * that is 64 MiB per buffer, which on a 900 MB export cost 60% more time and twice the
 * memory of DuckDB's own read (measured: 22 s vs 13.6 s, 1.5 GB vs 0.8 GB at 1M rows).
 * DuckDB's default pairing (2 MiB lines, 32 MiB buffers) is as fast; a buffer of eight
 * records still reads the longest one.
 */
export function csvBufferBytes(maxRecordBytes: number): number {
  return Math.max(32 * 1024 * 1024, 8 * maxRecordBytes);
}
/**
 * Longest line a guarded (second) read of a JSON lines file accepts. The first read stops
 * at the record limit and fails the whole file; the guarded read takes longer lines so
 * that a record over the limit is rejected on its own, with its line and size.
 */
export const MAX_GUARDED_LINE_BYTES = 16 * 1024 * 1024;
/** The forgiving JSON reader holds one file in memory; beyond this it refuses. */
export const MAX_TOLERANT_BYTES = 256 * 1024 * 1024;

export interface LoadTarget {
  sourceId: number;
  /** What rows call their source_file (the file name, or archive!entry). */
  sourceFile: string;
  /** What DuckDB reads (the evidence itself, or a scratch copy for UTF-16 and zip entries). */
  readPath: string;
  compression: 'none' | 'gzip';
  /** Highest row_id in the case before this source. */
  base: number;
  scratch: (suffix: string) => string;
  /** Longest CSV line or JSON record accepted (MAX_RECORD_BYTES unless an import asks for less). */
  maxRecordBytes: number;
  /**
   * Physical lines of the file, counted by the hashing pass that runs beside the read (null
   * when not counted): await it only after the read, or the read waits for the whole hash.
   */
  lines: Promise<number> | null;
  /** Blank lines among them (null when not counted); a CSV with none and one line per record needs no renumbering. */
  blankLines?: Promise<number> | null;
  /**
   * True when readPath is the evidence itself, plain UTF-8, so a record can be read again
   * from its line later: the case then keeps raw only for rows that could not be imported.
   */
  rawFromEvidence: boolean;
}

export interface LoadOptions {
  /**
   * Set after a fast attempt failed: JSON records are validated before extraction, CSV
   * records DuckDB cannot read go to a rejects table (both slower).
   */
  guarded: boolean;
  /** Read JSON with the forgiving JS reader (pages concatenated, trailing commas, truncation). */
  tolerant: boolean;
}

export interface LoadOutcome {
  read: number;
  imported: number;
  duplicates: number;
  rejected: number;
  errors: string[];
  logTypes: string[];
  /** The case kept raw only for rejected rows; the others are read back from the evidence. */
  rawFromEvidence: boolean;
  /** Source fields with no canonical column (they are in the rows' `extra`). */
  unmappedFields?: string[];
}

/** A DuckDB read failure inside a source; the importer retries the source with safer options. */
export class SourceReadError extends Error {}

let seq = 0;
export const uniq = (prefix: string): string => `${prefix}_${process.pid}_${++seq}`;

export async function exec(con: DuckDBConnection, sql: string, params?: Params): Promise<void> {
  await con.run(sql, params?.values ?? []);
}

/** Insert through `sql`; DuckDB read errors become SourceReadError so the caller can retry. */
export async function execRead(con: DuckDBConnection, sql: string, params: Params): Promise<void> {
  if (process.env.SIGNET_IMPORT_DEBUG === 'sql') console.error(sql, JSON.stringify(params.values));
  try {
    await con.run(sql, params.values);
  } catch (err) {
    throw new SourceReadError(err instanceof Error ? err.message : String(err));
  }
}
