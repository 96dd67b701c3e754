import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { AgGridReact } from 'ag-grid-react';
import {
  AllCommunityModule,
  ModuleRegistry,
  type CellContextMenuEvent,
  type CellKeyDownEvent,
  type ColDef,
  type FullWidthCellKeyDownEvent,
  type GridApi,
  type GridReadyEvent,
  type IDatasource,
  type RowClassParams,
  type RowClassRules,
} from 'ag-grid-community';
import { api } from '../api/client';
import type { ColumnLayout } from '../../electron/api/methods/annotations';
import type { FilterState, SortSpec } from '../../electron/api/schemas/filter';
import { addCondition, bumpDataVersion, getState, setSearch, setState, setTimeZone, useAppState } from '../state/store';
import { filterBack, filterForward, useFilterHistory } from '../app/navigation';
import { aroundCondition } from './ColumnFilter';
import { withZoneLabels, zoneLabel } from '../state/timeZone';
import { DetailPane } from '../detail/DetailPane';
import { gridTheme } from './gridTheme';
import { ALWAYS_FETCHED, completeLayout, presetLayout, PRESETS, type ColumnInfo } from './columnSets';
import { HeaderInner, TagsCell, TextCell, type GridContext } from './GridCells';
import { highlightTerms } from './highlight';
import { ColumnFilter } from './ColumnFilter';
import { FilterChips } from './FilterChips';
import { BOOKMARK_TAG, CellMenu, type CellMenuTarget } from './CellMenu';
import { ColumnChooser } from './ColumnChooser';
import { TagsMenu } from './TagsMenu';
import { ExportDialog } from './ExportDialog';
import { SqlDialog } from './SqlDialog';
import { GroupPanel } from './GroupPanel';
import { caseColumns } from './caseColumns';
import { getGrouping, setGrouping, useGrouping } from './grouping';
import { cellText } from './cellText';
import { copyText, toTsv } from './clipboard';
import type { ErrorMeaningInfo, TagInfo } from './gridTypes';
import { RULE_COLOURS, type ColourRuleInfo, type SavedViewInfo, type ViewStateInput } from '../../electron/api/methods/views';
import { SavedViewsMenu } from '../savedViews/SavedViewsMenu';
import { ColourLegend, ColourRulesMenu } from '../colourRules/ColourRulesMenu';
import { installRuleStyles } from '../colourRules/ruleStyles';
import './grid.css';

ModuleRegistry.registerModules([AllCommunityModule]);

type Row = Record<string, unknown>;

/** Ctrl+A then Ctrl+C copies through the clipboard; larger sets go through Export. */
const MAX_COPY_ROWS = 50_000;


/** A time with microseconds, "2026-10-01 14:03:07.123456", never ends in an ellipsis. */
const TIME_MIN_WIDTH = 206;

const WIDTHS: Record<string, number> = {
  // Microsecond times (26 characters of the mono font) fit; shorter ones leave room.
  time_utc: TIME_MIN_WIDTH,
  request_id: 250,
  correlation_id: 290,
  user_display_name: 160,
  user_principal_name: 220,
  app_display_name: 180,
  status: 112,
  error_code: 120,
  ip_address: 140,
  city: 110,
  country: 80,
  conditional_access_status: 130,
  user_agent: 320,
  failure_reason: 280,
  log_type: 120,
  row_id: 80,
};

function defaultWidth(c: ColumnInfo): number {
  return WIDTHS[c.name] ?? (c.type === 'BOOLEAN' ? 90 : c.type === 'INTEGER' || c.type === 'DOUBLE' ? 100 : 160);
}

function visibleLayout(layout: ColumnLayout, info: Map<string, ColumnInfo>): ColumnLayout['columns'] {
  return layout.columns.filter((c) => !c.hidden && info.has(c.name) && !(layout.autoHideEmpty !== false && info.get(c.name)!.empty));
}

function sortFromGrid(g: GridApi): SortSpec {
  return g
    .getColumnState()
    .filter((s) => s.sort)
    .sort((a, b) => (a.sortIndex ?? 0) - (b.sortIndex ?? 0))
    .map((s) => ({ column: s.colId, dir: s.sort === 'desc' ? ('desc' as const) : ('asc' as const) }));
}

