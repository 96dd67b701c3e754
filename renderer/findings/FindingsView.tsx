import { useCallback, useEffect, useMemo, useState } from 'react';
import { api } from '../api/client';
import type { FindingDetailDto, FindingSummaryDto, ThresholdInfoDto } from '../../electron/api/methods/findings';
import { useAppState } from '../state/store';
import { followLead, openInConsole } from '../app/navigation';
import { formatInstant, zoneLabel } from '../state/timeZone';
import { ThresholdsPanel } from './ThresholdsPanel';
import { SqlDialog } from './SqlDialog';
import { KIND_LABELS, SEVERITY_ORDER } from './labels';
import './findings.css';
import { visibleNodes, visiblePlain } from '../text/visibleText';

type ReviewFilter = 'all' | 'open' | 'confirmed' | 'dismissed';

/**
 * Go to the grid with one finding's rows: `replace` makes it the whole filter (nothing left
 * from earlier can hide its rows); `add` ANDs it with the current filter.
 */
function showRows(f: FindingSummaryDto, mode: 'replace' | 'add'): void {
  followLead({ conditions: [{ kind: 'finding', findingId: f.id, label: f.title.slice(0, 300) }] }, mode);
}

function Chips({ label, values, max = 12 }: { label: string; values: string[]; max?: number }) {
  if (values.length === 0) return null;
  return (
    <div className="fd-fact">
      <span className="fd-fact-key">{label}</span>
      <span className="fd-chips">
        {values.slice(0, max).map((v) => (
          <span key={v} className="fd-chip" title={visiblePlain(v)}>
            {visibleNodes(v)}
          </span>
        ))}
        {values.length > max && <span className="fd-more">+{values.length - max} more</span>}
      </span>
    </div>
  );
}

function SeverityBadge({ severity }: { severity: FindingSummaryDto['severity'] }) {
  return <span className={`fd-sev fd-sev-${severity}`}>{severity}</span>;
}

