import { Fragment, useCallback, useEffect, useState, type ReactNode } from 'react';
import { api } from '../api/client';
import { bumpDataVersion, useAppState } from '../state/store';
import { formatInstant, zoneLabel } from '../state/timeZone';
import { copyText } from '../grid/clipboard';
import { ENTITY_PIVOTS, pivotEntity } from '../grid/pivots';
import type { ColumnInfo } from '../grid/columnSets';
import type { TagInfo } from '../grid/gridTypes';
import { showGraphCallsOf } from '../graphActivity/graphNav';
import './detail.css';
import { visibleNodes } from '../text/visibleText';

type Row = Record<string, unknown>;
type Detail = NonNullable<Awaited<ReturnType<typeof api.getDetail>>>;
type Note = Awaited<ReturnType<typeof api.listNotes>>[number];

const LOCATION = ['ip_address', 'ip_address_from_resource', 'autonomous_system_number', 'city', 'state', 'country', 'latitude', 'longitude', 'through_global_secure_access', 'global_secure_access_ip'];
const DEVICE = ['device_id', 'device_name', 'operating_system', 'browser', 'user_agent', 'is_compliant', 'is_managed', 'trust_type'];
const AUTH = ['authentication_requirement', 'mfa_result', 'mfa_method', 'mfa_detail', 'authentication_protocol', 'incoming_token_type', 'original_transfer_method', 'token_protection_status'];
const CA = ['conditional_access_status'];
const BASIC_FIRST = [
  'time_utc', 'request_id', 'correlation_id', 'log_type', 'status', 'error_code', 'failure_reason', 'additional_details',
  'user_display_name', 'user_principal_name', 'user_id', 'sign_in_identifier', 'user_type', 'cross_tenant_access_type',
  'app_display_name', 'app_id', 'resource_display_name', 'resource_id', 'resource_tenant_id', 'home_tenant_id', 'home_tenant_name',
  'client_app', 'token_issuer_type', 'token_issuer_name', 'session_id', 'unique_token_identifier', 'latency_ms', 'flagged_for_review',
];
/** Shown in their own tabs, never as plain fields. */
const STRUCTURED = new Set(['raw', 'applied_ca_policies', 'authentication_details', 'extra']);

type TabId = 'basic' | 'location' | 'device' | 'auth' | 'ca' | 'graph' | 'extra' | 'raw' | 'notes';

