import { useMemo } from 'react';
import { AgGridReact } from 'ag-grid-react';
import { AllCommunityModule, ModuleRegistry, type ColDef, type IDatasource, type IGetRowsParams, type SortModelItem } from 'ag-grid-community';
import { api } from '../api/client';
import { gridTheme } from '../grid/gridTheme';
import { visibleNodes } from '../text/visibleText';

ModuleRegistry.registerModules([AllCommunityModule]);

export interface ResultSortItem {
  column: string;
  dir: 'asc' | 'desc';
}

interface Props {
  resultId: string;
  columns: Array<{ name: string; type: string }>;
  firstRows: unknown[][];
  total: number;
  onSortChanged(sort: ResultSortItem[]): void;
  onError(message: string): void;
  /** Told when a page came back cut (long values shortened to keep it small). */
  onNotice(message: string): void;
}

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL)/;

/** Cells are text: nested values as JSON, NULL shown as such (never HTML). */
function display(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** A console result in AG Grid's infinite row model, paged and sorted by the engine. */
export function ResultsGrid({ resultId, columns, firstRows, total, onSortChanged, onError, onNotice }: Props) {
  const columnDefs = useMemo<ColDef[]>(
    () =>
      columns.map((c, i) => ({
        colId: `c${i}`,
        headerName: c.name,
        headerTooltip: `${c.name} · ${c.type}`,
        valueGetter: (p) => (p.data as unknown[] | undefined)?.[i],
        valueFormatter: (p) => display(p.value),
        cellRenderer: (p: { value: unknown }) => (p.value === undefined ? null : visibleNodes(display(p.value))),
        cellClass: (p) => [p.value === null ? 'console-null' : '', NUMERIC.test(c.type) ? 'console-num' : ''].filter(Boolean),
        sortable: true,
        resizable: true,
        minWidth: 70,
        maxWidth: 520,
        width: Math.min(360, Math.max(/TIMESTAMP/.test(c.type) ? 190 : NUMERIC.test(c.type) ? 90 : 140, c.name.length * 9 + 40)),
      })),
    [columns],
  );

  const datasource = useMemo<IDatasource>(
    () => ({
      rowCount: total,
      getRows(params: IGetRowsParams) {
        const sort = params.sortModel.map((s: SortModelItem) => ({ column: columns[Number(s.colId.slice(1))]!.name, dir: s.sort }));
        if (!sort.length && params.startRow === 0 && firstRows.length >= Math.min(total, params.endRow)) {
          params.successCallback(firstRows.slice(0, params.endRow), total);
          return;
        }
        api
          .sqlPage({ resultId, start: params.startRow, end: params.endRow, sort })
          .then((r) => {
            if (r.notice) onNotice(r.notice);
            params.successCallback(r.rows, r.total);
          })
          .catch((e: unknown) => {
            onError(e instanceof Error ? e.message : String(e));
            params.failCallback();
          });
      },
    }),
    [resultId, columns, firstRows, total, onError, onNotice],
  );

  return (
    <div className="console-grid" data-testid="sql-results">
      <AgGridReact
        theme={gridTheme}
        rowModelType="infinite"
        datasource={datasource}
        columnDefs={columnDefs}
        cacheBlockSize={200}
        maxBlocksInCache={50}
        rowBuffer={20}
        enableCellTextSelection
        onFirstDataRendered={(e) => e.api.autoSizeAllColumns()}
        ensureDomOrder
        onSortChanged={(e) => {
          const model = e.api.getColumnState().filter((c) => c.sort);
          onSortChanged(model.map((c) => ({ column: columns[Number(c.colId.slice(1))]!.name, dir: c.sort as 'asc' | 'desc' })));
        }}
      />
    </div>
  );
}
