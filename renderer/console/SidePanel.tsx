import { useEffect, useState } from 'react';
import { api } from '../api/client';
import { useAppState } from '../state/store';
import { formatInstant, zoneLabel } from '../state/timeZone';
import type { HistoryEntryInfo, SavedQueryInfo, SchemaTableInfo } from '../../electron/api/methods/sql';

export type SideTab = 'schema' | 'examples' | 'history' | 'saved';

interface Props {
  tab: SideTab;
  onTab(tab: SideTab): void;
  /** Bumped after each run or save so the lists refetch. */
  revision: number;
  onOpen(sql: string): void;
  onInsert(text: string): void;
  onError(message: string): void;
}

const TABS: Array<{ id: SideTab; label: string }> = [
  { id: 'schema', label: 'Schema' },
  { id: 'examples', label: 'Examples' },
  { id: 'history', label: 'History' },
  { id: 'saved', label: 'Saved' },
];

const fmt = (n: number) => n.toLocaleString('en-US');

/** Schema browser, example queries, history and saved queries of the case. */
export function SidePanel({ tab, onTab, revision, onOpen, onInsert, onError }: Props) {
  return (
    <aside className="console-side" aria-label="Console side panel">
      <div className="console-side-tabs" role="tablist">
        {TABS.map((t) => (
          <button key={t.id} role="tab" aria-selected={tab === t.id} className={tab === t.id ? 'active' : ''} onClick={() => onTab(t.id)}>
            {t.label}
          </button>
        ))}
      </div>
      <div className="console-side-body">
        {tab === 'schema' && <SchemaList onInsert={onInsert} onError={onError} />}
        {tab === 'examples' && <ExampleList onOpen={onOpen} onError={onError} />}
        {tab === 'history' && <HistoryList revision={revision} onOpen={onOpen} onError={onError} />}
        {tab === 'saved' && <SavedList revision={revision} onOpen={onOpen} onError={onError} />}
      </div>
    </aside>
  );
}