export function DetailPane({ rowId, columns, tags, onClose }: { rowId: number; columns: ColumnInfo[]; tags: TagInfo[]; onClose: () => void }) {
  const zone = useAppState((s) => s.timeZone);
  const dataVersion = useAppState((s) => s.dataVersion);
  const [detail, setDetail] = useState<Detail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tab, setTab] = useState<TabId>('basic');
  const [notes, setNotes] = useState<Note[]>([]);
  const [rowTags, setRowTags] = useState<number[]>([]);

  useEffect(() => {
    let live = true;
    setError(null);
    api
      .getDetail({ rowId })
      .then((d) => live && setDetail(d))
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [rowId]);

  const reloadAnnotations = useCallback(async () => {
    const [n, page] = await Promise.all([
      api.listNotes({ rowId }),
      api.getRows({ filter: { conditions: [{ kind: 'rows', rowIds: [rowId] }] }, sort: [], start: 0, end: 1, columns: ['row_id'] }),
    ]);
    setNotes(n);
    setRowTags(((page.rows[0]?._tags as number[] | undefined) ?? []).map(Number));
  }, [rowId]);
  useEffect(() => {
    void reloadAnnotations();
  }, [reloadAnnotations, dataVersion]);

  const label = (name: string) => columns.find((c) => c.name === name)?.label ?? name;
  const typeOf = (name: string) => columns.find((c) => c.name === name)?.type ?? 'VARCHAR';
  const rec = detail?.record;
  const tabs: { id: TabId; label: string }[] = [
    { id: 'basic', label: 'Basic info' },
    { id: 'location', label: 'Location' },
    { id: 'device', label: 'Device info' },
    { id: 'auth', label: 'Authentication details' },
    { id: 'ca', label: 'Conditional Access' },
    ...(detail?.graphActivity.available ? [{ id: 'graph' as const, label: `Graph activity (${detail.graphActivity.total})` }] : []),
    { id: 'extra', label: `Other fields (${extraEntries(rec?.extra).length})` },
    { id: 'raw', label: 'Raw' },
    { id: 'notes', label: `Notes & tags${notes.length ? ` (${notes.length})` : ''}` },
  ];
  const placed = new Set([...LOCATION, ...DEVICE, ...AUTH, ...CA, ...STRUCTURED]);
  const basic = [...BASIC_FIRST, ...columns.map((c) => c.name).filter((n) => !BASIC_FIRST.includes(n) && !placed.has(n))];

  const fields = (names: string[]) => (
    <dl className="fields">
      {rec &&
        names.map((n) => (
          <Field key={n} name={n} label={n === 'time_utc' ? `Date (${zoneLabel(zone)})` : label(n)} value={rec[n]} type={typeOf(n)} zone={zone} detail={detail} row={rec} />
        ))}
    </dl>
  );

  return (
    <aside className="detail" aria-label="Sign-in details">
      <div className="detail-head">
        <div className="detail-title">
          <strong>{rec ? visibleNodes(String(rec.user_display_name ?? rec.user_principal_name ?? rec.service_principal_name ?? 'Sign-in')) : 'Sign-in'}</strong>
          <span className="muted">
            {rec ? `${formatInstant(String(rec.time_utc ?? ''), zone)} ${zoneLabel(zone)} · row ${rowId}` : `row ${rowId}`}
          </span>
        </div>
        <span className="tag-row">
          {rowTags.map((id) => {
            const t = tags.find((x) => x.tagId === id);
            return (
              <span key={id} className="tag-pill" style={{ borderColor: t?.color }}>
                <span className="tag-dot" style={{ background: t?.color }} />
                {t?.name ?? id}
              </span>
            );
          })}
        </span>
        <button className="plain close" onClick={onClose} aria-label="Close details (Esc)" title="Close (Esc)">
          ×
        </button>
      </div>
      <div className="detail-tabs" role="tablist" aria-label="Detail sections">
        {tabs.map((t) => (
          <button key={t.id} role="tab" aria-selected={tab === t.id} className={tab === t.id ? 'on' : ''} onClick={() => setTab(t.id)}>
            {t.label}
          </button>
        ))}
      </div>
      <div className="detail-body" role="tabpanel" aria-label={tabs.find((t) => t.id === tab)?.label}>
        {error && <div className="error-line">{error}</div>}
        {!rec && !error && <div className="muted">Loading…</div>}
        {rec && tab === 'basic' && fields(basic)}
        {rec && tab === 'location' && fields(LOCATION)}
        {rec && tab === 'device' && fields(DEVICE)}
        {rec && tab === 'auth' && (
          <>
            {fields(AUTH)}
            <h3>Authentication steps</h3>
            <ChildTable rows={detail!.authDetails.rows} source={detail!.authDetails.source} empty="No authentication steps in this record." zone={zone} />
          </>
        )}
        {rec && tab === 'ca' && (
          <>
            {fields(CA)}
            <h3>Policies</h3>
            <PolicyList rows={detail!.caPolicies.rows} />
          </>
        )}
        {rec && tab === 'graph' && (
          <>
            <p className="muted small">
              Microsoft Graph calls made with this sign-in's token (unique token identifier {String(rec.unique_token_identifier ?? '')}).
              {detail!.graphActivity.total > detail!.graphActivity.rows.length ? ` First ${detail!.graphActivity.rows.length} of ${detail!.graphActivity.total}.` : ''}
            </p>
            {detail!.graphActivity.total > 0 && typeof rec.unique_token_identifier === 'string' && (
              <p>
                <button onClick={() => showGraphCallsOf(String(rec.unique_token_identifier))}>Open these {detail!.graphActivity.total} calls in Graph activity</button>
              </p>
            )}
            <ChildTable rows={detail!.graphActivity.rows} source="graph_activity" empty="No Graph activity with this token." zone={zone} />
          </>
        )}
        {rec && tab === 'extra' && <ExtraFields extra={rec.extra} />}
        {rec && tab === 'raw' && <RawRecord raw={rec.raw} origin={rec.raw_origin} error={rec.raw_error} />}
        {rec && tab === 'notes' && <NotesTab rowId={rowId} notes={notes} tags={tags} rowTags={rowTags} zone={zone} onChanged={() => bumpDataVersion()} />}
      </div>
    </aside>
  );
}

