import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { AgGridReact } from 'ag-grid-react';
import type { ColDef, GridApi, GridReadyEvent, IDatasource, SortChangedEvent } from 'ag-grid-community';
import { api } from '../api/client';
import type { Condition, FilterState, SortSpec } from '../../electron/api/schemas/filter';
import { useAppState } from '../state/store';
import { formatInstant, zoneLabel } from '../state/timeZone';
import { engineDatasource, INFINITE_GRID, showSort, sortFromGrid } from '../grid/infiniteRows';
import { cellText } from '../grid/cellText';
import { setGraphFilter, showSignInsOf, useGraphNav } from './graphNav';
import '../grid/grid.css';
import '../detail/detail.css';
import './graphActivity.css';

type Row = Record<string, unknown>;
type Column = Awaited<ReturnType<typeof api.graphColumns>>[number];
type Detail = NonNullable<Awaited<ReturnType<typeof api.graphDetail>>>;

/** Shown unless the user widens the view; the rest are in the detail pane. */
const SHOWN = ['time_utc', 'request_method', 'response_status_code', 'request_uri', 'sign_in_activity_id', 'user_id', 'app_id', 'ip_address', 'duration_ms', 'user_agent'];
const WIDTHS: Record<string, number> = { time_utc: 190, request_method: 80, response_status_code: 110, request_uri: 420, sign_in_activity_id: 210, user_agent: 260 };
/** Value filters offered in the toolbar: short lists of values. */
const VALUE_FILTERS = ['request_method', 'response_status_code', 'api_version'];

function conditionText(c: Condition, columns: Column[]): string {
  const label = (n: string) => columns.find((x) => x.name === n)?.label ?? n;
  if (c.kind === 'text') return `${label(c.column)} ${c.op === 'equals' ? '=' : c.op} ${c.value ?? ''}`;
  if (c.kind === 'values') return `${label(c.column)} ${c.exclude ? 'not in' : 'in'} ${c.values.map((v) => v ?? '(empty)').join(', ')}`;
  if (c.kind === 'rows') return c.label ?? `${c.rowIds.length} rows`;
  return c.kind;
}

