import { Fragment, useCallback, useEffect, useRef, useState } from 'react';
import { api, desktop, onEngineRestart } from '../api/client';
import type { CaseInfo, JobState } from '../../electron/api/methods/case';
import { resetForNewCase } from '../state/store';
import type { Condition } from '../../electron/engine/query/filterModel';
import { SweepView } from '../sweep/SweepView';
import { StartScreen } from './StartScreen';
import { BLOCKING_KINDS, JobsProgress } from './JobProgress';
import { useLiveJobs } from './useLiveJobs';
import { CaseNameDialog } from './CaseNameDialog';
import { ImportProblemsList } from '../custody/ImportProblems';
import type { ImportProblemInfo } from '../../electron/api/methods/importProblems';
import { GridView } from '../grid/GridView';
import { TimelineView } from '../timeline/TimelineView';
import { MapView } from '../geo/MapView';
import { FindingsView } from '../findings/FindingsView';
import { ConsoleView } from '../console/ConsoleView';
import { CaseView } from '../custody/CaseView';
import { ShellPanels } from '../settings/ShellPanels';
import { TimeZoneSelect } from './TimeZoneSelect';
import { clearFilterHistory, followLead, historyKey, showView, useView } from './navigation';
import { GraphActivityView } from '../graphActivity/GraphActivityView';
import { resetGraphNav, useGraphNav, viewShown } from '../graphActivity/graphNav';
import { useImportChoices } from '../import/useImportChoices';

const VIEWS = [
  { id: 'grid', label: 'Sign-ins', render: () => <GridView /> },
  { id: 'graph', label: 'Graph activity', render: () => <GraphActivityView /> },
  { id: 'timeline', label: 'Timeline', render: () => <TimelineView /> },
  { id: 'map', label: 'Map', render: () => <MapView /> },
  { id: 'findings', label: 'Findings', render: () => <FindingsView /> },
  { id: 'sweep', label: 'IOC sweep', render: () => <SweepView onShowRows={(c: Condition) => followLead({ conditions: [c] })} /> },
  { id: 'sql', label: 'SQL', render: () => <ConsoleView /> },
  { id: 'case', label: 'Case', render: () => <CaseView /> },
] as const;

type ViewId = (typeof VIEWS)[number]['id'];

