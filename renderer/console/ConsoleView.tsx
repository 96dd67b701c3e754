import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api/client';
import type { SqlRunResult } from '../../electron/api/methods/sql';
import { useAppState } from '../state/store';
import { followLead, takeConsoleDraft } from '../app/navigation';
import { resultRowsLead } from './resultLead';
import { SqlEditor, type SqlEditorHandle } from './SqlEditor';
import { ResultsGrid, type ResultSortItem } from './ResultsGrid';
import { SidePanel, type SideTab } from './SidePanel';
import type { CompletionData } from './editorSetup';
import './console.css';

type Success = Extract<SqlRunResult, { ok: true }>;
type Failure = Extract<SqlRunResult, { ok: false }>;

const STARTER = `-- Read-only SQL over this case (DuckDB). Ctrl+Enter runs the statement under the cursor.
SELECT status, count(*) AS sign_ins, count(DISTINCT user_principal_name) AS users
FROM signins
GROUP BY status
ORDER BY sign_ins DESC;
`;

/** What survives switching to another view and back: the text, the last result, the layout. */
const kept: { doc: string; result: Success | null; failure: Failure | null; ranText: string; editorHeight: number; tab: SideTab } = {
  doc: STARTER,
  result: null,
  failure: null,
  ranText: '',
  editorHeight: 260,
  tab: 'schema',
};

const fmt = (n: number) => n.toLocaleString('en-US');