function CopyButton({ text, label }: { text: string; label: string }) {
  const [done, setDone] = useState(false);
  return (
    <button
      className="plain copy"
      aria-label={`Copy ${label}`}
      title={`Copy ${label}`}
      onClick={() =>
        void copyText(text).then(() => {
          setDone(true);
          setTimeout(() => setDone(false), 1200);
        })
      }
    >
      {done ? '✓' : '⧉'}
    </button>
  );
}

function Field({ name, label, value, type, zone, detail, row }: { name: string; label: string; value: unknown; type: string; zone: string; detail: Detail | null; row: Row }) {
  const empty = value === null || value === undefined || value === '';
  const text = empty ? '' : type === 'TIMESTAMP' ? formatInstant(String(value), zone) : String(value);
  const pivot = ENTITY_PIVOTS.find((p) => p.column === name);
  let extra: ReactNode = null;
  if (name === 'error_code' && detail?.error) {
    extra = <div className={detail.error.known ? 'meaning' : 'meaning unknown'}>{detail.error.meaning}</div>;
  }
  return (
    <>
      <dt title={name}>{label}</dt>
      <dd data-field={name}>
        <span className={empty ? 'muted' : name === 'status' ? `val status-${text}` : name === 'user_agent' || name.endsWith('_id') ? 'mono val' : 'val'}>{empty ? '—' : visibleNodes(text)}</span>
        {!empty && <CopyButton text={text} label={label} />}
        {!empty && pivot && (
          <button className="link pivot" onClick={() => pivotEntity(name, row)}>
            all from {pivot.label}
          </button>
        )}
        {extra}
      </dd>
    </>
  );
}

