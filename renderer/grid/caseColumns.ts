import { api } from '../api/client';
import type { ColumnInfo } from './columnSets';

let cached: { dataVersion: number; columns: Promise<ColumnInfo[]> } | null = null;

/**
 * The case's columns (with which are empty), asked once per data version. The grid is drawn
 * afresh each time its tab opens ("Show rows" from any view does that); the engine counts
 * every column over every row for this answer, which at a million rows costs more than the
 * page of rows itself, and the answer only changes with the data (an import, a new case:
 * both bump the data version).
 */
export function caseColumns(dataVersion: number): Promise<ColumnInfo[]> {
  if (cached?.dataVersion !== dataVersion) {
    const entry = { dataVersion, columns: api.columns({}) };
    cached = entry;
    // A failed answer is asked again next time.
    entry.columns.catch(() => {
      if (cached === entry) cached = null;
    });
  }
  return cached.columns;
}
