import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api } from '../api/client';
import type { Condition, FilterState } from '../../electron/api/schemas/filter';
import type { HistogramResult, LaneBy, LanesResult, StackBy } from '../../electron/api/methods/timeline';
import { setState, useAppState } from '../state/store';
import { followLead } from '../app/navigation';
import { TimelineChart, type Hover } from './TimelineChart';
import { HoverCard } from './HoverCard';
import { LanePicker } from './LanePicker';
import { paletteFor } from './palette';
import { useDarkMode } from './useDarkMode';
import { formatDuration, formatInZone, formatRange, resolveZoneName } from './zoneTime';
import './timeline.css';

const STACK_OPTIONS: { value: StackBy; label: string }[] = [
  { value: 'status', label: 'Status' },
  { value: 'log_type', label: 'Log type' },
  { value: 'user', label: 'Top users' },
  { value: 'ip', label: 'Top IP addresses' },
  { value: 'app', label: 'Top applications' },
  { value: 'country', label: 'Top countries' },
];
const LANE_OPTIONS: { value: LaneBy | 'off'; label: string }[] = [
  { value: 'off', label: 'No lanes' },
  { value: 'user', label: 'Users' },
  { value: 'ip', label: 'IP addresses' },
  { value: 'session', label: 'Sessions' },
];
const LANE_COLUMN: Record<LaneBy, string> = { user: 'user_principal_name', ip: 'ip_address', session: 'session_id' };
const SELECTION_LABEL = 'Timeline';

/** Conditions the timeline itself drew (the brushed range, a mark selection): shown, not applied to itself. */
function isOwn(c: Condition): boolean {
  return (c.kind === 'time' && c.column === 'time_utc') || (c.kind === 'rows' && (c.label ?? '').startsWith(SELECTION_LABEL));
}

/**
 * The timeline holds one selection at a time: a new range or mark replaces whatever it
 * selected before (either kind); clearing removes just the one asked for.
 */
function replaceOwn(next: Condition | null, kind: 'time' | 'rows'): void {
  setState((s) => ({
    filter: {
      ...s.filter,
      conditions: [...s.filter.conditions.filter((c) => !(isOwn(c) && (next || c.kind === kind))), ...(next ? [next] : [])],
    },
  }));
}

const fmt = (n: number) => n.toLocaleString('en-US');