function SchemaList({ onInsert, onError }: { onInsert(text: string): void; onError(m: string): void }) {
  const zone = useAppState((s) => s.timeZone);
  const [tables, setTables] = useState<SchemaTableInfo[] | null>(null);
  const [open, setOpen] = useState<Set<string>>(new Set(['signins']));
  const [snapshotAt, setSnapshotAt] = useState<string | null>(null);
  const [limit, setLimit] = useState<string | null>(null);
  const load = (refresh: boolean) =>
    api
      .sqlSchema({ refresh })
      .then((r) => {
        setTables(r.tables);
        setSnapshotAt(r.snapshotAt);
        setLimit(r.memoryLimit);
      })
      .catch((e: unknown) => onError(e instanceof Error ? e.message : String(e)));
  useEffect(() => {
    void load(false);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  if (!tables) return <p className="muted console-pad">Loading the case’s tables…</p>;
  const toggle = (name: string) =>
    setOpen((s) => {
      const n = new Set(s);
      if (n.has(name)) n.delete(name);
      else n.add(name);
      return n;
    });
  return (
    <div className="console-schema" data-testid="sql-schema">
      <div className="console-snapshot muted">
        <span title="The console reads a read-only snapshot of the case; it refreshes after imports and tag changes.">
          Read-only snapshot{snapshotAt ? ` · ${formatInstant(new Date(snapshotAt).toISOString(), zone, false).slice(11)} ${zoneLabel(zone)}` : ''}
          {limit ? ` · memory ${limit}` : ''}
        </span>
        <button className="plain console-mini" onClick={() => void load(true)} title="Take a new snapshot of the case now">
          Refresh
        </button>
      </div>
      <ul className="console-tree">
        {tables.map((t) => (
          <li key={t.name}>
            <div className="console-tree-row">
              <button className="plain console-caret" aria-expanded={open.has(t.name)} aria-label={`${open.has(t.name) ? 'Collapse' : 'Expand'} ${t.name}`} onClick={() => toggle(t.name)}>
                {open.has(t.name) ? '▾' : '▸'}
              </button>
              <button className="plain console-table-name" onClick={() => onInsert(t.name)} title={`Insert ${t.name}`}>
                {t.name}
              </button>
              <span className="console-count muted">{t.kind === 'view' ? 'view' : fmt(t.rows ?? 0)}</span>
            </div>
            {open.has(t.name) && (
              <ul className="console-cols">
                {t.columns.map((c) => (
                  <li key={c.name}>
                    <button className="plain" onClick={() => onInsert(c.name)} title={`Insert ${c.name}`}>
                      {c.name}
                    </button>
                    <span className="console-type">{c.type}</span>
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

function ExampleList({ onOpen, onError }: { onOpen(sql: string): void; onError(m: string): void }) {
  const [examples, setExamples] = useState<Array<{ title: string; description: string; sql: string }>>([]);
  useEffect(() => {
    void api.sqlExamples({}).then(setExamples).catch((e: unknown) => onError(e instanceof Error ? e.message : String(e)));
  }, [onError]);
  return (
    <ul className="console-list" data-testid="sql-examples">
      {examples.map((e) => (
        <li key={e.title}>
          <button className="plain console-item" onClick={() => onOpen(e.sql)}>
            <strong>{e.title}</strong>
            <span className="muted">{e.description}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}

const OUTCOME_LABEL: Record<HistoryEntryInfo['outcome'], string> = { ok: 'ok', refused: 'refused', error: 'error', cancelled: 'cancelled', timeout: 'timeout' };

function HistoryList({ revision, onOpen, onError }: { revision: number; onOpen(sql: string): void; onError(m: string): void }) {
  const zone = useAppState((s) => s.timeZone);
  const [items, setItems] = useState<HistoryEntryInfo[] | null>(null);
  const [search, setSearch] = useState('');
  useEffect(() => {
    const t = setTimeout(
      () =>
        void api
          .sqlHistory({ limit: 300, search: search || undefined })
          .then(setItems)
          .catch((e: unknown) => onError(e instanceof Error ? e.message : String(e))),
      search ? 200 : 0,
    );
    return () => clearTimeout(t);
  }, [revision, search, onError]);
  return (
    <div className="console-history" data-testid="sql-history">
      <input className="console-search" type="search" placeholder="Search history" value={search} onChange={(e) => setSearch(e.target.value)} aria-label="Search history" />
      {items && items.length === 0 && <p className="muted console-pad">No queries run on this case yet.</p>}
      <ul className="console-list">
        {items?.map((h) => (
          <li key={h.id}>
            <button className="plain console-item" onClick={() => onOpen(h.sql)} title={h.message ?? h.sql}>
              <span className="console-item-head">
                <span className={`console-badge ${h.outcome}`}>{OUTCOME_LABEL[h.outcome]}</span>
                <span className="muted" title={`${zoneLabel(zone)}`}>{formatInstant(new Date(h.ranAt).toISOString(), zone, false)}</span>
                <span className="muted console-item-meta">
                  {h.rows !== null ? `${fmt(h.rows)} rows · ` : ''}
                  {fmt(Math.round(h.durationMs))} ms
                </span>
              </span>
              <code className="console-sql-preview">{h.sql}</code>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

function SavedList({ revision, onOpen, onError }: { revision: number; onOpen(sql: string): void; onError(m: string): void }) {
  const [items, setItems] = useState<SavedQueryInfo[] | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    void api.sqlSavedList({}).then(setItems).catch((e: unknown) => onError(e instanceof Error ? e.message : String(e)));
  }, [revision, tick, onError]);
  return (
    <div data-testid="sql-saved">
      {items && items.length === 0 && <p className="muted console-pad">No saved queries. Use Save to keep a query with the case.</p>}
      <ul className="console-list">
        {items?.map((q) => (
          <li key={q.id} className="console-saved">
            <button className="plain console-item" onClick={() => onOpen(q.sql)} title={q.sql}>
              <strong>{q.name}</strong>
              {q.description && <span className="muted">{q.description}</span>}
              <code className="console-sql-preview">{q.sql}</code>
            </button>
            <button
              className="plain console-mini console-delete"
              aria-label={`Delete saved query ${q.name}`}
              title="Delete"
              onClick={() =>
                void api
                  .sqlDeleteSaved({ id: q.id })
                  .then(() => setTick((t) => t + 1))
                  .catch((e: unknown) => onError(e instanceof Error ? e.message : String(e)))
              }
            >
              ×
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
