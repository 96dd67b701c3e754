import { Fragment, useEffect, useMemo, useState } from 'react';
import { api } from '../api/client';
import type { Condition, FilterState } from '../../electron/api/schemas/filter';
import { GROUP_COLUMNS, type GroupColumn, type GroupResult } from '../../electron/api/methods/grouping';
import { useAppState } from '../state/store';
import { followLead, type Lead } from '../app/navigation';
import { formatInstant, zoneLabel } from '../state/timeZone';
import { setGrouping, type Grouping, type GroupSortKey } from './grouping';
import type { ColumnInfo } from './columnSets';
import './groupPanel.css';

type Group = GroupResult['groups'][number];

const PAGE = 200;
const EXPANDED_ROWS = 50;
/** What an expanded group shows of each row (its grouped columns left out). */
const ROW_COLUMNS = ['time_utc', 'user_principal_name', 'app_display_name', 'ip_address', 'country', 'status', 'error_code'];

const num = (n: number) => n.toLocaleString('en-US');

/** The conditions that select exactly one group's rows. */
export function groupConditions(by: readonly string[], keys: readonly (string | null)[]): Condition[] {
  return by.map((column, i) => ({ kind: 'values', column, values: [keys[i] ?? null] }));
}

/** A group's rows as a lead: the filter it was counted under, narrowed to its keys. */
export function groupLead(filter: FilterState, by: readonly string[], keys: readonly (string | null)[]): Lead {
  const kept = filter.conditions.filter((c) => !(c.kind === 'values' && by.includes(c.column)));
  return { conditions: [...kept, ...groupConditions(by, keys)], ...(filter.search ? { search: filter.search } : {}) };
}

/**
 * Timeline Explorer's group-by, above the grid: the filtered sign-ins grouped by one or two
 * columns in the engine, each group with its rows, failures and first/last time. A group
 * opens in place to its latest rows, or becomes the filter (Back restores the one before).
 */
