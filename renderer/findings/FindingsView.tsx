import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api } from '../api/client';
import type { FindingDetailDto, FindingSummaryDto, ThresholdInfoDto } from '../../electron/api/methods/findings';
import { useAppState } from '../state/store';
import { followLead, openInConsole } from '../app/navigation';
import { formatInstant, zoneLabel } from '../state/timeZone';
import { ThresholdsPanel } from './ThresholdsPanel';
import { SqlDialog } from './SqlDialog';
import { KIND_LABELS, SEVERITY_ORDER } from './labels';
import type { ResultOf } from '../../electron/api/contract';
import './findings.css';
import { visibleNodes, visiblePlain } from '../text/visibleText';
import { useLiveJobList } from '../app/liveJobsStore';
import { JobCard } from '../app/JobProgress';

type ReviewFilter = 'all' | 'open' | 'confirmed' | 'dismissed';
type GroupBy = 'kind' | 'severity';
type SortBy = 'score' | 'rows' | 'accounts' | 'time';
type SuppressionDto = ResultOf<'listSuppressions'>[number];

const SORTERS: Record<SortBy, (a: FindingSummaryDto, b: FindingSummaryDto) => number> = {
  score: (a, b) => b.score - a.score || b.rowCount - a.rowCount,
  rows: (a, b) => b.rowCount - a.rowCount || b.score - a.score,
  accounts: (a, b) => b.accounts - a.accounts || b.score - a.score,
  time: (a, b) => (a.firstUtc ?? '~').localeCompare(b.firstUtc ?? '~'),
};

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

const REVIEW_CHOICES: ReadonlyArray<[ReviewFilter, string]> = [['all', 'All'], ['open', 'Open'], ['confirmed', 'Confirmed'], ['dismissed', 'Dismissed']];
const GROUP_CHOICES: ReadonlyArray<[GroupBy, string]> = [['kind', 'By kind'], ['severity', 'By severity']];
const SORT_CHOICES: ReadonlyArray<[SortBy, string]> = [['score', 'Score'], ['rows', 'Rows'], ['accounts', 'Accounts'], ['time', 'Time']];