function cellString(v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function ChildTable({ rows, source, empty, zone }: { rows: Row[]; source: string; empty: string; zone: string }) {
  if (!rows.length) return <p className="muted">{empty}</p>;
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const show = (k: string, v: unknown) => (/date|time/i.test(k) && typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v) ? formatInstant(v, zone) : cellString(v));
  return (
    <div className="child-wrap">
      <table className="child">
        <thead>
          <tr>
            {keys.map((k) => (
              <th key={k}>{k}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              {keys.map((k) => (
                <td key={k}>{visibleNodes(show(k, r[k]))}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <div className="muted small">From the {source}.</div>
    </div>
  );
}

const RESULT_CLASS: Record<string, string> = { success: 'ok', failure: 'bad', notApplied: 'muted', reportOnlySuccess: 'warn', reportOnlyFailure: 'warn', reportOnlyNotApplied: 'muted' };

function PolicyList({ rows }: { rows: Row[] }) {
  if (!rows.length) return <p className="muted">No Conditional Access policies were recorded for this sign-in.</p>;
  return (
    <table className="child policies">
      <thead>
        <tr>
          <th>Policy</th>
          <th>Result</th>
          <th>Grant controls</th>
          <th>Session controls</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((p, i) => {
          const result = cellString(p.result ?? p.Result);
          return (
            <tr key={i}>
              <td>
                <div>{visibleNodes(cellString(p.displayName ?? p.DisplayName ?? p.id))}</div>
                <div className="muted mono small">{cellString(p.id ?? p.Id)}</div>
              </td>
              <td>
                <span className={`result ${RESULT_CLASS[result] ?? ''}`}>{result || '—'}</span>
              </td>
              <td>{cellString(p.enforcedGrantControls ?? p.EnforcedGrantControls).replace(/[[\]"]/g, '').replace(/,/g, ', ')}</td>
              <td>{cellString(p.enforcedSessionControls ?? p.EnforcedSessionControls).replace(/[[\]"]/g, '').replace(/,/g, ', ')}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** The record's `extra` column as (source field, value text) pairs; nested values as JSON. */
function extraEntries(extra: unknown): Array<[string, string]> {
  if (typeof extra !== 'string' || extra === '') return [];
  try {
    const obj = JSON.parse(extra) as unknown;
    if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return [['(value)', extra]];
    return Object.entries(obj as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]);
  } catch {
    return [['(value)', extra]];
  }
}

/** Source fields that have no column of their own, by their name in the export. */
function ExtraFields({ extra }: { extra: unknown }) {
  const entries = extraEntries(extra);
  return (
    <>
      <p className="muted small">Fields of the original record that have no column of their own (SQL: the JSON column <code>extra</code>).</p>
      {entries.length === 0 ? (
        <div className="muted">No other fields in this record.</div>
      ) : (
        <dl className="fields" aria-label="Other fields">
          {entries.map(([k, v]) => (
            <Fragment key={k}>
              <dt title={k}>{k}</dt>
              <dd data-extra-field={k}>
                <span className={v === '' || v === 'null' ? 'muted' : 'mono val'}>{v === '' || v === 'null' ? '—' : v}</span>
                {v !== '' && v !== 'null' && <CopyButton text={v} label={k} />}
              </dd>
            </Fragment>
          ))}
        </dl>
      )}
    </>
  );
}

function RawRecord({ raw, origin, error }: { raw: unknown; origin: unknown; error: unknown }) {
  let text = raw === null || raw === undefined ? '' : cellString(raw);
  try {
    text = JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    // Not JSON: show as stored.
  }
  return (
    <div className="raw">
      <div className="raw-actions">
        <span className="muted small" data-testid="raw-origin">
          {typeof origin === 'string' ? `The original record: ${origin}.` : 'The original record.'}
        </span>
        {text && <CopyButton text={text} label="raw record" />}
      </div>
      {typeof error === 'string' && (
        <p className="error" role="alert">
          The original record cannot be shown: {error}
        </p>
      )}
      <pre className="mono" aria-label="Raw record">
        {text || '(no raw record)'}
      </pre>
    </div>
  );
}

function NotesTab({ rowId, notes, tags, rowTags, zone, onChanged }: { rowId: number; notes: Note[]; tags: TagInfo[]; rowTags: number[]; zone: string; onChanged: () => void }) {
  const [text, setText] = useState('');
  const [editing, setEditing] = useState<{ noteId: number; text: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async (fn: () => Promise<unknown>) => {
    try {
      setError(null);
      await fn();
      onChanged();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <div className="notes">
      <h3>Tags</h3>
      {tags.length === 0 && <p className="muted small">No tags in this case yet; create them from the Tags menu.</p>}
      <div className="tag-toggles">
        {tags.map((t) => {
          const on = rowTags.includes(t.tagId);
          return (
            <label key={t.tagId} className="tag-toggle">
              <input
                type="checkbox"
                checked={on}
                onChange={() => void run(() => (on ? api.untagRows({ tagId: t.tagId, target: { rowIds: [rowId] } }) : api.tagRows({ tagId: t.tagId, target: { rowIds: [rowId] } })))}
              />
              <span className="tag-dot" style={{ background: t.color }} /> {t.name}
            </label>
          );
        })}
      </div>
      <h3>Notes</h3>
      {notes.length === 0 && <p className="muted small">No notes on this row.</p>}
      <ul className="note-list">
        {notes.map((n) =>
          editing?.noteId === n.noteId ? (
            <li key={n.noteId}>
              <textarea value={editing.text} onChange={(e) => setEditing({ noteId: n.noteId, text: e.target.value })} aria-label="Edit note" rows={3} />
              <div className="note-edit-actions">
                <button onClick={() => setEditing(null)}>Cancel</button>
                <button
                  className="primary"
                  onClick={() =>
                    void run(async () => {
                      await api.updateNote({ noteId: n.noteId, text: editing.text });
                      setEditing(null);
                    })
                  }
                >
                  Save
                </button>
              </div>
            </li>
          ) : (
            <li key={n.noteId}>
              <div className="note-text">{n.text}</div>
              <div className="muted small">
                {formatInstant(n.createdAt, zone)} {zoneLabel(zone)}
                {n.updatedAt !== n.createdAt ? ` · edited ${formatInstant(n.updatedAt, zone)}` : ''}
                <button className="link" onClick={() => setEditing({ noteId: n.noteId, text: n.text })}>
                  Edit
                </button>
                <button className="link" onClick={() => void run(() => api.deleteNote({ noteId: n.noteId }))}>
                  Delete
                </button>
              </div>
            </li>
          ),
        )}
      </ul>
      <form
        className="note-new"
        onSubmit={(e) => {
          e.preventDefault();
          if (!text.trim()) return;
          void run(async () => {
            await api.addNote({ rowId, text });
            setText('');
          });
        }}
      >
        <textarea value={text} onChange={(e) => setText(e.target.value)} placeholder="Add a note about this sign-in" aria-label="New note" rows={3} />
        <button type="submit" className="primary">
          Add note
        </button>
      </form>
      {error && <div className="error-line">{error}</div>}
    </div>
  );
}