export function GridView() {
  const filter = useAppState((s) => s.filter);
  const sort = useAppState((s) => s.sort);
  const zone = useAppState((s) => s.timeZone);
  const dataVersion = useAppState((s) => s.dataVersion);
  const grouping = useGrouping();

  const [rawColumns, setColumns] = useState<ColumnInfo[] | null>(null);
  // Time columns are titled in the display zone everywhere the grid names them (headers, sort, chips, menus).
  const columns = useMemo(() => rawColumns && withZoneLabels(rawColumns, zone), [rawColumns, zone]);
  const [layout, setLayout] = useState<ColumnLayout | null>(null);
  const [tags, setTags] = useState<TagInfo[]>([]);
  const [errors, setErrors] = useState<Map<number, ErrorMeaningInfo>>(new Map());
  const [counts, setCounts] = useState<{ total: number; caseTotal: number } | null>(null);
  const [selected, setSelected] = useState<number[]>([]);
  /** Ctrl+A: every row under the filter is selected, loaded or not (the grid only holds pages of them). */
  const [allSelected, setAllSelected] = useState(false);
  const allSelectedRef = useRef(false);
  allSelectedRef.current = allSelected;
  const [detailRow, setDetailRow] = useState<number | null>(null);
  const [filterPop, setFilterPop] = useState<{ column: ColumnInfo; rect: DOMRect } | null>(null);
  const [menu, setMenu] = useState<CellMenuTarget | null>(null);
  const [chooser, setChooser] = useState<DOMRect | null>(null);
  const [tagsPop, setTagsPop] = useState<DOMRect | null>(null);
  const [exporting, setExporting] = useState(false);
  const [showSql, setShowSql] = useState(false);
  const [notice, setNotice] = useState<{ text: string; bad?: boolean } | null>(null);
  const [searchText, setSearchText] = useState(filter.search ?? '');
  const [loadError, setLoadError] = useState<string | null>(null);
  const [viewsPop, setViewsPop] = useState<DOMRect | null>(null);
  const [rulesPop, setRulesPop] = useState<DOMRect | null>(null);
  const [rules, setRules] = useState<ColourRuleInfo[]>([]);
  const rulesRef = useRef<ColourRuleInfo[]>([]);
  rulesRef.current = rules;

  const gridApi = useRef<GridApi<Row> | null>(null);
  const history = useFilterHistory();
  /** The row "Around this sign-in" was asked from: kept in view and highlighted while its filter stands. */
  const anchor = useRef<{ rowId: number; filterKey: string; index: number | null } | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const info = useMemo(() => new Map((columns ?? []).map((c) => [c.name, c])), [columns]);
  const shown = useMemo(() => (layout ? visibleLayout(layout, info) : []), [layout, info]);
  const shownNames = useMemo(() => shown.map((c) => c.name), [shown]);
  const fetchColumns = useMemo(() => [...new Set([...ALWAYS_FETCHED, ...shownNames])], [shownNames]);
  const fetchRef = useRef(fetchColumns);
  fetchRef.current = fetchColumns;

  // Case metadata, all asked at once: columns, the remembered layout, tags, colour rules and
  // the error table. The rows are asked for as soon as the grid is drawn from them.
  useEffect(() => {
    let live = true;
    void (async () => {
      try {
        const rulesAsked = api.listColourRules({}).catch(() => null);
        const [cols, saved, tagList, codes] = await Promise.all([caseColumns(getState().dataVersion), api.getColumnLayout({}), api.listTags({}), api.errorCodes({})]);
        if (!live) return;
        setColumns(cols);
        setLayout(saved ? completeLayout(saved, cols) : presetLayout('portal', cols));
        setTags(tagList);
        setErrors(new Map(codes.map((c) => [c.code, c])));
        const r = await rulesAsked;
        if (live && r) setRules(r);
      } catch (e) {
        if (live) setLoadError(e instanceof Error ? e.message : String(e));
      }
    })();
    return () => {
      live = false;
    };
  }, []);

  // Tags and colour rules again when the data changes under the open grid (the first load has them).
  const loadedVersion = useRef(dataVersion);
  useEffect(() => {
    if (!columns || loadedVersion.current === dataVersion) return;
    loadedVersion.current = dataVersion;
    void api.listTags({}).then(setTags);
    void api.listColourRules({}).then(setRules).catch(() => undefined);
  }, [dataVersion, columns]);
  useEffect(installRuleStyles, []);
  // Rows carry the index of the first colour rule they meet (computed by the engine); the
  // classes follow it, and are re-evaluated whenever a row's data or the rules change.
  const rowClassRules = useMemo<RowClassRules<Row>>(() => {
    const colourOf = (p: RowClassParams<Row>) => (typeof p.data?._rule === 'number' ? rulesRef.current[p.data._rule]?.colour : undefined);
    return {
      'anchor-row': (p) => p.data !== undefined && anchor.current !== null && Number(p.data.row_id) === anchor.current.rowId,
      'rule-row': (p) => colourOf(p) !== undefined,
      ...Object.fromEntries(RULE_COLOURS.map((c) => [`rule-${c}`, (p: RowClassParams<Row>) => colourOf(p) === c])),
    };
  }, []);
  useEffect(() => gridApi.current?.redrawRows(), [rules]);


  const saveLayout = useCallback((l: ColumnLayout) => {
    setLayout(l);
    void api.setColumnLayout({ layout: l }).catch(() => undefined);
  }, []);

  // A saved view brings back the shared filter, sort and zone, and this grid's columns.
  const applyView = useCallback(
    (v: SavedViewInfo) => {
      const s = v.state;
      if (columns) saveLayout(completeLayout({ preset: s.preset, columns: s.columns, autoHideEmpty: s.autoHideEmpty }, columns));
      if (s.timeZone !== getState().timeZone) setTimeZone(s.timeZone);
      setState({ filter: s.filter, sort: s.sort });
      setGrouping(s.grouping ? { by: s.grouping.columns, sort: s.grouping.sort ?? { key: 'rows', dir: 'desc' } } : null);
    },
    [columns, saveLayout],
  );
  const currentView = useCallback((): ViewStateInput => {
    const st = getState();
    const grouping = getGrouping();
    return { filter: st.filter, sort: st.sort, timeZone: st.timeZone, columns: layout?.columns ?? [], autoHideEmpty: layout?.autoHideEmpty, preset: layout?.preset, grouping: grouping ? { columns: grouping.by, sort: grouping.sort } : null };
  }, [layout]);

  // One context object for cells and headers; mutated, then the grid is told to redraw.
  const ctx = useRef<GridContext>({
    terms: { any: [], byColumn: {} },
    zone,
    errors,
    tags: new Map(),
    openFilter: () => undefined,
  });
  ctx.current.openFilter = (column, anchor) => {
    const c = info.get(column);
    if (c) setFilterPop({ column: c, rect: anchor.getBoundingClientRect() });
  };
  useEffect(() => {
    ctx.current.terms = highlightTerms(filter, new Set(info.keys()));
    ctx.current.zone = zone;
    ctx.current.errors = errors;
    ctx.current.tags = new Map(tags.map((t) => [t.tagId, t]));
    gridApi.current?.refreshCells({ force: true });
  }, [filter, zone, errors, tags, info]);

  const scrollToAnchor = useCallback(() => {
    const a = anchor.current;
    const g = gridApi.current;
    if (!a || a.index === null || !g || g.getDisplayedRowCount() <= a.index) return;
    g.ensureIndexVisible(a.index, 'middle');
    a.index = null;
  }, []);

  const datasource = useCallback(
    (f: FilterState, s: SortSpec): IDatasource => ({
      getRows: (p) => {
        api
          .getRows({ filter: f, sort: s, start: p.startRow, end: p.endRow, columns: fetchRef.current })
          .then((r) => {
            p.successCallback(r.rows, r.total);
            // Under Ctrl+A the page just loaded is part of the selection (its nodes exist once the callback has run).
            if (allSelectedRef.current) setTimeout(() => gridApi.current?.forEachNode((n) => n.data && !n.isSelected() && n.setSelected(true, false, 'api')), 0);
            scrollToAnchor();
            setCounts({ total: r.total, caseTotal: r.caseTotal });
            setLoadError(null);
          })
          .catch((e: unknown) => {
            p.failCallback();
            setLoadError(e instanceof Error ? e.message : String(e));
          });
      },
    }),
    [],
  );

  // A new filter or sort is a new view: start again from the top (or at the anchor row).
  // A selection belongs to the rows it was made among: a new filter drops it, so that
  // "export / copy the selected rows" never means rows the view no longer shows.
  const selectionFilter = useRef(filter);
  useEffect(() => {
    setAllSelected(false);
    if (selectionFilter.current !== filter) {
      selectionFilter.current = filter;
      gridApi.current?.deselectAll();
      setSelected([]);
    }
    gridApi.current?.setGridOption('datasource', datasource(filter, sort));
    const a = anchor.current;
    if (!a) return;
    if (a.filterKey !== JSON.stringify(filter)) {
      anchor.current = null;
      gridApi.current?.redrawRows();
      return;
    }
    let live = true;
    void api
      .rowPosition({ filter, sort, rowId: a.rowId })
      .then((p) => {
        if (!live || anchor.current !== a) return;
        a.index = p.index;
        scrollToAnchor();
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [filter, sort, datasource, scrollToAnchor]);

  const around = useCallback((rowId: number, timeIso: string, minutes: number) => {
    const c = aroundCondition('time_utc', timeIso, minutes, getState().timeZone);
    addCondition(c, true);
    const f = getState().filter;
    anchor.current = { rowId, filterKey: JSON.stringify(f), index: null };
    setState({ sort: [{ column: 'time_utc', dir: 'asc' }], selectedRowId: rowId });
  }, []);

  // Same view, new data (tags, notes) or new columns: reload the pages in place.
  const firstPurge = useRef(true);
  useEffect(() => {
    if (firstPurge.current) {
      firstPurge.current = false;
      return;
    }
    gridApi.current?.purgeInfiniteCache();
  }, [dataVersion, fetchColumns.join(',')]);

  // Keep the grid's sort indicators in step with the shared sort.
  useEffect(() => {
    const g = gridApi.current;
    if (!g || JSON.stringify(sortFromGrid(g)) === JSON.stringify(sort)) return;
    g.applyColumnState({ state: sort.map((s, i) => ({ colId: s.column, sort: s.dir, sortIndex: i })), defaultState: { sort: null } });
  }, [sort, shownNames]);

  // Search as you type, a moment after the last key.
  useEffect(() => {
    if ((filter.search ?? '') === searchText) return;
    const t = setTimeout(() => setSearch(searchText), 300);
    return () => clearTimeout(t);
  }, [searchText, filter.search]);
  useEffect(() => setSearchText(filter.search ?? ''), [filter.search]);

  const colDefs = useMemo<ColDef<Row>[]>(() => {
    const tagCol: ColDef<Row> = {
      colId: '_tags',
      headerName: '',
      headerTooltip: 'Tags and notes',
      width: 44,
      pinned: 'left',
      sortable: false,
      resizable: false,
      suppressMovable: true,
      cellRenderer: TagsCell,
      lockPosition: 'left',
    };
    return [
      tagCol,
      ...shown.map((c): ColDef<Row> => {
        const meta = info.get(c.name)!;
        return {
          field: c.name,
          colId: c.name,
          headerName: c.name === 'time_utc' ? `Date (${zoneLabel(zone)})` : c.name === 'error_code' ? 'Error code' : meta.label,
          headerTooltip: `${meta.label} — ${meta.description} [${c.name}]`,
          width: c.width ?? defaultWidth(meta),
          ...(meta.type === 'TIMESTAMP' ? { minWidth: TIME_MIN_WIDTH } : {}),
          pinned: c.pinned ?? null,
          sortable: true,
          cellRenderer: TextCell,
          cellRendererParams: { colType: meta.type },
          cellClass: meta.type === 'INTEGER' || meta.type === 'BIGINT' || meta.type === 'DOUBLE' ? 'num' : meta.type === 'TIMESTAMP' ? 'mono time' : undefined,
          headerComponentParams: { innerHeaderComponent: HeaderInner },
        };
      }),
    ];
  }, [shown, info, zone]);

  const onGridReady = useCallback(
    (e: GridReadyEvent<Row>) => {
      gridApi.current = e.api;
      const s = getState().sort;
      e.api.applyColumnState({ state: s.map((x, i) => ({ colId: x.column, sort: x.dir, sortIndex: i })), defaultState: { sort: null } });
      e.api.setGridOption('datasource', datasource(getState().filter, getState().sort));
    },
    [datasource],
  );

  const persistColumns = useCallback(() => {
    const g = gridApi.current;
    if (!g || !layout) return;
    const state = g.getColumnState().filter((s) => s.colId !== '_tags');
    const visible = state.map((s) => ({ name: s.colId, pinned: (s.pinned ?? null) as 'left' | 'right' | null, width: Math.round(s.width ?? 0) || undefined, hidden: Boolean(s.hide) }));
    const names = new Set(visible.map((v) => v.name));
    const rest = layout.columns.filter((c) => !names.has(c.name));
    saveLayout({ ...layout, preset: undefined, columns: [...visible, ...rest] });
  }, [layout, saveLayout]);

  const openDetail = useCallback((rowId: number) => {
    setDetailRow(rowId);
    setState({ selectedRowId: rowId });
  }, []);

  const visibleInfo = useCallback(() => shownNames.map((n) => info.get(n)!).filter(Boolean), [shownNames, info]);

  /** After Ctrl+A the rows are read from the engine, not from the pages the grid happens to hold. */
  const copyAllFiltered = useCallback(async (cols: ColumnInfo[]) => {
    const { filter: f, sort: s, timeZone: z } = getState();
    const total = counts?.total ?? 0;
    if (total > MAX_COPY_ROWS) {
      setNotice({ text: `${total.toLocaleString('en-US')} rows are too many for the clipboard (at most ${MAX_COPY_ROWS.toLocaleString('en-US')}); use Export… instead`, bad: true });
      return;
    }
    try {
      const rows: Row[] = [];
      // The engine hands out pages of at most 1,000 rows.
      for (let start = 0; start < total; ) {
        const page = await api.getRows({ filter: f, sort: s, start, end: Math.min(total, start + 1000), columns: [...new Set([...ALWAYS_FETCHED, ...cols.map((c) => c.name)])] });
        if (!page.rows.length) break;
        rows.push(...page.rows);
        start += page.rows.length;
      }
      const header = cols.map((c) => (c.name === 'time_utc' ? `Date (${zoneLabel(z)})` : c.label));
      await copyText(toTsv([header, ...rows.map((row) => cols.map((c) => cellText(row[c.name], c.type, z)))]));
      setNotice({ text: `Copied ${rows.length} row(s) × ${cols.length} column(s)` });
    } catch (e) {
      setNotice({ text: e instanceof Error ? e.message : String(e), bad: true });
    }
  }, [counts]);

  /** Ctrl/Cmd+C: the selected rows' visible cells as TSV with headers, or the focused cell. */
  const copySelection = useCallback(() => {
    const g = gridApi.current;
    if (!g) return;
    const cols = visibleInfo();
    if (allSelectedRef.current) {
      void copyAllFiltered(cols);
      return;
    }
    const rows = g.getSelectedRows();
    if (rows.length) {
      const z = getState().timeZone;
      const header = cols.map((c) => (c.name === 'time_utc' ? `Date (${zoneLabel(z)})` : c.label));
      void copyText(toTsv([header, ...rows.map((r) => cols.map((c) => cellText(r[c.name], c.type, z)))]));
      setNotice({ text: `Copied ${rows.length} row(s) × ${cols.length} column(s)` });
      return;
    }
    const cell = g.getFocusedCell();
    const node = cell ? g.getDisplayedRowAtIndex(cell.rowIndex) : undefined;
    const meta = cell ? info.get(cell.column.getColId()) : undefined;
    if (node?.data && meta) void copyText(toTsv([[meta.label], [cellText(node.data[meta.name], meta.type, getState().timeZone)]]));
  }, [visibleInfo, info, copyAllFiltered]);

  const selectAllFiltered = useCallback(() => {
    const g = gridApi.current;
    if (!g) return;
    setAllSelected(true);
    allSelectedRef.current = true;
    g.forEachNode((n) => n.data && n.setSelected(true, false, 'api'));
    const total = counts?.total ?? 0;
    setNotice({ text: `Selected all ${total.toLocaleString('en-US')} rows under the filter: Tags ▾ and Export… act on all of them` });
  }, [counts]);

  /** Ctrl+Home / Ctrl+End: the infinite grid loads the first or last page and focuses its row. */
  const goToEdge = useCallback((last: boolean) => {
    const g = gridApi.current;
    if (!g) return;
    const index = last ? Math.max(0, (counts?.total ?? g.getDisplayedRowCount()) - 1) : 0;
    const column = g.getFocusedCell()?.column ?? g.getAllDisplayedColumns().find((c) => c.getColId() !== '_tags');
    g.ensureIndexVisible(index, last ? 'bottom' : 'top');
    if (column) g.setFocusedCell(index, column);
  }, [counts]);

  const onCellKeyDown = useCallback(
    (e: CellKeyDownEvent<Row> | FullWidthCellKeyDownEvent<Row>) => {
      const k = e.event as KeyboardEvent | undefined;
      if (!k) return;
      const mod = k.ctrlKey || k.metaKey;
      if (mod && k.key.toLowerCase() === 'a') {
        k.preventDefault();
        selectAllFiltered();
      } else if (mod && (k.key === 'End' || k.key === 'Home')) {
        k.preventDefault();
        goToEdge(k.key === 'End');
      } else if (k.key === 'Enter' && e.data) {
        k.preventDefault();
        openDetail(Number(e.data.row_id));
      } else if ((k.ctrlKey || k.metaKey) && k.key.toLowerCase() === 'c') {
        k.preventDefault();
        copySelection();
      }
    },
    [openDetail, copySelection, selectAllFiltered, goToEdge],
  );

  // App-wide keys while the grid is on screen.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'f') {
        e.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
      } else if (e.key === 'Escape' && detailRow !== null && !document.querySelector('.popover, .modal')) {
        setDetailRow(null);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [detailRow]);

  const tagRowsQuick = useCallback(async (tagId: number, rowId: number) => {
    const ids = gridApi.current?.getSelectedRows().map((r) => Number(r.row_id)) ?? [];
    const target = ids.includes(rowId) ? ids : [rowId];
    try {
      const r = await api.tagRows({ tagId, target: { rowIds: target } });
      setNotice({ text: `Tagged ${r.added} row(s)` });
      bumpDataVersion();
    } catch (e) {
      setNotice({ text: e instanceof Error ? e.message : String(e), bad: true });
    }
  }, []);

  const bookmark = useCallback(
    async (rowId: number) => {
      try {
        const existing = (await api.listTags({})).find((t) => t.name === BOOKMARK_TAG);
        const tag = existing ?? (await api.createTag({ name: BOOKMARK_TAG, color: '#f9ab00' }));
        await tagRowsQuick(tag.tagId, rowId);
      } catch (e) {
        setNotice({ text: e instanceof Error ? e.message : String(e), bad: true });
      }
    },
    [tagRowsQuick],
  );

  if (loadError && !columns) return <div className="banner error">{loadError}</div>;
  if (!columns || !layout) return <div className="placeholder">Loading the case…</div>;

  const presetLabel = PRESETS.find((p) => p.id === layout.preset)?.label ?? 'Custom';
  const sortText = sort.map((s) => `${info.get(s.column)?.label ?? s.column} ${s.dir === 'desc' ? '↓' : '↑'}`).join(', ') || 'row order';
  const tagMap = new Map(tags.map((t) => [t.tagId, t]));

  return (
    <div className="grid-view">
      <div className="toolbar" role="toolbar" aria-label="Grid tools">
        <button className="nav-btn" onClick={() => filterBack()} disabled={!history.back} aria-label="Previous filter" title="Previous filter (Alt+←)">
          ←
        </button>
        <button className="nav-btn" onClick={() => filterForward()} disabled={!history.forward} aria-label="Next filter" title="Next filter (Alt+→)">
          →
        </button>
        <div className="grid-search">
          <svg viewBox="0 0 16 16" width="13" height="13" aria-hidden="true">
            <circle cx="6.5" cy="6.5" r="4.5" fill="none" stroke="currentColor" strokeWidth="1.6" />
            <path d="M10 10l4.5 4.5" stroke="currentColor" strokeWidth="1.6" />
          </svg>
          <input
            ref={searchRef}
            type="search"
            value={searchText}
            onChange={(e) => setSearchText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') setSearch(searchText);
            }}
            placeholder='Search all columns — words, "phrases", ip:203.0.113.7, -exclude   (Ctrl+F)'
            aria-label="Search all text columns"
            spellCheck={false}
          />
        </div>
        <button onClick={(e) => setChooser(e.currentTarget.getBoundingClientRect())} aria-haspopup="dialog" aria-label={`Columns: ${presetLabel}`}>
          Columns: {presetLabel} ▾
        </button>
        <button onClick={(e) => setTagsPop(e.currentTarget.getBoundingClientRect())} aria-haspopup="dialog" aria-label="Tags">
          Tags{tags.length ? ` (${tags.length})` : ''} ▾
        </button>
        <button disabled={!selected.length && detailRow === null} onClick={() => (detailRow !== null ? setDetailRow(null) : selected[0] !== undefined && openDetail(selected[0]))}>
          {detailRow !== null ? 'Hide details' : 'Details'}
        </button>
        <button onClick={(e) => setViewsPop(e.currentTarget.getBoundingClientRect())} aria-haspopup="dialog">
          Views ▾
        </button>
        <button onClick={(e) => setRulesPop(e.currentTarget.getBoundingClientRect())} aria-haspopup="dialog">
          Colours ▾
        </button>
        <button
          aria-pressed={grouping !== null}
          onClick={() => setGrouping(grouping ? null : { by: ['user_principal_name'], sort: { key: 'rows', dir: 'desc' } })}
          title="Group the filtered sign-ins by one or two columns"
        >
          Group by…
        </button>
        <button onClick={() => setShowSql(true)}>Show SQL</button>
        <button onClick={() => setExporting(true)}>Export…</button>
        <span className="count" aria-live="polite" data-testid="row-count">
          {counts ? (
            <>
              <strong>{counts.total.toLocaleString('en-US')}</strong> of {counts.caseTotal.toLocaleString('en-US')} sign-ins
            </>
          ) : (
            'Counting…'
          )}
        </span>
      </div>
      <FilterChips columns={columns} tags={tagMap} />
      <ColourLegend rules={rules} onOpen={setRulesPop} />
      {notice && (
        <div className={notice.bad ? 'notice bad' : 'notice'} role="status">
          {notice.text}
          <button className="plain" aria-label="Dismiss" onClick={() => setNotice(null)}>
            ×
          </button>
        </div>
      )}
      {loadError && <div className="banner error">{loadError}</div>}
      {grouping && <GroupPanel grouping={grouping} columns={columns} onOpenRow={openDetail} />}
      <div className="grid-split">
        <div className="grid-host" aria-label="Sign-ins">
          <AgGridReact<Row>
            theme={gridTheme}
            rowModelType="infinite"
            cacheBlockSize={100}
            maxBlocksInCache={60}
            blockLoadDebounceMillis={40}
            infiniteInitialRowCount={1}
            columnDefs={colDefs}
            defaultColDef={{ resizable: true, sortable: true, editable: false, suppressHeaderMenuButton: true, suppressHeaderFilterButton: true }}
            context={ctx.current}
            getRowId={(p) => String(p.data.row_id)}
            rowClassRules={rowClassRules}
            rowSelection={{ mode: 'multiRow', checkboxes: false, headerCheckbox: false, enableClickSelection: true }}
            preventDefaultOnContextMenu
            suppressDragLeaveHidesColumns
            tooltipShowDelay={400}
            onGridReady={onGridReady}
            onSortChanged={(e) => {
              const s = sortFromGrid(e.api);
              if (JSON.stringify(s) !== JSON.stringify(getState().sort)) setState({ sort: s });
            }}
            onSelectionChanged={(e) => {
              // A click or keyboard selection is a new, explicit selection; rows paged in under Ctrl+A are not.
              if (e.source !== 'api' && allSelectedRef.current) setAllSelected(false);
              setSelected(e.api.getSelectedRows().map((r) => Number(r.row_id)));
            }}
            onRowClicked={(e) => e.data && setState({ selectedRowId: Number(e.data.row_id) })}
            onRowDoubleClicked={(e) => e.data && openDetail(Number(e.data.row_id))}
            onCellFocused={(e) => {
              if (detailRow === null || e.rowIndex === null || e.rowIndex === undefined) return;
              const node = e.api.getDisplayedRowAtIndex(e.rowIndex);
              if (node?.data) setDetailRow(Number(node.data.row_id));
            }}
            onCellKeyDown={onCellKeyDown}
            onCellContextMenu={(e: CellContextMenuEvent<Row>) => {
              const m = e.event as MouseEvent | undefined;
              const meta = info.get(e.column.getColId());
              if (!m || !e.data || !meta) return;
              setMenu({ x: m.clientX, y: m.clientY, row: e.data, column: meta });
            }}
            onColumnMoved={(e) => e.finished && persistColumns()}
            onColumnResized={(e) => e.finished && e.source === 'uiColumnResized' && persistColumns()}
            onColumnPinned={(e) => e.source !== 'api' && persistColumns()}
          />
        </div>
        {detailRow !== null && <DetailPane rowId={detailRow} columns={columns} tags={tags} onClose={() => setDetailRow(null)} />}
      </div>
      <div className="statusbar" aria-label="Grid status">
        <span>{counts ? `${counts.total.toLocaleString('en-US')} of ${counts.caseTotal.toLocaleString('en-US')} sign-ins` : ''}</span>
        <span data-testid="selection">
          {allSelected && counts ? `All ${counts.total.toLocaleString('en-US')} filtered rows selected` : selected.length ? `${selected.length} selected` : 'No selection'}
        </span>
        <span>Sorted by {sortText} (Shift+click a header to add a sort key)</span>
        <span className="zone">Times in {zoneLabel(zone)}</span>
      </div>
      {filterPop && (
        <ColumnFilter
          column={filterPop.column}
          anchor={filterPop.rect}
          onClose={() => setFilterPop(null)}
          selectedTime={(() => {
            const id = getState().selectedRowId;
            const node = id !== null ? gridApi.current?.getRowNode(String(id)) : undefined;
            return typeof node?.data?.time_utc === 'string' ? node.data.time_utc : null;
          })()}
        />
      )}
      {menu && <CellMenu target={menu} visible={visibleInfo()} tags={tags} onClose={() => setMenu(null)} onOpenDetail={openDetail} onTag={(t, r) => void tagRowsQuick(t, r)} onBookmark={(r) => void bookmark(r)} onAround={around} />}
      {chooser && <ColumnChooser anchor={chooser} all={columns} layout={layout} onChange={saveLayout} onClose={() => setChooser(null)} />}
      {tagsPop && (
        <TagsMenu
          anchor={tagsPop}
          tags={tags}
          selected={allSelected ? [] : selected}
          filteredCount={counts?.total ?? 0}
          onClose={() => setTagsPop(null)}
          onChanged={(text) => setNotice({ text })}
          onError={(text) => setNotice({ text, bad: true })}
        />
      )}
      {exporting && <ExportDialog columns={shownNames} count={counts?.total ?? 0} selected={allSelected ? 'all' : selected} onClose={() => setExporting(false)} />}
      {showSql && <SqlDialog onClose={() => setShowSql(false)} />}
      {viewsPop && <SavedViewsMenu anchor={viewsPop} current={currentView} onApply={applyView} onClose={() => setViewsPop(null)} onNotice={(text, bad) => setNotice({ text, bad })} />}
      {rulesPop && (
        <ColourRulesMenu
          anchor={rulesPop}
          rules={rules}
          tags={tags}
          columns={new Set(info.keys())}
          onChange={(next) => {
            setRules(next);
            bumpDataVersion();
          }}
          onClose={() => setRulesPop(null)}
        />
      )}
    </div>
  );
}