export function GraphActivityView() {
  const zone = useAppState((s) => s.timeZone);
  const dataVersion = useAppState((s) => s.dataVersion);
  const filter = useGraphNav((n) => n.filter);
  const [columns, setColumns] = useState<Column[]>([]);
  const [sort, setSort] = useState<SortSpec>([{ column: 'time_utc', dir: 'desc' }]);
  const [counts, setCounts] = useState<{ total: number; tableTotal: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [searchText, setSearchText] = useState(filter.search ?? '');
  const [detailRow, setDetailRow] = useState<number | null>(null);
  const [values, setValues] = useState<Record<string, Array<{ value: string | null; count: number }>>>({});
  const gridApi = useRef<GridApi<Row> | null>(null);

  useEffect(() => {
    void api.graphColumns({}).then(setColumns).catch((e: unknown) => setError(String(e)));
  }, [dataVersion]);
  useEffect(() => {
    for (const column of VALUE_FILTERS) {
      void api.graphValues({ column, filter: { conditions: [] }, limit: 50 }).then((r) => setValues((v) => ({ ...v, [column]: r.values })));
    }
  }, [dataVersion]);

  const datasource = useCallback(
    (f: FilterState, s: SortSpec): IDatasource =>
      engineDatasource(
        (start, end) => api.graphRows({ filter: f, sort: s, start, end }),
        (r) => {
          setCounts({ total: r.total, tableTotal: r.tableTotal });
          setError(null);
        },
        setError,
      ),
    [],
  );
  useEffect(() => {
    gridApi.current?.setGridOption('datasource', datasource(filter, sort));
  }, [filter, sort, datasource, dataVersion]);

  // Search as you type, a moment after the last key.
  useEffect(() => {
    if ((filter.search ?? '') === searchText) return;
    const t = setTimeout(() => setGraphFilter({ ...filter, search: searchText.trim() ? searchText : undefined }), 300);
    return () => clearTimeout(t);
  }, [searchText, filter]);
  useEffect(() => setSearchText(filter.search ?? ''), [filter.search]);

  const colDefs = useMemo<ColDef<Row>[]>(
    () =>
      columns.map((c) => ({
        field: c.name,
        colId: c.name,
        headerName: c.name === 'time_utc' ? `Date (${zoneLabel(zone)})` : c.label,
        headerTooltip: `${c.label} — ${c.description} [${c.name}]`,
        hide: !SHOWN.includes(c.name),
        width: WIDTHS[c.name] ?? (c.type === 'VARCHAR' ? 160 : 110),
        sortable: true,
        valueFormatter: (p) => cellText(p.value, c.type, zone),
        cellClass: c.type === 'INTEGER' || c.type === 'BIGINT' ? 'num' : c.type === 'TIMESTAMP' ? 'mono time' : c.name.endsWith('_id') ? 'mono' : undefined,
      })),
    [columns, zone],
  );

  const onGridReady = useCallback(
    (e: GridReadyEvent<Row>) => {
      gridApi.current = e.api;
      showSort(e.api, sort);
      e.api.setGridOption('datasource', datasource(filter, sort));
    },
    [datasource, filter, sort],
  );
  const onSortChanged = useCallback((e: SortChangedEvent<Row>) => setSort(sortFromGrid(e.api)), []);

  const setValueFilter = (column: string, value: string) => {
    const rest = filter.conditions.filter((c) => !(c.kind === 'values' && c.column === column));
    setGraphFilter({ ...filter, conditions: value === '' ? rest : [...rest, { kind: 'values', column, values: [value] }] });
  };
  const valueOf = (column: string): string => {
    const c = filter.conditions.find((x) => x.kind === 'values' && x.column === column);
    return c && c.kind === 'values' ? (c.values[0] ?? '') : '';
  };

  return (
    <div className="grid-view graph-view">
      <div className="toolbar">
        <label className="grid-search">
          <input type="search" aria-label="Search Graph activity" placeholder="Search requests (URI, user, app, IP, token…)" value={searchText} onChange={(e) => setSearchText(e.target.value)} />
        </label>
        {VALUE_FILTERS.map((column) => (
          <select key={column} aria-label={`Filter by ${columns.find((c) => c.name === column)?.label ?? column}`} value={valueOf(column)} onChange={(e) => setValueFilter(column, e.target.value)}>
            <option value="">{columns.find((c) => c.name === column)?.label ?? column}: any</option>
            {(values[column] ?? [])
              .filter((v) => v.value !== null)
              .map((v) => (
                <option key={v.value} value={v.value!}>
                  {v.value} ({v.count.toLocaleString('en-US')})
                </option>
              ))}
          </select>
        ))}
        <span className="count" aria-live="polite" data-testid="graph-row-count">
          {counts ? (
            <>
              <strong>{counts.total.toLocaleString('en-US')}</strong> of {counts.tableTotal.toLocaleString('en-US')} Graph requests
            </>
          ) : (
            'Counting…'
          )}
        </span>
      </div>
      {filter.conditions.length > 0 && (
        <div className="chips" aria-label="Graph activity filters">
          {filter.conditions.map((c, i) => (
            <span key={i} className="chip">
              <span className="chip-text">{conditionText(c, columns)}</span>
              <button aria-label="Remove filter" onClick={() => setGraphFilter({ ...filter, conditions: filter.conditions.filter((_, j) => j !== i) })}>
                ×
              </button>
            </span>
          ))}
          <button className="plain clear-all" onClick={() => setGraphFilter({ conditions: [] })}>
            Clear all
          </button>
        </div>
      )}
      {error && <div className="banner error">{error}</div>}
      {counts?.tableTotal === 0 && <div className="notice">No Graph activity in this case. Import a MicrosoftGraphActivityLogs export (Event Hub or Log Analytics).</div>}
      <div className="grid-split">
        <div className="grid-host" aria-label="Graph requests">
          <AgGridReact<Row>
            {...INFINITE_GRID}
            columnDefs={colDefs}
            defaultColDef={{ resizable: true, sortable: true, suppressHeaderMenuButton: true }}
            onGridReady={onGridReady}
            onSortChanged={onSortChanged}
            onRowClicked={(e) => e.data && setDetailRow(Number(e.data.row_id))}
          />
        </div>
        {detailRow !== null && <GraphDetail rowId={detailRow} columns={columns} zone={zone} onClose={() => setDetailRow(null)} />}
      </div>
      <div className="statusbar" aria-label="Graph activity status">
        <span>{counts ? `${counts.total.toLocaleString('en-US')} of ${counts.tableTotal.toLocaleString('en-US')} Graph requests` : ''}</span>
        <span>Joined to sign-ins by SignInActivityId = unique token identifier</span>
        <span className="zone">Times in {zoneLabel(zone)}</span>
      </div>
    </div>
  );
}

function GraphDetail({ rowId, columns, zone, onClose }: { rowId: number; columns: Column[]; zone: string; onClose: () => void }) {
  const [detail, setDetail] = useState<Detail | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setError(null);
    setDetail(null);
    api
      .graphDetail({ rowId })
      .then((d) => live && setDetail(d))
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [rowId]);
  const rec = detail?.record;
  let raw = typeof rec?.raw === 'string' ? rec.raw : '';
  try {
    raw = raw ? JSON.stringify(JSON.parse(raw), null, 2) : '';
  } catch {
    // Not JSON: shown as stored.
  }
  const n = detail?.signInRowIds.length ?? 0;
  return (
    <aside className="detail graph-detail" aria-label="Graph request details">
      <div className="detail-head">
        <div className="detail-title">
          <strong>{rec ? `${String(rec.request_method ?? '')} ${String(rec.response_status_code ?? '')}` : 'Graph request'}</strong>
          <span className="muted">{rec ? `${formatInstant(String(rec.time_utc ?? ''), zone)} ${zoneLabel(zone)} · request ${rowId}` : `request ${rowId}`}</span>
        </div>
        <button className="plain close" onClick={onClose} aria-label="Close details" title="Close">
          ×
        </button>
      </div>
      <div className="detail-body">
        {error && <div className="error-line">{error}</div>}
        {!rec && !error && <div className="muted">Loading…</div>}
        {rec && (
          <>
            <div className="graph-link">
              {n > 0 ? (
                <button onClick={() => showSignInsOf(detail!.signInRowIds, String(rec.request_id ?? rowId))}>
                  Open the sign-in that issued this token{n > 1 ? `s (${n})` : ''}
                </button>
              ) : (
                <span className="muted small">No sign-in in this case has unique token identifier {String(rec.sign_in_activity_id ?? '—')}.</span>
              )}
            </div>
            <dl className="fields">
              {columns.map((c) => {
                const v = rec[c.name];
                const text = cellText(v, c.type, zone);
                return (
                  <div key={c.name} style={{ display: 'contents' }}>
                    <dt title={c.name}>{c.label}</dt>
                    <dd data-field={c.name}>
                      <span className={text ? (c.name.endsWith('_id') || c.name === 'request_uri' ? 'mono val' : 'val') : 'muted'}>{text || '—'}</span>
                    </dd>
                  </div>
                );
              })}
            </dl>
            <h3>Raw record</h3>
            <pre className="mono" aria-label="Raw Graph record">
              {raw || '(no raw record)'}
            </pre>
          </>
        )}
      </div>
    </aside>
  );
}
