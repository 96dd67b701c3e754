import type { GridApi, IDatasource } from 'ag-grid-community';
import type { SortSpec } from '../../electron/api/schemas/filter';
import { gridTheme } from './gridTheme';

type Row = Record<string, unknown>;

/**
 * How the sign-ins grid and the Graph activity grid page rows in from the engine: blocks of
 * 100 rows, up to 60 kept, each row known by its engine row id so that reloads keep the
 * selection and the scroll position on the same rows.
 */
export const INFINITE_GRID = {
  theme: gridTheme,
  rowModelType: 'infinite',
  cacheBlockSize: 100,
  maxBlocksInCache: 60,
  infiniteInitialRowCount: 1,
  getRowId: (p: { data: Row }) => String(p.data.row_id),
} as const;

/**
 * A datasource that asks the engine for each block the grid needs; the page's total sets the
 * grid's row count, then `onPage` sees the whole answer (counts, totals), and a failed read
 * ends the block and reports the message.
 */
export function engineDatasource<P extends { rows: Row[]; total: number }>(
  readPage: (start: number, end: number) => Promise<P>,
  onPage: (page: P) => void,
  onError: (message: string) => void,
): IDatasource {
  return {
    getRows: (p) => {
      readPage(p.startRow, p.endRow)
        .then((r) => {
          p.successCallback(r.rows, r.total);
          onPage(r);
        })
        .catch((e: unknown) => {
          p.failCallback();
          onError(e instanceof Error ? e.message : String(e));
        });
    },
  };
}

/** The grid's sort (its columns' sort order and direction) as the engine's sort spec. */
export function sortFromGrid(g: GridApi): SortSpec {
  return g
    .getColumnState()
    .filter((s) => s.sort)
    .sort((a, b) => (a.sortIndex ?? 0) - (b.sortIndex ?? 0))
    .map((s) => ({ column: s.colId, dir: s.sort === 'desc' ? ('desc' as const) : ('asc' as const) }));
}

/** Show `sort` in the grid's column headers, clearing every other column's sort. */
export function showSort(g: GridApi, sort: SortSpec): void {
  g.applyColumnState({ state: sort.map((s, i) => ({ colId: s.column, sort: s.dir, sortIndex: i })), defaultState: { sort: null } });
}