export function GroupPanel({ grouping, columns, onOpenRow }: { grouping: Grouping; columns: ColumnInfo[]; onOpenRow(rowId: number): void }) {
  const filter = useAppState((s) => s.filter);
  const zone = useAppState((s) => s.timeZone);
  const dataVersion = useAppState((s) => s.dataVersion);
  const [result, setResult] = useState<GroupResult | null>(null);
  const [limit, setLimit] = useState(PAGE);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const info = useMemo(() => new Map(columns.map((c) => [c.name, c])), [columns]);
  const choices = useMemo(() => GROUP_COLUMNS.filter((c) => info.has(c) && !info.get(c)!.empty), [info]);
  const label = (name: string) => info.get(name)?.label ?? name;
  const { by, sort } = grouping;
  const key = JSON.stringify([filter, by, sort, limit, dataVersion]);

  useEffect(() => {
    let live = true;
    setLoading(true);
    api
      .groupRows({ filter, by, sort, limit })
      .then((r) => {
        if (!live) return;
        setResult(r);
        setError(null);
      })
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  useEffect(() => {
    setOpen(null);
    setLimit(PAGE);
  }, [by.join('\u0001'), JSON.stringify(filter)]);

  const sortBy = (k: GroupSortKey) =>
    setGrouping({ by, sort: { key: k, dir: sort.key === k ? (sort.dir === 'desc' ? 'asc' : 'desc') : k === 'key0' || k === 'key1' || k === 'first' ? 'asc' : 'desc' } });
  const setBy = (i: number, col: GroupColumn | '') => {
    const next = [...by];
    if (col === '') next.splice(i, 1);
    else next[i] = col;
    const clean = next.filter((c, j) => next.indexOf(c) === j);
    if (!clean.length) return;
    setGrouping({ by: clean, sort: sort.key === 'key1' && clean.length < 2 ? { key: 'rows', dir: 'desc' } : sort });
  };

  const header = (k: GroupSortKey, text: string, cls?: string) => (
    <th className={cls} aria-sort={sort.key === k ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <button className="link" onClick={() => sortBy(k)} title={`Sort by ${text}`}>
        {text}
        {sort.key === k ? (sort.dir === 'asc' ? ' ↑' : ' ↓') : ''}
      </button>
    </th>
  );
  const keyText = (v: string | null) => (v === null ? <span className="muted">(empty)</span> : v === '' ? <span className="muted">(blank)</span> : v);
  const zl = zoneLabel(zone);

  return (
    <section className="group-panel" aria-label="Groups">
      <div className="group-bar">
        <label>
          Group by
          <select value={by[0]} onChange={(e) => setBy(0, e.target.value as GroupColumn)} aria-label="Group by">
            {choices.map((c) => (
              <option key={c} value={c}>
                {label(c)}
              </option>
            ))}
          </select>
        </label>
        <label>
          then by
          <select value={by[1] ?? ''} onChange={(e) => setBy(1, e.target.value as GroupColumn | '')} aria-label="Then group by">
            <option value="">—</option>
            {choices
              .filter((c) => c !== by[0])
              .map((c) => (
                <option key={c} value={c}>
                  {label(c)}
                </option>
              ))}
          </select>
        </label>
        <span className="muted" data-testid="group-count">
          {result ? `${num(result.totalGroups)} group${result.totalGroups === 1 ? '' : 's'} · ${num(result.totalRows)} sign-ins` : 'Grouping…'}
          {loading && result ? ' · updating…' : ''}
        </span>
        <button className="plain group-close" onClick={() => setGrouping(null)} aria-label="Ungroup" title="Show the grid without groups">
          Ungroup ×
        </button>
      </div>
      {error && <div className="error-line">{error}</div>}
      <div className="group-scroll">
        <table className="group-table">
          <thead>
            <tr>
              <th className="exp" aria-label="Expand" />
              {header('key0', label(by[0]!))}
              {by[1] && header('key1', label(by[1]))}
              {header('rows', 'Sign-ins', 'n')}
              {header('failures', 'Failures', 'n')}
              {header('first', `First (${zl})`, 't')}
              {header('last', `Last (${zl})`, 't')}
              <th className="acts">Rows</th>
            </tr>
          </thead>
          <tbody>
            {result?.groups.map((g) => {
              const id = JSON.stringify(g.keys);
              const isOpen = open === id;
              return (
                <Fragment key={id}>
                  <tr className={isOpen ? 'open' : undefined} onDoubleClick={() => followLead(groupLead(filter, by, g.keys))}>
                    <td className="exp">
                      <button className="plain" aria-expanded={isOpen} aria-label={`${isOpen ? 'Collapse' : 'Expand'} ${g.keys.map((k) => k ?? '(empty)').join(' · ')}`} onClick={() => setOpen(isOpen ? null : id)}>
                        {isOpen ? '▾' : '▸'}
                      </button>
                    </td>
                    {g.keys.map((k, i) => (
                      <td key={i} className="key" title={k ?? '(empty)'}>
                        {keyText(k)}
                      </td>
                    ))}
                    <td className="n">{num(g.rows)}</td>
                    <td className={g.failures ? 'n bad' : 'n muted'}>{num(g.failures)}</td>
                    <td className="t">{formatInstant(g.firstUtc, zone, false)}</td>
                    <td className="t">{formatInstant(g.lastUtc, zone, false)}</td>
                    <td className="acts">
                      <button className="link" onClick={() => followLead(groupLead(filter, by, g.keys))} title="Make this group the filter: exactly its rows in the grid (Back restores the filter before)">
                        Show in grid
                      </button>
                    </td>
                  </tr>
                  {isOpen && (
                    <tr className="group-rows">
                      <td colSpan={by.length + 6}>
                        <GroupRows filter={filter} group={g} by={by} zone={zone} label={label} onOpenRow={onOpenRow} />
                      </td>
                    </tr>
                  )}
                </Fragment>
              );
            })}
          </tbody>
        </table>
        {result && result.groups.length < result.totalGroups && (
          <div className="group-more">
            <span className="muted">
              Showing {num(result.groups.length)} of {num(result.totalGroups)} groups
            </span>
            <button onClick={() => setLimit((l) => Math.min(5000, l + PAGE * 5))} disabled={limit >= 5000}>
              Show more
            </button>
          </div>
        )}
      </div>
    </section>
  );
}

/** The latest rows of one group, fetched as the grid fetches its pages. */
function GroupRows({ filter, group, by, zone, label, onOpenRow }: { filter: FilterState; group: Group; by: string[]; zone: string; label(n: string): string; onOpenRow(rowId: number): void }) {
  const [rows, setRows] = useState<Record<string, unknown>[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const cols = ROW_COLUMNS.filter((c) => !by.includes(c));
  useEffect(() => {
    let live = true;
    const f: FilterState = { ...filter, conditions: [...filter.conditions, ...groupConditions(by, group.keys)] };
    api
      .getRows({ filter: f, sort: [{ column: 'time_utc', dir: 'desc' }], start: 0, end: EXPANDED_ROWS, columns: ['row_id', ...cols] })
      .then((r) => live && setRows(r.rows))
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [JSON.stringify([filter, group.keys, by])]);
  if (error) return <div className="error-line">{error}</div>;
  if (!rows) return <div className="muted">Loading rows…</div>;
  return (
    <div className="group-rows-box">
      <table aria-label="Rows of the group">
        <thead>
          <tr>
            {cols.map((c) => (
              <th key={c}>{c === 'time_utc' ? `Date (${zoneLabel(zone)})` : label(c)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={String(r.row_id)} onClick={() => onOpenRow(Number(r.row_id))} title="Open in the detail pane">
              {cols.map((c) => (
                <td key={c} className={c === 'time_utc' ? 't' : undefined}>
                  {c === 'time_utc' ? formatInstant(r[c] as string | null, zone) : r[c] === null || r[c] === undefined ? '' : String(r[c])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {group.rows > rows.length && (
        <div className="muted small">
          Latest {num(rows.length)} of {num(group.rows)} — “Show in grid” for all of them.
        </div>
      )}
    </div>
  );
}