/** A labelled drop-down of fixed choices in the toolbar. */
function Choice<T extends string>(p: { label: string; aria: string; value: T; onChange: (v: T) => void; options: ReadonlyArray<[T, string]> }) {
  return (
    <label className="fd-field">
      {p.label}
      <select value={p.value} onChange={(e) => p.onChange(e.target.value as T)} aria-label={p.aria}>
        {p.options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </label>
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
  const [busy, setBusy] = useState<string | null>('Loading findings…');
  // The findings job (background after an import, or asked for here or in another window).
  const live = useLiveJobList();
  const findingsJob = live.jobs.find((j) => j.kind === 'findings') ?? null;
  const settledRuns = live.settled.findings ?? 0;
  /** The stored findings were computed before the latest import or threshold change. */
  const [stale, setStale] = useState(false);
  /** The job this view last followed, to tell how it ended. */
  const followed = useRef<string | null>(null);
  /** The user cancelled a run: do not start another until asked. */
  const stopped = useRef(false);
  const [kindFilter, setKindFilter] = useState<string>('all');
  const [reviewFilter, setReviewFilter] = useState<ReviewFilter>('all');
  const [showThresholds, setShowThresholds] = useState(false);
  const [thresholds, setThresholds] = useState<ThresholdInfoDto[]>([]);
  const [sqlOpen, setSqlOpen] = useState(false);
  const [note, setNote] = useState('');
  const [status, setStatus] = useState<string | null>(null);
  const [groupBy, setGroupBy] = useState<GroupBy>('kind');
  const [sortBy, setSortBy] = useState<SortBy>('score');
  const [showSuppressed, setShowSuppressed] = useState(false);
  const [checked, setChecked] = useState<Set<string>>(new Set());
  const [bulkNote, setBulkNote] = useState('');
  const [suppressions, setSuppressions] = useState<SuppressionDto[]>([]);
  const [showSuppressions, setShowSuppressions] = useState(false);
  const [suppressEntity, setSuppressEntity] = useState('');

  const load = useCallback(async () => {
    setError(null);
    try {
      const [list, sup] = await Promise.all([api.listFindings({ stored: true }), api.listSuppressions({})]);
      setFindings(list);
      setSuppressions(sup);
      setChecked((cur) => new Set([...cur].filter((id) => list.some((f) => f.id === id))));
      setSelectedId((cur) => (cur && list.some((f) => f.id === cur) ? cur : (list[0]?.id ?? null)));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  }, []);

  // Current findings are listed; stale ones start a job (unless the user cancelled one) and
  // are listed marked out of date; each run's end lists them again.
  const sync = useCallback(async () => {
    try {
      const prior = followed.current;
      if (prior) {
        const end = await api.jobStatus({ jobId: prior }).catch(() => null);
        if (end && end.state !== 'running') {
          followed.current = null;
          if (end.state === 'cancelled') {
            stopped.current = true;
            setStatus('Computation cancelled: the findings stored before it are kept');
          } else if (end.state === 'failed') setError(end.error ?? 'Computing the findings failed');
          else {
            const r = end.result as { findings?: number; ms?: number } | undefined;
            setStatus(r?.ms !== undefined ? `Computed ${r.findings ?? 0} finding${r.findings === 1 ? '' : 's'} in ${(r.ms / 1000).toFixed(1)} s` : null);
          }
        }
      }
      const state = await api.findingsState({});
      let jobId = state.jobId;
      if (!jobId && state.stale && !stopped.current) jobId = (await api.startFindings({})).jobId;
      if (jobId) followed.current = jobId;
      setStale(state.stale);
      await load();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setBusy(null);
    }
  }, [load]);

  useEffect(() => {
    void sync();
  }, [sync, dataVersion, settledRuns]);

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

  const recompute = useCallback(async (changes?: Record<string, number | null>) => {
    setError(null);
    setStatus(null);
    try {
      stopped.current = false;
      const { jobId } = await api.startFindings(changes && Object.keys(changes).length ? { thresholds: changes } : { force: true });
      followed.current = jobId;
      // Out of date only if the case's rows or thresholds moved since the stored run (not for a plain Recompute).
      setStale((await api.findingsState({})).stale);
      setThresholds(await api.findingThresholds({}));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }, []);

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
      (findings ?? [])
        .filter(
          (f) =>
            (kindFilter === 'all' || f.kind === kindFilter) &&
            (reviewFilter === 'all' || f.review.state === reviewFilter) &&
            (showSuppressed || f.suppressedBy === null),
        )
        .sort(SORTERS[sortBy]),
    [findings, kindFilter, reviewFilter, showSuppressed, sortBy],
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
  const suppressedCount = (findings ?? []).filter((f) => f.suppressedBy !== null).length;
  // Groups keep the sort inside them; kind groups come in the order of their best finding.
  const groups =
    groupBy === 'severity'
      ? SEVERITY_ORDER.map((sev) => ({ key: sev, label: sev, sev, items: visible.filter((f) => f.severity === sev) })).filter((g) => g.items.length > 0)
      : [...new Set(visible.map((f) => f.kind))].map((kind) => ({ key: kind, label: KIND_LABELS[kind], sev: null, items: visible.filter((f) => f.kind === kind) }));

  const bulkReview = async (state: 'confirmed' | 'dismissed' | 'open') => {
    try {
      const r = await api.reviewFindings({ ids: [...checked], state, note: bulkNote });
      setStatus(`${r.reviewed} finding${r.reviewed === 1 ? '' : 's'} ${state === 'open' ? 'reopened' : state}`);
      setChecked(new Set());
      setBulkNote('');
      await load();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  const suppress = async (kind: FindingSummaryDto['kind'] | null, entity: string | null) => {
    try {
      const sup = await api.addSuppression({ kind, entity, note });
      setStatus(`Suppressed ${sup.findings} finding${sup.findings === 1 ? '' : 's'} (${[kind ? KIND_LABELS[kind] : null, entity].filter(Boolean).join(', ')})`);
      await load();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  const unsuppress = async (id: string) => {
    try {
      await api.removeSuppression({ id });
      setStatus('Suppression removed');
      await load();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  const toggle = (id: string, on: boolean) =>
    setChecked((cur) => {
      const next = new Set(cur);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

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
        <Choice label="Review" aria="Filter by review state" value={reviewFilter} onChange={setReviewFilter} options={REVIEW_CHOICES} />
        <Choice label="Group" aria="Group findings by" value={groupBy} onChange={setGroupBy} options={GROUP_CHOICES} />
        <Choice label="Sort" aria="Sort findings by" value={sortBy} onChange={setSortBy} options={SORT_CHOICES} />
        <label className="fd-field fd-check">
          <input type="checkbox" checked={showSuppressed} onChange={(e) => setShowSuppressed(e.target.checked)} /> Show suppressed ({suppressedCount})
        </label>
        <span className="fd-spacer" />
        <span className="fd-status" aria-live="polite">
          {busy ?? status ?? ''}
        </span>
        <button onClick={() => setShowSuppressions((v) => !v)} aria-expanded={showSuppressions}>
          Suppressions ({suppressions.length})
        </button>
        <button onClick={() => void openThresholds()} aria-expanded={showThresholds}>
          Thresholds
        </button>
        <button onClick={() => void recompute()} disabled={busy !== null || findingsJob !== null}>
          {stale && !findingsJob ? 'Compute now' : 'Recompute'}
        </button>
      </div>
      {findingsJob && (
        <div className="fd-job" role="region" aria-label="Findings computation">
          <JobCard key={findingsJob.id} job={findingsJob} label="Findings computation progress" />
        </div>
      )}
      {stale && findings !== null && findings.length > 0 && (
        <div className="fd-stale" role="status" data-testid="findings-stale">
          {findingsJob
            ? 'Out of date: the findings listed were computed before the latest import or threshold change; they are replaced when this computation ends.'
            : 'Out of date: the findings listed were computed before the latest import or threshold change (the computation was cancelled). Compute now brings them up to date.'}
        </div>
      )}
      {error && (
        <div className="fd-error" role="alert">
          {error}
        </div>
      )}
      {showThresholds && <ThresholdsPanel thresholds={thresholds} busy={busy !== null || findingsJob !== null} onApply={(c) => void recompute(c)} onClose={() => setShowThresholds(false)} />}
      {showSuppressions && (
        <div className="fd-suppressions" role="region" aria-label="Suppressions">
          {suppressions.length === 0 ? (
            <p className="muted">No suppressions. Suppress a kind, an account or an address from a finding's detail; every change is recorded in the audit log.</p>
          ) : (
            <ul>
              {suppressions.map((x) => (
                <li key={x.id}>
                  <strong>{x.kind ? KIND_LABELS[x.kind] : 'Every kind'}</strong>
                  {x.entity && <> involving <span className="mono">{visibleNodes(x.entity)}</span></>} — hides {x.findings} · {visibleNodes(x.note || 'no note')}{' '}
                  <span className="muted">{time(x.createdAt)}</span>{' '}
                  <button className="plain" onClick={() => void unsuppress(x.id)}>
                    Remove
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {checked.size > 0 && (
        <div className="fd-bulk" role="toolbar" aria-label="Selected findings">
          <strong>{checked.size} selected</strong>
          <input value={bulkNote} onChange={(e) => setBulkNote(e.target.value)} placeholder="One note for all of them" maxLength={4000} aria-label="Note for the selected findings" />
          <button className="fd-confirm" onClick={() => void bulkReview('confirmed')}>
            Confirm all
          </button>
          <button onClick={() => void bulkReview('dismissed')}>Dismiss all</button>
          <button className="plain" onClick={() => void bulkReview('open')}>
            Reopen all
          </button>
          <button className="plain" onClick={() => setChecked(new Set())}>
            Clear selection
          </button>
        </div>
      )}
      <div className="fd-body">
        <div className="fd-list" role="listbox" aria-label="Findings list">
          {findings && findings.length === 0 && !stale && <p className="fd-empty">No findings: nothing in these sign-ins crossed a threshold.</p>}
          {groups.map((g) => (
            <div key={g.key} className="fd-group" role="group" aria-label={g.sev ? `${g.sev} severity` : `${g.label}: ${g.items.length}`}>
              <div className="fd-group-head">
                <label className="fd-group-check" title="Select every finding of this group">
                  <input
                    type="checkbox"
                    aria-label={`Select all ${g.label}`}
                    checked={g.items.every((f) => checked.has(f.id))}
                    onChange={(e) => g.items.forEach((f) => toggle(f.id, e.target.checked))}
                  />
                </label>
                {g.sev ? <SeverityBadge severity={g.sev} /> : <span className="fd-group-label">{g.label}</span>} <span className="muted">{g.items.length}</span>
              </div>
              {g.items.map((f) => (
                <div key={f.id} className="fd-row">
                <input type="checkbox" className="fd-pick" aria-label={`Select ${visiblePlain(f.title)}`} checked={checked.has(f.id)} onChange={(e) => toggle(f.id, e.target.checked)} />
                <button
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
                      <span title="Score (kind, whether the attacker got in, breadth, privileged targets)">score {f.score}</span>
                      {f.review.state !== 'open' && <span className={`fd-review fd-review-${f.review.state}`}>{f.review.state}</span>}
                      {f.suppressedBy && <span className="fd-review">suppressed</span>}
                      {activeFinding?.kind === 'finding' && activeFinding.findingId === f.id && <span className="fd-active">filtering</span>}
                    </span>
                  </span>
                </button>
                </div>
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
              <section className="fd-suppress-box" aria-label="Suppress">
                <h3>Suppress for this case</h3>
                <p className="muted">Hides findings without deleting them (a known VPN egress, a service account); uses the note above; audited and reversible.</p>
                <div className="fd-review-actions">
                  <button onClick={() => void suppress(detail.kind, null)}>Suppress all {KIND_LABELS[detail.kind]}</button>
                  <select value={suppressEntity} onChange={(e) => setSuppressEntity(e.target.value)} aria-label="Account or address to suppress">
                    <option value="">Account or address…</option>
                    {[...detail.users, ...detail.ips].slice(0, 200).map((v) => (
                      <option key={v} value={v}>
                        {visiblePlain(v)}
                      </option>
                    ))}
                  </select>
                  <button disabled={!suppressEntity} onClick={() => void suppress(detail.kind, suppressEntity)}>
                    Suppress this kind for it
                  </button>
                  <button disabled={!suppressEntity} onClick={() => void suppress(null, suppressEntity)}>
                    Suppress every kind for it
                  </button>
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