export function App() {
  const [info, setInfo] = useState<CaseInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [lastJob, setLastJob] = useState<JobState | null>(null);
  const view = useView() as ViewId;
  const setView = showView;
  // Sign-ins and Graph requests link to each other; a link asks for its view.
  const requested = useGraphNav((n) => n.show);
  useEffect(() => {
    if (!requested) return;
    setView(requested);
    viewShown();
  }, [requested, setView]);

  const [revision, setRevision] = useState(0);
  // A file refused for want of an answer (log type, date order) is asked about once its import ends.
  const choicesSettledRef = useRef<(job: JobState) => void>(() => undefined);
  const onSettled = useCallback((job: JobState) => {
    if (!BLOCKING_KINDS.has(job.kind)) return;
    setLastJob(job);
    if (job.state === 'failed') setError(job.error ?? 'The job failed');
    choicesSettledRef.current(job);
  }, []);
  // The views are drawn from one revision of the case; a newer one (an import ended, here or
  // elsewhere) redraws them.
  const refresh = useCallback(async () => {
    // The case read must be of the revision marked seen: a case opened between the two reads
    // would otherwise redraw the views once more a beat later, dropping what the analyst
    // started in them (a verification's result, a half-typed query).
    let revision = (await api.liveState({})).revision;
    markSeenRef.current(revision);
    let next = await api.caseInfo({});
    for (let after = (await api.liveState({})).revision; after !== revision; after = (await api.liveState({})).revision) {
      revision = after;
      markSeenRef.current(revision);
      next = await api.caseInfo({});
    }
    setInfo(next);
    setRevision(revision);
    resetForNewCase();
    clearFilterHistory();
    resetGraphNav();
  }, []);

  // Alt+← / Alt+→: the previous and next filter, from any view.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (historyKey(e)) e.preventDefault();
    };
    // Capture: the grid's own key handling must not swallow them.
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);

  const markSeenRef = useRef<(revision: number) => void>(() => undefined);
  const live = useLiveJobs(() => void refresh().catch((e: unknown) => setError(String(e))), onSettled);
  markSeenRef.current = live.markSeen;
  const watch = live.watch;
  const caseBusy = live.jobs.some((j) => BLOCKING_KINDS.has(j.kind));

  const startJob = useCallback(
    (p: Promise<{ jobId: string }>) => {
      setError(null);
      setLastJob(null);
      p.then((r) => watch(r.jobId)).catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
    },
    [watch],
  );

  const choices = useImportChoices(startJob, caseBusy);
  choicesSettledRef.current = choices.onSettled;

  // Several files starting a new case: the user names it first.
  const [naming, setNaming] = useState<string[] | null>(null);
  const openPaths = useCallback(
    (paths: string[]) => {
      if (!info && paths.length > 1) setNaming(paths);
      else startJob(api.openFiles({ paths }));
    },
    [startJob, info],
  );
  const caseName = info ? (live.caseName ?? info.name) : null;
  useEffect(() => {
    document.title = caseName ? `${caseName} — Signet` : 'Signet';
  }, [caseName]);
  const closeCase = useCallback(async () => {
    await api.closeCase({});
    await refresh();
  }, [refresh]);
  const openCaseDir = useCallback(
    async (dir: string) => {
      setError(null);
      try {
        await api.openCase({ dir });
        await refresh();
      } catch (e) {
        setError(e instanceof Error ? e.message : String(e));
      }
    },
    [refresh],
  );

  // The engine process stopped during a call and was restarted: say so (and which call),
  // whichever view made it. The same case reopened keeps the analyst's view; a case the new
  // engine could not reopen is shown closed.
  const openDir = info?.dir;
  useEffect(
    () =>
      onEngineRestart((message) => {
        setError(message);
        void api
          .caseInfo({})
          .then((next) => (next?.dir !== openDir ? refresh() : undefined))
          .catch(() => undefined);
      }),
    [refresh, openDir],
  );

  // The desktop menu sends commands; browser mode has the same actions as buttons.
  useEffect(
    () =>
      desktop?.onMenu((command, arg) => {
        if (command === 'open-files' && arg) openPaths(JSON.parse(arg) as string[]);
        else if (command === 'open-case' && arg) void openCaseDir(arg);
        else if (command === 'close-case') void closeCase();
        else if (command === 'open-demo') startJob(api.openDemo({}));
      }),
    [openPaths, openCaseDir, closeCase, startJob],
  );

  return (
    <div className="app">
      <header className="topbar">
        <span className="brand" aria-label="Signet">
          Signet
        </span>
        {info && (
          <>
            <nav className="tabs" role="tablist" aria-label="Views">
              {VIEWS.map((v) => (
                <button key={v.id} role="tab" aria-selected={view === v.id} className={view === v.id ? 'tab active' : 'tab'} onClick={() => setView(v.id)}>
                  {v.label}
                </button>
              ))}
            </nav>
            <span className="case-name" title={`${caseName ?? info.name}\n${info.dir}`}>
              <span className="case-title">{caseName}</span>
              <span className="case-counts">
                {info.rowCount.toLocaleString('en-US')} sign-ins · {info.sources.length} source{info.sources.length === 1 ? '' : 's'}
              </span>
            </span>
            <TimeZoneSelect />
            <button className="plain" onClick={() => void closeCase()} aria-label="Close case">
              Close case
            </button>
          </>
        )}
        <ShellPanels onError={setError} onOpenFindings={info ? () => setView('findings') : undefined} onOpenPaths={openPaths} onOpenCase={openCaseDir} />
      </header>
      {error && (
        <div className="banner error" role="alert">
          {error}
          <button className="plain" onClick={() => setError(null)} aria-label="Dismiss error">
            ×
          </button>
        </div>
      )}
      {lastJob?.state === 'done' && <ImportNotice job={lastJob} onDismiss={() => setLastJob(null)} />}
      <main className="content" key={revision}>
        {caseBusy ? (
          <div className="placeholder">Working on the case…</div>
        ) : !info ? (
          <StartScreen onOpenPaths={openPaths} onOpenCase={openCaseDir} onDemo={() => startJob(api.openDemo({}))} />
        ) : (
          // Rows added to the open case (a refused file imported again with the user's answer)
          // can fill columns the view found empty: it starts afresh, as the filter does.
          <Fragment key={`${info.dir}|${info.rowCount}`}>{(VIEWS.find((v) => v.id === view) ?? VIEWS[0]).render()}</Fragment>
        )}
      </main>
      <JobsProgress jobs={live.jobs} />
      {naming && (
        <CaseNameDialog
          paths={naming}
          onCancel={() => setNaming(null)}
          onSubmit={(name) => {
            setNaming(null);
            startJob(api.openFiles({ paths: naming, caseName: name }));
          }}
        />
      )}
      {choices.dialog}
    </div>
  );
}

interface ImportFile {
  file: string;
  read: number;
  imported: number;
  duplicates: number;
  rejected: number;
  errors: string[];
}

/**
 * After an import: per file, read = imported + duplicates + rejected, then the same
 * problems list as the Case tab (refusals, rejected records by reason, warnings).
 */
function ImportNotice({ job, onDismiss }: { job: JobState; onDismiss: () => void }) {
  const result = job.result as { case?: string | null; files?: ImportFile[]; problems?: ImportProblemInfo[] } | undefined;
  const files = result?.files ?? [];
  const problems = result?.problems ?? [];
  if (!files.length) return null;
  const bad = problems.length > 0 || files.some((f) => f.errors.length || f.rejected);
  return (
    <div className={bad ? 'banner warn' : 'banner ok'} role="status" aria-label="Import summary">
      <div className="import-notice-body">
        {result?.case === null && <strong>Nothing was imported, so no case was kept.</strong>}
        <ul>
          {files.map((f) => (
            <li key={f.file}>
              <strong>{f.file.split(/[\\/]/).pop()}</strong>: read {f.read.toLocaleString('en-US')} = imported {f.imported.toLocaleString('en-US')} + duplicates{' '}
              {f.duplicates.toLocaleString('en-US')} + rejected {f.rejected.toLocaleString('en-US')}
            </li>
          ))}
        </ul>
        {problems.length > 0 && (
          <section aria-label="Import problems of this import">
            <ImportProblemsList problems={problems} />
          </section>
        )}
      </div>
      <button className="plain" onClick={onDismiss} aria-label="Dismiss import summary">
        ×
      </button>
    </div>
  );
}
