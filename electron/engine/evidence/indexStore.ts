import type { DuckDBConnection } from '@duckdb/node-api';
import { Params } from '../import/sqlParams';
import type { RecordExtent } from './recordReader';
import type { RecordIndex } from './recordIndex';

/** How a source's records are read back: what bounds a record, and how the text is framed. */
export interface RecordFraming {
  extent: RecordExtent;
  /** JSON records: 1 for the elements of a top-level array, 0 for concatenated values. */
  depth: 0 | 1;
  /** CSV delimiter. */
  delimiter: string | null;
  /** JSON page lines end with a comma that is not part of the record. */
  trailingComma: boolean;
}

/** Store a source's record marks in the case (inside the import's transaction). */
export async function saveSourceIndex(con: DuckDBConnection, sourceId: number, framing: RecordFraming, index: RecordIndex): Promise<void> {
  const CHUNK = 2000;
  for (let i = 0; i < index.marks.length; i += CHUNK) {
    const p = new Params();
    const head = `${p.p(sourceId)}::INTEGER, ${p.p(framing.extent)}, ${p.p(framing.depth)}::INTEGER, ${p.p(framing.delimiter)}, ${p.p(framing.trailingComma)}`;
    // Marks are numbers this process computed, never input text.
    const values = index.marks.slice(i, i + CHUNK).map(([ordinal, offset]) => `(${Math.trunc(ordinal)}, ${Math.trunc(offset)})`).join(', ');
    await con.run(`INSERT INTO source_index SELECT ${head}, m.o, m.b FROM (VALUES ${values}) AS m(o, b)`, p.values);
  }
}