export function FindingsView() {
  const dataVersion = useAppState((s) => s.dataVersion);
  const zone = useAppState((s) => s.timeZone);
  const activeFinding = useAppState((s) => s.filter.conditions.find((c) => c.kind === 'finding'));
  const [findings, setFindings] = useState<FindingSummaryDto[] | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [detail, setDetail] = useState<FindingDetailDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>('Computing findings…');
  const [kindFilter, setKindFilter] = useState<string>('all');
  const [reviewFilter, setReviewFilter] = useState<ReviewFilter>('all');
  const [showThresholds, setShowThresholds] = useState(false);
  const [thresholds, setThresholds] = useState<ThresholdInfoDto[]>([]);
  const [sqlOpen, setSqlOpen] = useState(false);
  const [note, setNote] = useState('');
  const [status, setStatus] = useState<string | null>(null);

  const load = useCallback(async () => {
    setError(null);
    try {
      const list = await api.listFindings({});
      setFindings(list);
      setSelectedId((cur) => (cur && list.some((f) => f.id === cur) ? cur : (list[0]?.id ?? null)));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load, dataVersion]);

  useEffect(() => {
    if (!selectedId) {
      setDetail(null);
      return;
    }
    let live = true;
    api
      .getFinding({ id: selectedId })
      .then((d) => {
        if (!live) return;
        setDetail(d);
        setNote(d.review.note);
      })
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [selectedId, findings]);

  const openThresholds = useCallback(async () => {
    setShowThresholds((v) => !v);
    setThresholds(await api.findingThresholds({}));
  }, []);

  const recompute = useCallback(
    async (changes?: Record<string, number | null>) => {
      setBusy('Recomputing findings…');
      setError(null);
      try {
        const r = await api.recomputeFindings({ thresholds: changes });
        setStatus(`Recomputed ${r.findings} finding${r.findings === 1 ? '' : 's'} in ${(r.ms / 1000).toFixed(1)} s`);
        setThresholds(await api.findingThresholds({}));
        await load();
      } catch (e) {
        setError(e instanceof Error ? e.message : String(e));
        setBusy(null);
      }
    },
    [load],
  );

  const review = useCallback(
    async (state: 'confirmed' | 'dismissed' | 'open') => {
      if (!detail) return;
      try {
        const updated = await api.reviewFinding({ id: detail.id, state, note });
        setFindings((list) => list?.map((f) => (f.id === updated.id ? updated : f)) ?? list);
        setStatus(state === 'open' ? 'Finding reopened' : `Finding ${state}`);
      } catch (e) {
        setError(e instanceof Error ? e.message : String(e));
      }
    },
    [detail, note],
  );

  const visible = useMemo(
    () =>
      (findings ?? []).filter(
        (f) => (kindFilter === 'all' || f.kind === kindFilter) && (reviewFilter === 'all' || f.review.state === reviewFilter),
      ),
    [findings, kindFilter, reviewFilter],
  );
  const counts = useMemo(() => {
    const bySeverity = new Map<string, number>();
    const byKind = new Map<string, number>();
    for (const f of findings ?? []) {
      bySeverity.set(f.severity, (bySeverity.get(f.severity) ?? 0) + 1);
      byKind.set(f.kind, (byKind.get(f.kind) ?? 0) + 1);
    }
    return { bySeverity, byKind };
  }, [findings]);

  // A finding the kind or review filter hides leaves the detail pane too.
  useEffect(() => {
    if (!findings) return;
    if (selectedId && visible.some((f) => f.id === selectedId)) return;
    setSelectedId(visible[0]?.id ?? null);
  }, [visible, findings, selectedId]);

  const time = (iso: string | null) => (iso ? formatInstant(iso, zone, false) : '–');
  const groups = SEVERITY_ORDER.map((sev) => ({ sev, items: visible.filter((f) => f.severity === sev) })).filter((g) => g.items.length > 0);

  return (
    <section className="findings" aria-label="Findings">
      <div className="fd-toolbar" role="toolbar" aria-label="Findings controls">
        <span className="fd-summary" data-testid="findings-count">
          <strong>{findings?.length ?? 0}</strong> findings
          {SEVERITY_ORDER.map((s) =>
            counts.bySeverity.get(s) ? (
              <span key={s} className={`fd-count fd-sev-${s}`}>
                {counts.bySeverity.get(s)} {s}
              </span>
            ) : null,
          )}
        </span>
        <label className="fd-field">
          Kind
          <select value={kindFilter} onChange={(e) => setKindFilter(e.target.value)} aria-label="Filter by kind">
            <option value="all">All kinds</option>
            {Object.entries(KIND_LABELS).map(([k, label]) => (
              <option key={k} value={k} disabled={!counts.byKind.get(k)}>
                {label} ({counts.byKind.get(k) ?? 0})
              </option>
            ))}
          </select>
        </label>
        <label className="fd-field">
          Review
          <select value={reviewFilter} onChange={(e) => setReviewFilter(e.target.value as ReviewFilter)} aria-label="Filter by review state">
            <option value="all">All</option>
            <option value="open">Open</option>
            <option value="confirmed">Confirmed</option>
            <option value="dismissed">Dismissed</option>
          </select>
        </label>
        <span className="fd-spacer" />
        <span className="fd-status" aria-live="polite">
          {busy ?? status ?? ''}
        </span>
        <button onClick={() => void openThresholds()} aria-expanded={showThresholds}>
          Thresholds
        </button>
        <button onClick={() => void recompute()} disabled={busy !== null}>
          Recompute
        </button>
      </div>
      {error && (
        <div className="fd-error" role="alert">
          {error}
        </div>
      )}
      {showThresholds && <ThresholdsPanel thresholds={thresholds} busy={busy !== null} onApply={(c) => void recompute(c)} onClose={() => setShowThresholds(false)} />}
      <div className="fd-body">
        <div className="fd-list" role="listbox" aria-label="Findings list">
          {findings && findings.length === 0 && <p className="fd-empty">No findings: nothing in these sign-ins crossed a threshold.</p>}
          {groups.map((g) => (
            <div key={g.sev} className="fd-group" role="group" aria-label={`${g.sev} severity`}>
              <div className="fd-group-head">
                <SeverityBadge severity={g.sev} /> <span className="muted">{g.items.length}</span>
              </div>
              {g.items.map((f) => (
                <button
                  key={f.id}
                  role="option"
                  aria-selected={f.id === selectedId}
                  className={`fd-item${f.id === selectedId ? ' selected' : ''}${f.review.state === 'dismissed' ? ' dismissed' : ''}`}
                  data-finding-id={f.id}
                  data-kind={f.kind}
                  onClick={() => setSelectedId(f.id)}
                >
                  <span className={`fd-bar fd-sev-${f.severity}`} aria-hidden="true" />
                  <span className="fd-item-main">
                    <span className="fd-item-title">{visibleNodes(f.title)}</span>
                    <span className="fd-item-meta">
                      <span className="fd-kind">{KIND_LABELS[f.kind]}</span>
                      <span>{time(f.firstUtc)}</span>
                      <span>
                        {f.rowCount} row{f.rowCount === 1 ? '' : 's'}
                      </span>
                      {f.review.state !== 'open' && <span className={`fd-review fd-review-${f.review.state}`}>{f.review.state}</span>}
                      {activeFinding?.kind === 'finding' && activeFinding.findingId === f.id && <span className="fd-active">filtering</span>}
                    </span>
                  </span>
                </button>
              ))}
            </div>
          ))}
        </div>
        <div className="fd-detail" aria-label="Finding detail">
          {detail ? (
            <article data-testid="finding-detail" data-finding-id={detail.id} data-row-count={detail.rowCount}>
              <header className="fd-detail-head">
                <SeverityBadge severity={detail.severity} />
                <span className="fd-kind">{KIND_LABELS[detail.kind]}</span>
                <h2>{visibleNodes(detail.title)}</h2>
              </header>
              <p className="fd-explanation">{visibleNodes(detail.explanation)}</p>
              <div className="fd-facts">
                <div className="fd-fact">
                  <span className="fd-fact-key">When</span>
                  <span>
                    {time(detail.firstUtc)} → {time(detail.lastUtc)} <span className="muted">({zoneLabel(zone)})</span>
                  </span>
                </div>
                <div className="fd-fact">
                  <span className="fd-fact-key">Rows</span>
                  <span>{detail.rowCount.toLocaleString('en-US')}</span>
                </div>
                <Chips label="Users" values={detail.users} />
                <Chips label="Addresses" values={detail.ips} />
                <Chips label="Countries" values={detail.countries} />
              </div>
              <div className="fd-actions">
                <button className="primary" onClick={() => showRows(detail, 'replace')} data-testid="show-rows" title="Open the Sign-ins grid with exactly this finding's rows (replaces the current filter; Alt+← goes back)">
                  Show {detail.rowCount.toLocaleString('en-US')} row{detail.rowCount === 1 ? '' : 's'}
                </button>
                <button onClick={() => showRows(detail, 'add')} data-testid="add-rows" title="Keep the current filter and narrow it to this finding's rows">
                  Add to current filter
                </button>
                <button onClick={() => openInConsole(detail.sql)} data-testid="open-sql" title="Open the SQL console with this finding's query, ready to run">
                  Open SQL
                </button>
                <button className="plain" onClick={() => setSqlOpen(true)}>
                  View SQL
                </button>
                {activeFinding?.kind === 'finding' && activeFinding.findingId === detail.id && (
                  <span className="fd-hint" role="status">
                    Filter applied: the Sign-ins, Timeline and Map views now show these rows.
                  </span>
                )}
              </div>
              <section className="fd-review-box" aria-label="Review">
                <h3>
                  Review <span className={`fd-review fd-review-${detail.review.state}`}>{detail.review.state}</span>
                </h3>
                <textarea value={note} onChange={(e) => setNote(e.target.value)} placeholder="Note for the case (why you confirmed or dismissed it)" rows={3} maxLength={4000} aria-label="Review note" />
                <div className="fd-review-actions">
                  <button className="fd-confirm" onClick={() => void review('confirmed')}>
                    Confirm
                  </button>
                  <button onClick={() => void review('dismissed')}>Dismiss</button>
                  {detail.review.state !== 'open' && (
                    <button className="plain" onClick={() => void review('open')}>
                      Reopen
                    </button>
                  )}
                  {detail.review.reviewedAt && <span className="muted">Reviewed {time(detail.review.reviewedAt)}</span>}
                </div>
              </section>
              <details className="fd-ids">
                <summary>Request IDs ({detail.requestIds.length})</summary>
                <pre>{detail.requestIds.join('\n')}</pre>
              </details>
            </article>
          ) : (
            <p className="fd-empty">{findings?.length ? 'Select a finding to see why it fired.' : ''}</p>
          )}
        </div>
      </div>
      {sqlOpen && detail && <SqlDialog title={detail.title} sql={detail.sql} onClose={() => setSqlOpen(false)} />}
    </section>
  );
}
