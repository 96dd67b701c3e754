import type { FilterState } from '../../electron/api/schemas/filter';

/**
 * A rule condition typed as text: `column = value` or `column != value` (a value filter on
 * one column), otherwise the grid's search language (`ip:185.220.101.0/24`, words, phrases).
 * The engine compiles either to SQL; this only picks the filter-model shape.
 */
export function conditionFromText(text: string, columns: ReadonlySet<string>): FilterState {
  const m = /^\s*([a-z_][a-z0-9_]*)\s*(!=|=)\s*(.+?)\s*$/i.exec(text);
  const column = m?.[1]?.toLowerCase();
  if (m && column && columns.has(column)) {
    const value = m[3]!.replace(/^"(.*)"$/, '$1');
    return { conditions: [{ kind: 'values', column, values: [value], ...(m[2] === '!=' ? { exclude: true } : {}) }] };
  }
  return { conditions: [], search: text.trim() };
}