function duration(ms: number): string {
  return ms < 1000 ? `${ms.toFixed(ms < 10 ? 1 : 0)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

export function ConsoleView() {
  // A query handed over from elsewhere (a finding's "Open SQL") replaces the editor's text.
  useState(() => {
    const draft = takeConsoleDraft();
    if (draft !== null) kept.doc = draft;
  });
  const editor = useRef<SqlEditorHandle>(null);
  const dataVersion = useAppState((s) => s.dataVersion);
  const [completion, setCompletion] = useState<CompletionData | null>(null);
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<Success | null>(kept.result);
  const [failure, setFailure] = useState<Failure | null>(kept.failure);
  const [notice, setNotice] = useState<string | null>(null);
  const [revision, setRevision] = useState(0);
  const [tab, setTab] = useState<SideTab>(kept.tab);
  const [sort, setSort] = useState<ResultSortItem[]>([]);
  const [saving, setSaving] = useState(false);
  const [saveName, setSaveName] = useState('');
  const [editorHeight, setEditorHeight] = useState(kept.editorHeight);
  const ranText = useRef(kept.ranText);

  const showError = useCallback((m: string) => setNotice(m), []);

  useEffect(() => {
    let live = true;
    api
      .sqlCompletion({})
      .then((c) => live && setCompletion(c))
      .catch((e: unknown) => live && setNotice(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [dataVersion]);

  // A result from before the case was closed and reopened is gone from the engine: drop it.
  useEffect(() => {
    if (!result) return;
    api.sqlPage({ resultId: result.resultId, start: 0, end: 0 }).catch(() => {
      setResult(null);
      setSort([]);
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    kept.result = result;
    kept.failure = failure;
    kept.tab = tab;
    kept.editorHeight = editorHeight;
  }, [result, failure, tab, editorHeight]);

  const run = useCallback(async () => {
    const target = editor.current?.textToRun();
    if (!target || !target.text.trim()) {
      setNotice('Nothing to run: put the cursor in a statement or select one.');
      return;
    }
    setRunning(true);
    setNotice(null);
    editor.current?.clearError();
    editor.current?.closeCompletion();
    try {
      const r = await api.sqlRun({ sql: target.text });
      if (r.ok) {
        setResult(r);
        setFailure(null);
        if (r.notice) setNotice(r.notice);
        setSort([]);
        ranText.current = target.text;
        kept.ranText = target.text;
      } else {
        // Positions are shown in the editor's coordinates, not the statement's.
        const at = r.line !== null ? editor.current?.markError(target.offset, target.text, r.line, r.column) : null;
        setFailure(at ? { ...r, line: at.line, column: at.column } : r);
        // The rows on screen belong to an earlier statement: leaving them under this error would pass them off as its result.
        setResult(null);
        setSort([]);
      }
    } catch (e) {
      setNotice(e instanceof Error ? e.message : String(e));
    } finally {
      setRunning(false);
      setRevision((v) => v + 1);
    }
  }, []);

  const cancel = useCallback(() => {
    void api.sqlCancel({}).catch((e: unknown) => setNotice(e instanceof Error ? e.message : String(e)));
  }, []);

  const exportAs = useCallback(
    async (format: 'csv' | 'json') => {
      if (!result) return;
      try {
        const file = await api.sqlExport({ resultId: result.resultId, format, sort, sql: ranText.current });
        const url = URL.createObjectURL(new Blob([file.text], { type: `${file.mime};charset=utf-8` }));
        const a = document.createElement('a');
        a.href = url;
        a.download = file.fileName;
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
        setNotice(null);
      } catch (e) {
        setNotice(e instanceof Error ? e.message : String(e));
      }
    },
    [result, sort],
  );

  const save = useCallback(async () => {
    const name = saveName.trim();
    if (!name) return;
    try {
      // What is saved is what Run would run: the selection or the statement under the cursor.
      const sql = editor.current?.textToRun()?.text.trim() || kept.doc.trim();
      await api.sqlSave({ name, sql });
      setSaving(false);
      setSaveName('');
      setTab('saved');
      setRevision((v) => v + 1);
    } catch (e) {
      setNotice(e instanceof Error ? e.message : String(e));
    }
  }, [saveName]);

  const open = useCallback((sql: string) => {
    editor.current?.setDoc(sql);
    editor.current?.clearError();
  }, []);

  const startResize = useCallback(
    (e: React.PointerEvent) => {
      const startY = e.clientY;
      const startH = editorHeight;
      const move = (ev: PointerEvent) => setEditorHeight(Math.max(90, Math.min(window.innerHeight - 260, startH + ev.clientY - startY)));
      const up = () => {
        window.removeEventListener('pointermove', move);
        window.removeEventListener('pointerup', up);
      };
      window.addEventListener('pointermove', move);
      window.addEventListener('pointerup', up);
    },
    [editorHeight],
  );

  return (
    <div className="console">
      <SidePanel tab={tab} onTab={setTab} revision={revision} onOpen={open} onInsert={(t) => editor.current?.insert(t)} onError={showError} />
      <section className="console-main">
        <div className="console-toolbar" role="toolbar" aria-label="SQL console">
          <button className="primary" onClick={() => void run()} disabled={running} title="Run the selection, or the statement under the cursor (Ctrl+Enter)">
            ▶ Run
          </button>
          <span className="console-kbd muted">Ctrl+Enter</span>
          <button onClick={cancel} disabled={!running} aria-label="Cancel query">
            ■ Cancel
          </button>
          <span className="console-sep" />
          {saving ? (
            <form
              className="console-save"
              onSubmit={(e) => {
                e.preventDefault();
                void save();
              }}
            >
              <input autoFocus placeholder="Name for this query" value={saveName} onChange={(e) => setSaveName(e.target.value)} aria-label="Saved query name" maxLength={200} />
              <button type="submit" className="primary" disabled={!saveName.trim()}>
                Save
              </button>
              <button type="button" className="plain" onClick={() => setSaving(false)}>
                Cancel
              </button>
            </form>
          ) : (
            <button onClick={() => setSaving(true)} title="Keep the selected statement (or the one under the cursor) with the case under a name">
              Save…
            </button>
          )}
          <span className="console-spacer" />
          <span className="console-guard muted" title="Queries run on a locked, read-only copy of the case: no files, no settings, no changes.">
            <svg className="console-lock" viewBox="0 0 16 16" width="12" height="12" aria-hidden>
              <path d="M4.5 7V5a3.5 3.5 0 0 1 7 0v2h.5a1 1 0 0 1 1 1v6a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V8a1 1 0 0 1 1-1h.5zm1.5 0h4V5a2 2 0 0 0-4 0v2z" fill="currentColor" />
            </svg>
            Read-only
          </span>
        </div>
        <div className="console-editor-wrap" style={{ height: editorHeight }}>
          <SqlEditor
            ref={editor}
            initialDoc={kept.doc}
            completion={completion}
            onRun={() => void run()}
            onChange={(d) => {
              kept.doc = d;
            }}
          />
        </div>
        <div className="console-splitter" onPointerDown={startResize} role="separator" aria-orientation="horizontal" aria-label="Resize editor" />
        {notice && (
          <div className="console-message error" role="alert">
            {notice}
            <button className="plain" onClick={() => setNotice(null)} aria-label="Dismiss">
              ×
            </button>
          </div>
        )}
        {failure && (
          <div className={`console-message ${failure.outcome}`} role="alert" data-testid="sql-failure">
            <span className={`console-badge ${failure.outcome}`}>{failure.outcome}</span>
            <span className="console-failure-text">
              {failure.line !== null && (
                <strong className="console-pos">
                  Line {failure.line}
                  {failure.column !== null ? `, column ${failure.column}` : ''}:{' '}
                </strong>
              )}
              {failure.message}
            </span>
          </div>
        )}
        <div className="console-result-bar">
          {running ? (
            <span className="console-running" role="status">
              <span className="console-spinner" aria-hidden /> Running…
            </span>
          ) : result ? (
            <span role="status" data-testid="sql-status">
              <strong>{fmt(result.total)}</strong> {result.total === 1 ? 'row' : 'rows'} · {duration(result.durationMs)}
              {result.kind === 'plan' ? ' · query plan' : ''}
            </span>
          ) : (
            <span className="muted">Run a query to see its rows here.</span>
          )}
          <span className="console-spacer" />
          {result && result.kind === 'rows' && result.columns.some((c) => c.name === 'row_id' || c.name === 'request_id') && (
            <button
              onClick={() =>
                void resultRowsLead(result)
                  .then((lead) => {
                    if (lead.note) setNotice(lead.note);
                    followLead(lead);
                  })
                  .catch((e: unknown) => setNotice(e instanceof Error ? e.message : String(e)))
              }
              disabled={running}
              title="Open the Sign-ins grid filtered to the rows this result names by row_id (or request_id); replaces the current filter"
            >
              Show these rows in the grid
            </button>
          )}
          <button onClick={() => void exportAs('csv')} disabled={!result || running} title="Download the result as CSV (cells that would start a formula are neutralised)">
            Export CSV
          </button>
          <button onClick={() => void exportAs('json')} disabled={!result || running} title="Download the result as JSON">
            Export JSON
          </button>
        </div>
        <div className="console-results">
          {result ? (
            result.kind === 'plan' ? (
              <pre className="console-plan">{result.rows.map((r) => String(r[1] ?? '')).join('\n\n')}</pre>
            ) : (
              <ResultsGrid key={result.resultId} resultId={result.resultId} columns={result.columns} firstRows={result.rows} total={result.total} onSortChanged={setSort} onError={showError} onNotice={showError} />
            )
          ) : (
            <div className="console-empty muted">
              <p>Any read query over the case works: CTEs, window functions, PIVOT, UNNEST, JSON functions on <code>raw</code>.</p>
              <p>Nothing here can change the case or touch other files. Open an example from the side panel to start.</p>
            </div>
          )}
        </div>
      </section>
    </div>
  );
}
