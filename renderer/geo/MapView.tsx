import { useCallback, useEffect, useMemo, useState } from 'react';
import { api } from '../api/client';
import type { Condition, FilterState } from '../../electron/api/schemas/filter';
import type { MapClusterDto, TravelSegmentDto } from '../../electron/api/methods/geo';
import { clearFilter, setState, useAppState } from '../state/store';
import { formatInstant, zoneLabel } from '../state/timeZone';
import { FilePicker } from '../app/FilePicker';
import { followLead } from '../app/navigation';
import { WorldCanvas } from './WorldCanvas';
import { failureColor, PRECISION_LABEL, type ScreenGroup } from './clusterLayout';
import { CountryTable } from './CountryTable';
import { TravelPanel } from './TravelPanel';
import './geo.css';

type Summary = Awaited<ReturnType<typeof api.geoSummary>>;

const MAP_LABEL = 'Map: ';
const TRAVEL_LABEL = 'Travel: ';

/** The filter without conditions an earlier map or travel click added (a new click replaces them). */
function withoutOwn(filter: FilterState, prefix: string): FilterState {
  return { ...filter, conditions: filter.conditions.filter((c) => !(c.kind === 'rows' && c.label?.startsWith(prefix))) };
}

function applyOwn(prefix: string, c: Condition): void {
  setState((s) => {
    const base = withoutOwn(s.filter, prefix);
    return { filter: { ...base, conditions: [...base.conditions, c] } };
  });
}

