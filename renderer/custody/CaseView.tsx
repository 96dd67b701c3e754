import { useCallback, useEffect, useState } from 'react';
import { api, desktop } from '../api/client';
import { useAppState } from '../state/store';
import { formatInstant, zoneLabel } from '../state/timeZone';
import type { CaseInfo, JobState } from '../../electron/api/methods/case';
import { JobCard } from '../app/JobProgress';
import { generatedReport, verifyResult, type AuditEntryInfo, type RelinkResultInfo, type VerifyResult } from '../../electron/api/methods/custody';
import './caseView.css';
import { ImportProblemsPanel } from './ImportProblems';

const PAGE = 50;

function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 2 : 1)} ${units[i]}`;
}

const num = (n: number) => n.toLocaleString('en-US');

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

type Busy = null | 'verify' | 'report' | 'export' | 'relink';

/** The Case tab: what was examined (sources and hashes), proof nothing changed, and the audit trail. */
type GeneratedReportInfo = ReturnType<typeof generatedReport.parse>;

export function CaseView() {
  const dataVersion = useAppState((s) => s.dataVersion);
  const zone = useAppState((s) => s.timeZone);
  const [info, setInfo] = useState<CaseInfo | null>(null);
  const [verify, setVerify] = useState<VerifyResult | null>(null);
  const [busy, setBusy] = useState<Busy>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ kind: 'ok' | 'warn'; text: string; path?: string } | null>(null);
  const [relinkOpen, setRelinkOpen] = useState(false);
  const [auditVersion, setAuditVersion] = useState(0);

  const loadInfo = useCallback(async () => {
    try {
      setInfo(await api.caseInfo({}));
    } catch (e) {
      setError(errorText(e));
    }
  }, []);

  useEffect(() => {
    void loadInfo();
  }, [loadInfo, dataVersion]);

  const run = useCallback(async <T,>(kind: Exclude<Busy, null>, work: () => Promise<T>, done: (r: T) => void) => {
    setBusy(kind);
    setError(null);
    setNotice(null);
    try {
      done(await work());
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(null);
      setAuditVersion((v) => v + 1);
    }
  }, []);

  const [progress, setProgress] = useState<{ fraction: number | null; message: string } | null>(null);
  // Verification re-hashes every byte of evidence: it runs as a job so large cases show progress.
  const verifyJob = useCallback(async (): Promise<VerifyResult> => {
    const { jobId } = await api.startVerify({});
    for (;;) {
      const job = await api.jobStatus({ jobId });
      if (job.state === 'running') {
        setProgress({ fraction: job.fraction, message: job.message });
        await new Promise((r) => setTimeout(r, 250));
        continue;
      }
      setProgress(null);
      if (job.state === 'done') return verifyResult.parse(job.result);
      throw new Error(job.error ?? `Verification ${job.state}`);
    }
  }, []);
  const onVerify = () => run('verify', verifyJob, setVerify);
  const [reportOptions, setReportOptions] = useState<{ confirmedOnly: boolean; includeDismissed: boolean; rowsPerFinding: number }>({ confirmedOnly: false, includeDismissed: false, rowsPerFinding: 25 });
  // The report runs as a job: section by section, with Cancel (a cancelled report writes nothing).
  const [reportJob, setReportJob] = useState<JobState | null>(null);
  const reportRun = useCallback(async (): Promise<GeneratedReportInfo | null> => {
    const { jobId } = await api.startReport(reportOptions);
    for (;;) {
      const job = await api.jobStatus({ jobId });
      if (job.state === 'running') {
        setReportJob(job);
        await new Promise((r) => setTimeout(r, 250));
        continue;
      }
      setReportJob(null);
      if (job.state === 'done') return generatedReport.parse(job.result);
      if (job.state === 'cancelled') return null;
      throw new Error(job.error ?? `Report ${job.state}`);
    }
  }, [reportOptions]);
  const onReport = () =>
    run('report', reportRun, (r) =>
      setNotice(r ? { kind: 'ok', text: `Report written (${fmtBytes(r.bytes)}, SHA-256 ${r.sha256.slice(0, 16)}…)`, path: r.path } : { kind: 'warn', text: 'Report cancelled: no file was written' }),
    );
  const onExport = () =>
    run('export', () => api.exportParquet({}), (r) =>
      setNotice({ kind: 'ok', text: `Exported ${r.tables.length} tables (${num(r.tables.find((t) => t.name === 'signins')?.rows ?? 0)} sign-ins) as Parquet by day`, path: r.dir }),
    );
  const onRelinked = (r: RelinkResultInfo) => {
    setRelinkOpen(false);
    const relinked = {
      kind: r.notFound.length ? ('warn' as const) : ('ok' as const),
      text: `Relinked ${r.relinked.length} source(s) by SHA-256 (${num(r.hashedFiles)} of ${num(r.scannedFiles)} files hashed)${r.notFound.length ? `; still not found: ${r.notFound.map((n) => n.name).join(', ')}` : ''}`,
      path: r.dir,
    };
    void loadInfo();
    // Re-verify at once so the new locations are proven, keeping the relink outcome on screen.
    void run('verify', verifyJob, (v) => {
      setVerify(v);
      setNotice(relinked);
    });
  };

  if (!info) return <div className="placeholder">{error ?? 'Loading case…'}</div>;
  const statusById = new Map(verify?.sources.map((s) => [s.id, s]) ?? []);
  const missing = verify?.sources.some((s) => s.status === 'missing') ?? false;

  return (
    <div className="case-view" aria-label="Case">
      <section className="cv-card cv-summary">
        <div className="cv-title">
          <CaseName
            name={info.name}
            onRenamed={() => {
              void loadInfo();
              setAuditVersion((v) => v + 1);
            }}
          />
          <span className="cv-path mono" title={info.dir}>
            {info.dir}
          </span>
        </div>
        <dl className="cv-facts">
          <div>
            <dt>Sign-ins</dt>
            <dd>{num(info.rowCount)}</dd>
          </div>
          <div>
            <dt>Sources</dt>
            <dd>{num(info.sources.length)}</dd>
          </div>
          <div>
            <dt>First ({zoneLabel(zone)})</dt>
            <dd>{info.firstUtc ? formatInstant(info.firstUtc, zone, false) : '—'}</dd>
          </div>
          <div>
            <dt>Last ({zoneLabel(zone)})</dt>
            <dd>{info.lastUtc ? formatInstant(info.lastUtc, zone, false) : '—'}</dd>
          </div>
          <div>
            <dt>Created ({zoneLabel(zone)})</dt>
            <dd>{formatInstant(info.createdAt, zone, false)}</dd>
          </div>
          <div>
            <dt>Conflicting copies</dt>
            <dd title="Rows whose copies in other files or shapes disagree on a value (filter: copy_conflict)">{num(info.conflictRows ?? 0)}</dd>
          </div>
          <div>
            <dt>By log type</dt>
            <dd className="cv-chips">
              {info.byLogType.map((b) => (
                <span key={b.logType ?? '-'} className="cv-chip">
                  {b.logType ?? '(none)'} {num(b.rows)}
                </span>
              ))}
            </dd>
          </div>
          <div>
            <dt>By status</dt>
            <dd className="cv-chips">
              {info.byStatus.map((b) => (
                <span key={b.status ?? '-'} className={`cv-chip st-${b.status ?? 'none'}`}>
                  {b.status ?? '(none)'} {num(b.rows)}
                </span>
              ))}
            </dd>
          </div>
        </dl>
        <div className="cv-actions">
          <button className="primary" onClick={() => void onVerify()} disabled={busy !== null} aria-label="Verify case">
            {busy === 'verify' ? 'Verifying…' : 'Verify'}
          </button>
          <button onClick={() => void onReport()} disabled={busy !== null}>
            {busy === 'report' ? 'Generating…' : 'Generate report'}
          </button>
          <span className="cv-report-options" role="group" aria-label="Report options">
            <label>
              <input type="checkbox" checked={reportOptions.confirmedOnly} onChange={(e) => setReportOptions((o) => ({ ...o, confirmedOnly: e.target.checked }))} /> confirmed findings only
            </label>
            <label>
              <input type="checkbox" checked={reportOptions.includeDismissed} disabled={reportOptions.confirmedOnly} onChange={(e) => setReportOptions((o) => ({ ...o, includeDismissed: e.target.checked }))} /> include dismissed
            </label>
            <label>
              rows per finding{' '}
              <input
                type="number"
                min={0}
                max={10000}
                value={reportOptions.rowsPerFinding}
                aria-label="Rows per finding in the report"
                onChange={(e) => setReportOptions((o) => ({ ...o, rowsPerFinding: Math.max(0, Math.min(10_000, Math.floor(Number(e.target.value) || 0))) }))}
              />
            </label>
          </span>
          <button onClick={() => void onExport()} disabled={busy !== null}>
            {busy === 'export' ? 'Exporting…' : 'Export Parquet'}
          </button>
          <button className={missing ? 'cv-attention' : ''} onClick={() => setRelinkOpen(true)} disabled={busy !== null}>
            Relink sources…
          </button>
          {reportJob && (
            <div className="cv-report-job">
              <JobCard key={reportJob.id} job={reportJob} label="Report generation progress" />
            </div>
          )}
          {progress && (
            <div className="cv-progress" role="progressbar" aria-label="Verification progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={progress.fraction === null ? undefined : Math.round(progress.fraction * 100)}>
              <progress value={progress.fraction ?? undefined} max={1} />
              <span className="muted">{progress.message}</span>
            </div>
          )}
        </div>
      </section>

      {error && (
        <div className="cv-banner bad" role="alert">
          {error}
        </div>
      )}
      {notice && (
        <div className={`cv-banner ${notice.kind}`} role="status">
          <span>{notice.text}</span>
          {notice.path && <code className="cv-outpath">{notice.path}</code>}
        </div>
      )}
      {verify && <VerifyPanel result={verify} onRelink={() => setRelinkOpen(true)} />}

      <section className="cv-card">
        <h3>Sources</h3>
        <div className="cv-table-wrap">
          <table className="cv-table" aria-label="Sources">
            <thead>
              <tr>
                <th>Name</th>
                <th>Path</th>
                <th className="num">Size</th>
                <th>SHA-256</th>
                <th>Shape</th>
                <th>Log type</th>
                <th className="num">Read</th>
                <th className="num">Imported</th>
                <th className="num">Duplicates</th>
                <th className="num">Rejected</th>
                <th>Check</th>
              </tr>
            </thead>
            <tbody>
              {info.sources.map((s) => {
                const check = statusById.get(s.id);
                return (
                  <tr key={s.id}>
                    <td className="cv-name">{s.name}</td>
                    <td className="mono cv-ellipsis" title={s.path}>
                      {s.path}
                    </td>
                    <td className="num" title={`${num(s.bytes)} bytes`}>
                      {fmtBytes(s.bytes)}
                    </td>
                    <td className="mono cv-hash" title={s.sha256}>
                      {s.sha256}
                    </td>
                    <td>{s.shape}</td>
                    <td title={s.logTypeReason ? `Log type from ${s.logTypeReason}` : undefined}>{s.logType ?? '—'}</td>
                    <td className="num">{num(s.read)}</td>
                    <td className="num">{num(s.imported)}</td>
                    <td className="num">{num(s.duplicates)}</td>
                    <td className={s.rejected ? 'num warn' : 'num'}>{num(s.rejected)}</td>
                    <td>{check ? <span className={`cv-status ${check.status}`} title={check.message}>{check.status === 'ok' ? 'OK' : check.status}</span> : <span className="muted">not run</span>}</td>
                  </tr>
                );
              })}
              {!info.sources.length && (
                <tr>
                  <td colSpan={11} className="muted">
                    No sources imported yet.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      </section>

      <ImportProblemsPanel />

      <AuditLog version={auditVersion + dataVersion} />
      {relinkOpen && <RelinkDialog onClose={() => setRelinkOpen(false)} onDone={onRelinked} />}
    </div>
  );
}

/** The case's name, renamable in place; the engine records every rename in the audit log. */
function CaseName({ name, onRenamed }: { name: string; onRenamed: () => void }) {
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (editing === null)
    return (
      <>
        <h2>{name}</h2>
        <button className="plain" onClick={() => setEditing(name)} aria-label="Rename case">
          Rename…
        </button>
      </>
    );
  const save = async () => {
    try {
      await api.renameCase({ name: editing.trim() });
      setEditing(null);
      setError(null);
      onRenamed();
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <form
      className="cv-row"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <input autoFocus value={editing} maxLength={200} onChange={(e) => setEditing(e.target.value)} aria-label="Case name" />
      <button className="primary" type="submit" disabled={!editing.trim()}>
        Save
      </button>
      <button type="button" onClick={() => setEditing(null)}>
        Cancel
      </button>
      {error && <span className="cv-banner bad">{error}</span>}
    </form>
  );
}

function VerifyPanel({ result, onRelink }: { result: VerifyResult; onRelink: () => void }) {
  const zone = useAppState((s) => s.timeZone);
  const ok = result.ok;
  const a = result.audit;
  const okSources = result.sources.filter((s) => s.status === 'ok').length;
  const tables = result.tables.filter((t) => t.status !== 'unrecorded' || t.rows > 0);
  const tablesOk = tables.filter((t) => t.status === 'ok').length;
  return (
    <section className={`cv-card cv-verify ${ok ? 'ok' : 'bad'}`} aria-label="Verification result">
      <div className="cv-verify-head">
        <span className={`cv-seal ${ok ? 'ok' : 'bad'}`} aria-hidden="true">
          {ok ? '✓' : '!'}
        </span>
        <div>
          <strong>{ok ? 'Everything matches' : `Verification failed: ${result.problems.length} problem(s)`}</strong>
          <div className="muted">
            Checked {formatInstant(result.checkedAt, zone, false)} {zoneLabel(zone)} · {okSources}/{result.sources.length} sources match their SHA-256 · audit chain{' '}
            {a.ok ? 'intact' : 'broken'} ({num(a.dbEntries)} entries in the case database, {num(a.jsonlEntries)} in audit.jsonl)
          </div>
          <div className="muted">
            {tablesOk}/{tables.length} case tables match the checksum recorded in the audit chain · manifest.json {result.manifestProblems.length ? 'disagrees with' : 'agrees with'} the chain
          </div>
          <div className="muted" data-testid="chain-head">
            Chain head (seq {result.head.seq}) <code>{result.head.hash}</code>: record it on receipt to check later that the chain was not cut back (<code>signet verify --expect-head</code>)
          </div>
          {result.notes.map((n, i) => (
            <div className="muted" key={i}>
              Note: {n}
            </div>
          ))}
        </div>
        {result.sources.some((s) => s.status === 'missing') && (
          <button className="primary cv-push" onClick={onRelink}>
            Relink by hash…
          </button>
        )}
      </div>
      {!ok && (
        <ul className="cv-problems">
          {result.problems.map((p, i) => (
            <li key={i}>{p}</li>
          ))}
        </ul>
      )}
    </section>
  );
}

function AuditLog({ version }: { version: number }) {
  const zone = useAppState((s) => s.timeZone);
  const [page, setPage] = useState(0);
  const [data, setData] = useState<{ total: number; entries: AuditEntryInfo[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE)) : 1;

  useEffect(() => {
    let live = true;
    api
      .auditLog({ offset: page * PAGE, limit: PAGE })
      .then((d) => live && setData(d))
      .catch((e: unknown) => live && setError(errorText(e)));
    return () => {
      live = false;
    };
  }, [page, version]);

  return (
    <section className="cv-card" aria-label="Audit log">
      <div className="cv-row">
        <h3>Audit log</h3>
        <span className="muted">{data ? `${num(data.total)} entries, hash-chained; newest last` : ''}</span>
        <div className="cv-pager">
          <button onClick={() => setPage(0)} disabled={page === 0} aria-label="First page">
            «
          </button>
          <button onClick={() => setPage((p) => Math.max(0, p - 1))} disabled={page === 0} aria-label="Previous page">
            ‹
          </button>
          <span>
            Page {page + 1} of {pages}
          </span>
          <button onClick={() => setPage((p) => Math.min(pages - 1, p + 1))} disabled={page >= pages - 1} aria-label="Next page">
            ›
          </button>
          <button onClick={() => setPage(pages - 1)} disabled={page >= pages - 1} aria-label="Last page">
            »
          </button>
        </div>
      </div>
      {error && <div className="cv-banner bad">{error}</div>}
      <div className="cv-table-wrap">
        <table className="cv-table cv-audit">
          <thead>
            <tr>
              <th className="num">Seq</th>
              <th>Time ({zoneLabel(zone)})</th>
              <th>User</th>
              <th>Action</th>
              <th>Detail</th>
              <th>Hash</th>
            </tr>
          </thead>
          <tbody>
            {data?.entries.map((e) => (
              <tr key={e.seq}>
                <td className="num">{e.seq}</td>
                <td className="nowrap" title={e.time}>{formatInstant(e.time, zone)}</td>
                <td>{e.user}</td>
                <td>
                  <span className="cv-action">{e.action}</span>
                </td>
                <td className="mono cv-detail" title={e.detail}>
                  {e.detail}
                </td>
                <td className="mono cv-short" title={`${e.hash}\nprevious: ${e.prevHash}\nversion: ${e.version}`}>
                  {e.hash.slice(0, 12)}…
                </td>
              </tr>
            ))}
            {data && !data.entries.length && (
              <tr>
                <td colSpan={6} className="muted">
                  Nothing recorded yet.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function RelinkDialog({ onClose, onDone }: { onClose: () => void; onDone: (r: RelinkResultInfo) => void }) {
  const [dir, setDir] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const pick = async () => {
    const chosen = await desktop?.pickFolder();
    if (chosen) setDir(chosen);
  };
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      onDone(await api.relinkSources({ dir: dir.trim() }));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-label="Relink sources">
      <form
        className="cv-dialog"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <h3>Relink sources by hash</h3>
        <p className="muted">
          Point at the folder the evidence was moved to. Signet hashes the files whose size matches a missing source and relinks only exact SHA-256 matches; names do not matter.
        </p>
        <div className="cv-row">
          <input autoFocus value={dir} onChange={(e) => setDir(e.target.value)} placeholder="/path/to/evidence" aria-label="New evidence folder" className="mono" />
          {desktop && (
            <button type="button" onClick={() => void pick()}>
              Browse…
            </button>
          )}
        </div>
        {error && <div className="cv-banner bad">{error}</div>}
        <div className="cv-dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button className="primary" type="submit" disabled={!dir.trim() || busy}>
            {busy ? 'Hashing…' : 'Relink'}
          </button>
        </div>
      </form>
    </div>
  );
}
