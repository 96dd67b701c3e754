import type { Params } from './sqlParams';

// `extra`: every field of a source record that has no canonical column, keyed by the source
// field name, so that nothing a shape carries is lost when the case does not keep raw
// records. A field that only stands in when another is missing (a fallback, such as
// TimeGenerated behind CreatedDateTime) stays in `extra` as well: the column does not
// hold its value whenever the primary field is there.

/** Fields a JSON mapping reads as the source of a column: removed from the record to give `extra`. */
export interface ConsumedFields {
  /** Record-level field names. */
  top: string[];
  /** Fields of one nested object (the diagnostic record's `properties`). */
  under?: { key: string; names: string[] };
}

/**
 * `extra` of a JSON record `j` (text): the record with the consumed fields removed, by a JSON
 * merge patch whose nulls delete keys. Names are the mapping's own fixed identifiers.
 */
export function jsonExtraSql(j: string, consumed: ConsumedFields): string {
  const patch: Record<string, unknown> = {};
  for (const n of consumed.top) patch[n] = null;
  if (consumed.under) {
    const inner: Record<string, null> = {};
    for (const n of consumed.under.names) inner[n] = null;
    patch[consumed.under.key] = inner;
  }
  return `json_merge_patch(${j}, '${JSON.stringify(patch).replace(/'/g, "''")}')`;
}

/** Read names less the fallbacks, which stay in `extra`. */
export function consumedNames(read: string[], fallbacks: readonly string[]): string[] {
  const keep = new Set(fallbacks.map((f) => f.toLowerCase()));
  return read.filter((n) => !keep.has(n.toLowerCase()));
}

/**
 * `extra` of a CSV record: an object of the cells no column read, keyed by header text (a
 * repeated header numbered, as in raw). Header text is data, so it is bound as a parameter.
 * Empty cells are left out (DuckDB reads them as NULL, and a merge patch drops nulls).
 */
export function csvExtraSql(keys: string[], unread: number[], p: Params): string {
  if (unread.length === 0) return 'NULL';
  return `json_merge_patch('{}', json_object(${unread.map((i) => `${p.p(keys[i]!)}, c${i}`).join(', ')}))`;
}

/**
 * SQL giving the distinct field names in the `extra` of a source's rows (the source's
 * unmapped fields), nested `properties` fields named `properties.x`.
 */
export function unmappedFieldsSql(underKey: string | null): string {
  const nested = underKey
    ? `UNION SELECT '${underKey}.' || unnest(json_keys(extra, '$.${underKey}')) AS k FROM signins WHERE source_id = ? AND json_type(extra, '$.${underKey}') = 'OBJECT'`
    : '';
  return `SELECT DISTINCT k FROM (SELECT unnest(json_keys(extra)) AS k FROM signins WHERE source_id = ? AND json_type(extra) = 'OBJECT' ${nested}) ORDER BY k`;
}