export function MapView() {
  const filter = useAppState((s) => s.filter);
  const dataVersion = useAppState((s) => s.dataVersion);
  const zone = useAppState((s) => s.timeZone);
  const [mode, setMode] = useState<'signins' | 'travel'>('signins');
  const [summary, setSummary] = useState<Summary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [selection, setSelection] = useState<{ members: MapClusterDto[]; rows: number; total: number } | null>(null);
  const [segments, setSegments] = useState<TravelSegmentDto[]>([]);
  const [fitToken, setFitToken] = useState('');
  const [hotSegment, setHotSegment] = useState<number | null>(null);
  const [picking, setPicking] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    setLoading(true);
    api
      .geoSummary({ filter, maxClusters: 4000 })
      .then((s) => {
        if (!live) return;
        setSummary(s);
        setError(null);
      })
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [filter, dataVersion]);

  const fmt = useCallback((iso: string | null) => (iso ? formatInstant(iso, zone, false) : '–'), [zone]);

  // A click selects a cluster; its panel then shows the rows in the grid or narrows the filter.
  const onClusterClick = useCallback((g: ScreenGroup) => {
    setSelection({ members: g.members, rows: g.members.reduce((n, m) => n + m.count, 0), total: 0 });
    setNotice(null);
  }, []);

  const clusterLabel = (members: MapClusterDto[]) => `${MAP_LABEL}${members[0]?.place ?? 'cluster'}${members.length > 1 ? ` +${members.length - 1}` : ''}`;

  /** Every sign-in at the selected places, whatever the filter was: the grid shows exactly them. */
  const showCluster = useCallback(async (members: MapClusterDto[]) => {
    try {
      const results = await Promise.all(members.map((m) => api.geoClusterRows({ filter: { conditions: [] }, key: m.key, limit: 200_000 })));
      const rowIds = results.flatMap((r) => r.rowIds).slice(0, 200_000);
      const total = results.reduce((s, r) => s + r.total, 0);
      if (total > rowIds.length) setNotice(`These places hold ${total.toLocaleString('en-US')} sign-ins; the filter keeps the first ${rowIds.length.toLocaleString('en-US')}.`);
      followLead({ conditions: [{ kind: 'rows', rowIds, label: clusterLabel(members) }] });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }, []);

  /** The selected places within the current filter, staying on the map (the earlier behaviour). */
  const narrowToCluster = useCallback(
    async (members: MapClusterDto[]) => {
      const base = withoutOwn(filter, MAP_LABEL);
      const results = await Promise.all(members.map((m) => api.geoClusterRows({ filter: base, key: m.key, limit: 200_000 })));
      const rowIds = results.flatMap((r) => r.rowIds).slice(0, 200_000);
      const total = results.reduce((s, r) => s + r.total, 0);
      setSelection({ members, rows: rowIds.length, total });
      applyOwn(MAP_LABEL, { kind: 'rows', rowIds, label: clusterLabel(members) });
      setNotice(total > rowIds.length ? `This cluster holds ${total.toLocaleString('en-US')} sign-ins; the filter keeps the first ${rowIds.length.toLocaleString('en-US')}.` : null);
    },
    [filter],
  );

  const onSegments = useCallback((segs: TravelSegmentDto[], token: string) => {
    setSegments(segs);
    setFitToken(token);
  }, []);

  const onSegmentPick = useCallback((s: TravelSegmentDto, mode: 'replace' | 'add') => {
    const c: Condition = { kind: 'rows', rowIds: [s.fromRowId, s.toRowId], label: `${TRAVEL_LABEL}${s.user} ${s.fromPlace ?? '?'} → ${s.toPlace ?? '?'}` };
    if (mode === 'replace') followLead({ conditions: [c] });
    else applyOwn(TRAVEL_LABEL, c);
  }, []);

  const ownConditions = filter.conditions.filter((c) => c.kind === 'rows' && (c.label?.startsWith(MAP_LABEL) || c.label?.startsWith(TRAVEL_LABEL)));
  const otherCount = filter.conditions.length - ownConditions.length + (filter.search ? 1 : 0);
  const selectedKeys = useMemo(() => new Set(selection?.members.map((m) => m.key) ?? []), [selection]);
  const total = summary?.total ?? 0;

  return (
    <div className="geo-view">
      <div className="geo-toolbar">
        <div className="geo-modes" role="tablist" aria-label="Map mode">
          <button role="tab" aria-selected={mode === 'signins'} className={mode === 'signins' ? 'active' : ''} onClick={() => setMode('signins')}>
            Sign-in locations
          </button>
          <button role="tab" aria-selected={mode === 'travel'} className={mode === 'travel' ? 'active' : ''} onClick={() => setMode('travel')}>
            Travel
          </button>
        </div>
        <span className="geo-count" data-testid="geo-total">
          {summary ? (
            <>
              <strong>{total.toLocaleString('en-US')}</strong> sign-ins
            </>
          ) : (
            '…'
          )}
          {loading && <span className="geo-spinner" aria-label="Loading" />}
        </span>
        {summary && total > 0 && (
          <span className="geo-precision" title="How precisely the sign-ins could be placed">
            {summary.byPrecision.map((p) => (
              <span key={p.precision} className={`geo-prec geo-prec-${p.precision}`}>
                {PRECISION_LABEL[p.precision] ?? p.precision} {((p.count / total) * 100).toFixed(p.count / total < 0.01 ? 2 : 0)}%
              </span>
            ))}
          </span>
        )}
        <span className="geo-spacer" />
        {ownConditions.map((c, i) => (
          <span key={i} className="geo-chip">
            {c.kind === 'rows' ? `${c.label} (${c.rowIds.length.toLocaleString('en-US')})` : ''}
            <button
              aria-label="Remove map filter"
              onClick={() => {
                setState((s) => ({ filter: { ...s.filter, conditions: s.filter.conditions.filter((x) => x !== c) } }));
                setSelection(null);
              }}
            >
              ×
            </button>
          </span>
        ))}
        {otherCount > 0 && <span className="geo-muted">{otherCount} other filter{otherCount === 1 ? '' : 's'} active</span>}
        {filter.conditions.length + (filter.search ? 1 : 0) > 0 && (
          <button
            className="geo-plain"
            onClick={() => {
              clearFilter();
              setSelection(null);
            }}
          >
            Clear filter
          </button>
        )}
      </div>
      {error && (
        <div className="geo-error" role="alert">
          {error}
        </div>
      )}
      <div className="geo-body">
        <div className="geo-map">
          <WorldCanvas
            clusters={summary?.clusters ?? []}
            segments={mode === 'travel' ? segments : []}
            showClusters={mode === 'signins'}
            selectedKeys={selectedKeys}
            highlightSegment={hotSegment}
            fitToken={mode === 'travel' ? fitToken : ''}
            formatTime={fmt}
            zoneLabel={zoneLabel(zone)}
            onClusterClick={onClusterClick}
            onSegmentClick={(i) => segments[i] && onSegmentPick(segments[i], 'add')}
            onSegmentHover={setHotSegment}
          />
          {mode === 'signins' && <Legend />}
          {summary && total === 0 && !loading && <div className="geo-empty">No sign-ins match the filter.</div>}
          <div className="geo-attribution">
            {(summary?.attribution ?? []).map((a) => (
              <span key={a}>{a}</span>
            ))}
          </div>
        </div>
        <aside className="geo-side">
          {mode === 'signins' ? (
            <>
              {selection && (
                <section className="geo-selection" aria-label="Selected cluster">
                  <header>
                    <h3>Selected</h3>
                    <button className="geo-plain" onClick={() => setSelection(null)}>
                      Hide
                    </button>
                  </header>
                  <p className="geo-muted" data-testid="geo-selection-count" data-rows={selection.rows}>
                    {selection.rows.toLocaleString('en-US')} sign-in{selection.rows === 1 ? '' : 's'} here under the current filter.
                  </p>
                  <div className="geo-sel-actions">
                    <button className="primary" onClick={() => void showCluster(selection.members)} data-testid="geo-show-rows" title="Open the Sign-ins grid with every sign-in at these places (replaces the current filter; Alt+← goes back)">
                      Show sign-ins here
                    </button>
                    <button onClick={() => void narrowToCluster(selection.members)} data-testid="geo-add-rows" title="Keep the current filter and narrow it to these places">
                      Add to current filter
                    </button>
                  </div>
                  {notice && <p className="geo-warn">{notice}</p>}
                  <ul>
                    {selection.members.map((m) => (
                      <li key={m.key}>
                        <span className="geo-swatch" style={{ background: failureColor(m.failures / Math.max(1, m.count)) }} />
                        <span className="geo-sel-place">{m.place ?? `${m.lat.toFixed(3)}, ${m.lon.toFixed(3)}`}</span>
                        <span className="geo-num">{m.count.toLocaleString('en-US')}</span>
                        <span className="geo-sel-meta">
                          {m.users.toLocaleString('en-US')} users · {m.failures.toLocaleString('en-US')} failed · {PRECISION_LABEL[m.precision]}
                          {m.precision === 'country' ? ` (±${Math.round(m.radiusKm)} km)` : ''} · {fmt(m.firstUtc)} → {fmt(m.lastUtc)} ({zoneLabel(zone)})
                        </span>
                      </li>
                    ))}
                  </ul>
                </section>
              )}
              <CountryTable
                countries={summary?.countries ?? []}
                total={total}
                fmt={(iso) => (iso ? `${fmt(iso)} (${zoneLabel(zone)})` : fmt(iso))}
                onPick={(c, mode) => {
                  setSelection(null);
                  const values = c.values.length ? c.values : [c.cc];
                  if (mode === 'replace') return followLead({ conditions: [{ kind: 'values', column: 'country', values }] });
                  setState((s) => {
                    const base = withoutOwn(s.filter, MAP_LABEL);
                    const rest = base.conditions.filter((x) => !(x.kind === 'values' && x.column === 'country'));
                    return { filter: { ...base, conditions: [...rest, { kind: 'values', column: 'country', values }] } };
                  });
                }}
              />
              <section className="geo-enrich">
                <h3>Addresses without a location</h3>
                {summary?.enrichment.database ? (
                  <p>
                    {summary.enrichment.addresses.toLocaleString('en-US')} addresses located from <b>{summary.enrichment.database}</b>, shown as “enriched”; the log’s own
                    locations are never replaced.{' '}
                    <button className="geo-plain" onClick={() => void api.geoClearEnrichment({}).then(() => setState((s) => ({ dataVersion: s.dataVersion + 1 })))}>
                      Remove
                    </button>
                  </p>
                ) : (
                  <p className="geo-muted">
                    Optionally locate them from a local MaxMind-format database (.mmdb, e.g. GeoLite2-City or DB-IP).{' '}
                    <button className="geo-plain" onClick={() => setPicking(true)}>
                      Choose .mmdb…
                    </button>
                  </p>
                )}
              </section>
            </>
          ) : (
            <TravelPanel
              filter={filter}
              dataVersion={dataVersion}
              fmt={fmt}
              zoneLabel={zoneLabel(zone)}
              hot={hotSegment}
              onHover={setHotSegment}
              onSegments={onSegments}
              onPick={onSegmentPick}
            />
          )}
        </aside>
      </div>
      {picking && (
        <FilePicker
          onCancel={() => setPicking(false)}
          onPick={(paths) => {
            setPicking(false);
            const path = paths[0];
            if (!path) return;
            api
              .geoEnrich({ path })
              .then((r) => {
                setNotice(`${r.located.toLocaleString('en-US')} of ${r.candidates.toLocaleString('en-US')} addresses located from ${r.database}.`);
                setState((s) => ({ dataVersion: s.dataVersion + 1 }));
              })
              .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
          }}
        />
      )}
    </div>
  );
}

function Legend() {
  return (
    <div className="geo-legend" aria-label="Legend">
      <div className="geo-legend-title">Failure share</div>
      <div className="geo-legend-ramp">
        {[0, 0.25, 0.5, 0.75, 1].map((s) => (
          <span key={s} style={{ background: failureColor(s) }} />
        ))}
      </div>
      <div className="geo-legend-scale">
        <span>0%</span>
        <span>50%</span>
        <span>100%</span>
      </div>
      <div className="geo-legend-row">
        <span className="geo-legend-dot" /> size = sign-ins
      </div>
      <div className="geo-legend-row">
        <span className="geo-legend-dot dashed" /> country only (centroid)
      </div>
    </div>
  );
}