export function TimelineView() {
  const filter = useAppState((s) => s.filter);
  const dataVersion = useAppState((s) => s.dataVersion);
  const zone = resolveZoneName(useAppState((s) => s.timeZone));
  const dark = useDarkMode();
  const palette = useMemo(() => paletteFor(dark), [dark]);

  const [stackBy, setStackBy] = useState<StackBy>('status');
  const [topN, setTopN] = useState(8);
  const [laneBy, setLaneBy] = useState<LaneBy | 'off'>('user');
  const [laneN, setLaneN] = useState(12);
  const [picked, setPicked] = useState<string[]>([]);
  const [mode, setMode] = useState<'select' | 'pan'>('select');
  const [viewEntry, setViewEntry] = useState<{ key: string; view: { from: number; to: number } } | null>(null);
  const [hist, setHist] = useState<HistogramResult | null>(null);
  const [lanes, setLanes] = useState<LanesResult | null>(null);
  /** The filter the shown lanes were drawn under: a lane's card asks its figures under the same one. */
  const [lanesFilter, setLanesFilter] = useState<FilterState | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [hover, setHover] = useState<Hover | null>(null);
  const [selectedCount, setSelectedCount] = useState<{ total: number; caseTotal: number } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const own = filter.conditions.filter(isOwn);
  const timeSel = own.find((c): c is Extract<Condition, { kind: 'time' }> => c.kind === 'time');
  const rowsSel = own.find((c): c is Extract<Condition, { kind: 'rows' }> => c.kind === 'rows');
  const selection = useMemo(
    () => (timeSel?.from && timeSel.to ? { from: Date.parse(timeSel.from), to: Date.parse(timeSel.to) } : null),
    [timeSel?.from, timeSel?.to],
  );
  const tlFilter: FilterState = useMemo(() => ({ ...filter, conditions: filter.conditions.filter((c) => !isOwn(c)) }), [filter]);
  const tlKey = JSON.stringify(tlFilter);

  // A zoom belongs to the filter, zone and data it was made on; any change shows the whole
  // extent again (derived here rather than reset in an effect, so no stale request goes out).
  const viewKey = JSON.stringify([tlKey, zone, dataVersion]);
  const view = viewEntry?.key === viewKey ? viewEntry.view : null;
  const setView = useCallback((v: { from: number; to: number } | null) => setViewEntry(v ? { key: viewKey, view: v } : null), [viewKey]);

  const histSeq = useRef(0);
  useEffect(() => {
    const seq = ++histSeq.current;
    setLoading(true);
    api
      .timelineHistogram({ filter: tlFilter, timeZone: zone, stackBy, topN, ...(view ? { range: view } : {}) })
      .then((h) => {
        if (seq !== histSeq.current) return;
        setHist(h);
        setError(null);
      })
      .catch((e: unknown) => seq === histSeq.current && setError(e instanceof Error ? e.message : String(e)))
      .finally(() => seq === histSeq.current && setLoading(false));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [tlKey, zone, stackBy, topN, view, dataVersion]);

  const laneSeq = useRef(0);
  const pickedKey = JSON.stringify(picked);
  useEffect(() => {
    const seq = ++laneSeq.current;
    if (laneBy === 'off') {
      setLanes(null);
      return;
    }
    api
      .timelineLanes({ filter: tlFilter, timeZone: zone, by: laneBy, topN: laneN, maxMarksPerLane: 400, ...(picked.length ? { values: picked } : {}), ...(view ? { range: view } : {}) })
      .then((l) => {
        if (seq !== laneSeq.current) return;
        setLanes(l);
        setLanesFilter(tlFilter);
      })
      .catch((e: unknown) => seq === laneSeq.current && setError(e instanceof Error ? e.message : String(e)));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [tlKey, zone, laneBy, laneN, pickedKey, view, dataVersion]);

  const filterKey = JSON.stringify(filter);
  useEffect(() => {
    let live = true;
    api
      .countRows({ filter })
      .then((r) => live && setSelectedCount(r))
      .catch(() => live && setSelectedCount(null));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [filterKey, dataVersion]);

  useEffect(() => setPicked([]), [laneBy]);
  // Indices in a hover read-out refer to the data it was taken from.
  useEffect(() => setHover(null), [hist, lanes]);

  /** Snap a brushed range outward to whole buckets, so the selection equals the bars under it. */
  const onBrush = useCallback(
    (from: number, to: number) => {
      if (!hist || !hist.starts.length) return;
      let a = hist.starts[0]!;
      for (const s of hist.starts) if (s <= from) a = s;
      let b = hist.ends[hist.ends.length - 1]!;
      for (let i = hist.ends.length - 1; i >= 0; i--) if (hist.ends[i]! >= to) b = hist.ends[i]!;
      selectTime(a, b, zone);
    },
    [hist, zone],
  );

  const onBucketClick = useCallback(
    (i: number) => {
      if (!hist) return;
      selectTime(hist.starts[i]!, hist.ends[i]!, zone);
    },
    [hist, zone],
  );

  const onMarkClick = useCallback(
    async (i: number) => {
      if (!lanes) return;
      const m = lanes.marks;
      const lane = lanes.lanes[m.lane[i]!]!;
      if (m.n[i] === 1) {
        replaceOwn({ kind: 'rows', rowIds: [m.rowId[i]!], label: `${SELECTION_LABEL}: sign-in of ${lane.label} at ${formatInZone(zone, m.t[i]!, true)}` }, 'rows');
        setState({ selectedRowId: m.rowId[i]! });
        setNotice(`Selected 1 sign-in of ${lane.label}. The Sign-ins tab shows it.`);
        return;
      }
      const res = await api.timelineRowIds({
        filter: tlFilter,
        range: { from: m.t[i]!, to: m.end[i]! },
        lane: { by: lanes.by, value: lane.key },
        status: m.status[i]!,
      });
      replaceOwn({ kind: 'rows', rowIds: res.rowIds, label: `${SELECTION_LABEL}: ${fmt(res.rowIds.length)} sign-ins of ${lane.label}, ${formatRange(zone, m.t[i]!, m.end[i]!)}` }, 'rows');
      setState({ selectedRowId: res.rowIds[0] ?? null });
      setNotice(`Selected ${fmt(res.rowIds.length)} sign-ins of ${lane.label}${res.truncated ? ' (first 200,000)' : ''}. The Sign-ins tab shows them.`);
    },
    [lanes, tlFilter, zone],
  );

  const onLaneClick = useCallback(
    (i: number) => {
      if (!lanes) return;
      const lane = lanes.lanes[i]!;
      const column = LANE_COLUMN[lanes.by];
      setState((s) => ({
        filter: {
          ...s.filter,
          conditions: [...s.filter.conditions.filter((c) => !(c.kind === 'values' && c.column === column)), { kind: 'values', column, values: [lane.key] }],
        },
      }));
      setNotice(`Filtered to ${lane.label}.`);
    },
    [lanes],
  );

  const shownSum = hist ? hist.counts.reduce((a, c) => a + c.reduce((x, y) => x + y, 0), 0) : 0;
  const hasData = Boolean(hist?.extent);

  return (
    <section className="timeline" aria-label="Timeline">
      <div className="timeline-toolbar" role="toolbar" aria-label="Timeline controls">
        <label className="tl-field">
          <span>Stack by</span>
          <select aria-label="Stack by" value={stackBy} onChange={(e) => setStackBy(e.target.value as StackBy)}>
            {STACK_OPTIONS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        {stackBy !== 'status' && stackBy !== 'log_type' && (
          <label className="tl-field">
            <span>Top</span>
            <select aria-label="Series count" value={topN} onChange={(e) => setTopN(Number(e.target.value))}>
              {[3, 5, 8, 10, 15, 20].map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
        )}
        <span className="tl-sep" />
        <label className="tl-field">
          <span>Lanes</span>
          <select aria-label="Lanes" value={laneBy} onChange={(e) => setLaneBy(e.target.value as LaneBy | 'off')}>
            {LANE_OPTIONS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        {laneBy !== 'off' && !picked.length && (
          <label className="tl-field">
            <span>Top</span>
            <select aria-label="Lane count" value={laneN} onChange={(e) => setLaneN(Number(e.target.value))}>
              {[5, 12, 20, 30, 50].map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
        )}
        {laneBy !== 'off' && <LanePicker column={LANE_COLUMN[laneBy]} filter={tlFilter} picked={picked} onChange={setPicked} />}
        <span className="tl-sep" />
        <div className="tl-segmented" role="radiogroup" aria-label="Drag action">
          <button role="radio" aria-checked={mode === 'select'} className={mode === 'select' ? 'on' : ''} onClick={() => setMode('select')} title="Drag across the histogram to select a time range">
            Select range
          </button>
          <button role="radio" aria-checked={mode === 'pan'} className={mode === 'pan' ? 'on' : ''} onClick={() => setMode('pan')} title="Drag to move the visible window">
            Pan
          </button>
        </div>
        <button onClick={() => setView(null)} disabled={!view} title="Show the whole time span">
          Reset zoom
        </button>
        {selection && (
          <button onClick={() => setView({ from: selection.from, to: selection.to })} title="Zoom to the selected range">
            Zoom to selection
          </button>
        )}
        <span className="tl-status" aria-live="polite">
          {loading && <span className="tl-spinner" aria-label="Loading" />}
          {hist && (
            <>
              <strong data-testid="timeline-shown">{fmt(shownSum)}</strong> sign-ins shown · {hist.bucket.label} buckets · <span title="Display time zone">{zone}</span>
            </>
          )}
        </span>
      </div>

      {laneBy !== 'off' && picked.length > 0 && (
        <div className="timeline-picked" aria-label="Chosen lanes">
          <span className="muted">Lanes for</span>
          {picked.map((v) => (
            <span key={v} className="tl-chip small" title={v}>
              <span className="tl-chip-text">{v}</span>
              <button className="plain" aria-label={`Remove lane ${v}`} onClick={() => setPicked(picked.filter((x) => x !== v))}>
                ×
              </button>
            </span>
          ))}
          <button className="plain tl-clear" onClick={() => setPicked([])} title="Back to the top N">
            Clear
          </button>
        </div>
      )}
      {(selection || rowsSel) && (
        <div className="timeline-selection" role="status" aria-label="Timeline selection">
          {selection && timeSel && (
            <span className="tl-chip" data-testid="timeline-selection" data-from={timeSel.from} data-to={timeSel.to}>
              <span className="tl-chip-key">Time</span> {formatRange(zone, selection.from, selection.to)} <span className="muted">({formatDuration(selection.to - selection.from)}, {zone})</span>
              <button className="plain" aria-label="Clear time selection" onClick={() => replaceOwn(null, 'time')}>
                ×
              </button>
            </span>
          )}
          {rowsSel && (
            <span className="tl-chip" data-testid="timeline-rows-selection">
              <span className="tl-chip-key">Rows</span> {rowsSel.label?.slice(SELECTION_LABEL.length + 2) ?? `${fmt(rowsSel.rowIds.length)} rows`}
              <button className="plain" aria-label="Clear row selection" onClick={() => replaceOwn(null, 'rows')}>
                ×
              </button>
            </span>
          )}
          <button
            className="primary tl-show"
            data-testid="timeline-show-rows"
            onClick={() => followLead({ conditions: own })}
            title="Open the Sign-ins grid with exactly the selected sign-ins (replaces the other filters; Alt+← goes back)"
          >
            Show in grid
          </button>
          {own.length < filter.conditions.length + (filter.search ? 1 : 0) && (
            <button className="tl-add" onClick={() => followLead({ conditions: [] }, 'add')} title="Open the Sign-ins grid with the selection and the other filters together">
              With current filter
            </button>
          )}
          {selectedCount && (
            <span className="tl-count">
              <strong data-testid="timeline-selected-count">{fmt(selectedCount.total)}</strong> of {fmt(selectedCount.caseTotal)} sign-ins match the filter
            </span>
          )}
        </div>
      )}
      {notice && (
        <div className="timeline-notice" role="status">
          {notice}
          <button className="plain" aria-label="Dismiss" onClick={() => setNotice(null)}>
            ×
          </button>
        </div>
      )}
      {error && (
        <div className="banner error" role="alert">
          {error}
        </div>
      )}

      <div className="timeline-body">
        {hist && hasData ? (
          <div className="timeline-chart-wrap">
            <TimelineChart
              hist={hist}
              lanes={lanes}
              zone={zone}
              stackBy={stackBy}
              palette={palette}
              selection={selection}
              view={view}
              mode={mode}
              onZoom={setView}
              onBrush={onBrush}
              onBucketClick={onBucketClick}
              onMarkClick={(i) => void onMarkClick(i)}
              onLaneClick={onLaneClick}
              onHover={setHover}
            />
            {hover && <HoverCard hover={hover} hist={hist} lanes={lanes} lanesFilter={lanesFilter} zone={zone} palette={palette} stackBy={stackBy} />}
            <Findings hist={hist} zone={zone} onPick={(from, to) => setView({ from, to })} onShow={(from, to) => followLead({ conditions: [timeCondition(from, to, zone)] })} />
          </div>
        ) : hist ? (
          <div className="placeholder">No dated sign-ins match the current filter{hist.undated ? ` (${fmt(hist.undated)} have no time)` : ''}.</div>
        ) : (
          !error && <div className="placeholder">Loading the timeline…</div>
        )}
      </div>
    </section>
  );
}

function timeCondition(from: number, to: number, zone: string): Condition {
  return {
    kind: 'time',
    column: 'time_utc',
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    label: `${SELECTION_LABEL}: ${formatRange(zone, from, to)} (${zone})`,
  };
}

function selectTime(from: number, to: number, zone: string): void {
  replaceOwn(timeCondition(from, to, zone), 'time');
}

/** Spikes and gaps as a list under the chart: each zooms the view around it. */
function Findings({ hist, zone, onPick, onShow }: { hist: HistogramResult; zone: string; onPick(from: number, to: number): void; onShow(from: number, to: number): void }) {
  if (!hist.spikes.length && !hist.gaps.length && !hist.undated) return null;
  const pad = (a: number, b: number) => {
    const w = Math.max(b - a, hist.bucket.ms) * 4;
    return [Math.max(hist.extent!.from, a - w), Math.min(hist.extent!.to, b + w)] as const;
  };
  return (
    <div className="timeline-markers" aria-label="Spikes and gaps">
      {hist.spikes.map((s) => [
        <button key={`s${s.start}`} className="tl-marker spike" onClick={() => onPick(...pad(s.start, s.end))} title="Zoom around this spike">
          <span className="tl-marker-kind">Spike</span> {formatRange(zone, s.start, s.end)} · {fmt(s.count)} sign-ins vs median {fmt(Math.round(s.median))}
        </button>,
        <button key={`r${s.start}`} className="tl-marker show" onClick={() => onShow(s.start, s.end)} title="Open the Sign-ins grid with this spike's sign-ins (replaces the current filter)" data-testid="spike-show-rows">
          Show rows
        </button>,
      ])}
      {hist.gaps.map((g) => (
        <button key={`g${g.from}`} className="tl-marker gap" onClick={() => onPick(...pad(g.from, g.to))} title="Zoom around this gap">
          <span className="tl-marker-kind">Gap</span> {formatRange(zone, g.from, g.to, true)} · {formatDuration(g.to - g.from)} without sign-ins
        </button>
      ))}
      {hist.undated > 0 && <span className="tl-marker muted">{fmt(hist.undated)} sign-ins have no time and are not drawn</span>}
    </div>
  );
}
