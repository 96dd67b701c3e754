import { useEffect, useMemo, useState } from 'react';
import { api } from '../api/client';
import type { Condition, FilterState } from '../../electron/api/schemas/filter';
import { addCondition, getState, setState, useAppState } from '../state/store';
import { utcIsoToZonedInput, zoneLabel } from '../state/timeZone';
import { parseZonedInput, TIME_INPUT_FORMAT } from '../state/timeInput';
import { TimeRangeFilter } from './TimeRangeFilter';
import type { ColumnInfo } from './columnSets';
import { Popover } from './Popover';

type Tab = 'values' | 'text' | 'range' | 'time' | 'around';

const NUMERIC = new Set(['INTEGER', 'BIGINT', 'DOUBLE']);

function tabsFor(type: string): Tab[] {
  if (type === 'TIMESTAMP') return ['time', 'around', 'values'];
  if (NUMERIC.has(type)) return ['values', 'range', 'text'];
  if (type === 'BOOLEAN') return ['values'];
  return ['values', 'text'];
}

const TAB_LABEL: Record<Tab, string> = { values: 'Values', text: 'Text', range: 'Range', time: 'Time range', around: 'Around a time' };

/** Replace any earlier condition of the same kind on this column, so re-filtering edits rather than stacks. */
function applyCondition(c: Condition): void {
  addCondition(c, true);
}

export function ColumnFilter({ column, anchor, onClose, selectedTime }: { column: ColumnInfo; anchor: DOMRect; onClose: () => void; selectedTime: string | null }) {
  const tabs = tabsFor(column.type);
  const [tab, setTab] = useState<Tab>(tabs[0]!);
  return (
    <Popover anchor={anchor} onClose={onClose} label={`Filter ${column.label}`} className="filter-pop">
      <div className="filter-head">
        <strong>{column.label}</strong>
        <span className="muted mono">{column.name}</span>
      </div>
      <div className="seg" role="tablist" aria-label="Filter kind">
        {tabs.map((t) => (
          <button key={t} role="tab" aria-selected={tab === t} className={tab === t ? 'on' : ''} onClick={() => setTab(t)}>
            {TAB_LABEL[t]}
          </button>
        ))}
      </div>
      {tab === 'values' && <ValuesFilter column={column} onDone={onClose} />}
      {tab === 'text' && <TextFilter column={column} onDone={onClose} />}
      {tab === 'range' && <RangeFilter column={column} onDone={onClose} />}
      {tab === 'time' && <TimeRangeFilter column={column.name} onDone={onClose} selectedTime={selectedTime} />}
      {tab === 'around' && <AroundFilter column={column} onDone={onClose} initial={selectedTime} />}
    </Popover>
  );
}

function TextFilter({ column, onDone }: { column: ColumnInfo; onDone: () => void }) {
  const [op, setOp] = useState<Extract<Condition, { kind: 'text' }>['op']>('contains');
  const [value, setValue] = useState('');
  const [negate, setNegate] = useState(false);
  const [cs, setCs] = useState(false);
  const needsValue = op !== 'empty' && op !== 'notEmpty';
  const apply = () => {
    if (needsValue && !value) return;
    applyCondition({ kind: 'text', column: column.name, op, ...(needsValue ? { value } : {}), ...(negate ? { negate } : {}), ...(cs ? { caseSensitive: cs } : {}) });
    onDone();
  };
  return (
    <form
      className="filter-form"
      onSubmit={(e) => {
        e.preventDefault();
        apply();
      }}
    >
      <label>
        Condition
        <select value={op} onChange={(e) => setOp(e.target.value as typeof op)} aria-label="Text condition">
          <option value="contains">contains</option>
          <option value="equals">equals</option>
          <option value="startsWith">starts with</option>
          <option value="endsWith">ends with</option>
          <option value="regex">matches regex</option>
          <option value="empty">is empty</option>
          <option value="notEmpty">is not empty</option>
        </select>
      </label>
      {needsValue && <input autoFocus value={value} onChange={(e) => setValue(e.target.value)} aria-label="Text value" placeholder={op === 'regex' ? 'regular expression' : 'text'} />}
      <div className="row-opts">
        <label>
          <input type="checkbox" checked={negate} onChange={(e) => setNegate(e.target.checked)} /> Not (exclude matches)
        </label>
        {needsValue && (
          <label>
            <input type="checkbox" checked={cs} onChange={(e) => setCs(e.target.checked)} /> Case-sensitive
          </label>
        )}
      </div>
      <div className="form-actions">
        <button type="submit" className="primary">
          Apply
        </button>
      </div>
    </form>
  );
}

function RangeFilter({ column, onDone }: { column: ColumnInfo; onDone: () => void }) {
  const [min, setMin] = useState('');
  const [max, setMax] = useState('');
  const [negate, setNegate] = useState(false);
  const num = (s: string) => (s.trim() === '' || Number.isNaN(Number(s)) ? undefined : Number(s));
  return (
    <form
      className="filter-form"
      onSubmit={(e) => {
        e.preventDefault();
        const lo = num(min);
        const hi = num(max);
        if (lo === undefined && hi === undefined) return;
        applyCondition({ kind: 'number', column: column.name, ...(lo !== undefined ? { min: lo } : {}), ...(hi !== undefined ? { max: hi } : {}), ...(negate ? { negate } : {}) });
        onDone();
      }}
    >
      <div className="pair">
        <label>
          Minimum
          <input autoFocus inputMode="decimal" value={min} onChange={(e) => setMin(e.target.value)} aria-label="Minimum" />
        </label>
        <label>
          Maximum
          <input inputMode="decimal" value={max} onChange={(e) => setMax(e.target.value)} aria-label="Maximum" />
        </label>
      </div>
      <label>
        <input type="checkbox" checked={negate} onChange={(e) => setNegate(e.target.checked)} /> Outside this range
      </label>
      <div className="form-actions">
        <button type="submit" className="primary">
          Apply
        </button>
      </div>
    </form>
  );
}

/** Rows within ± N minutes of a moment; the moment defaults to the selected row's time. */
export function aroundCondition(column: string, centerIso: string, minutes: number, zone: string): Condition {
  const c = Date.parse(centerIso);
  const from = new Date(c - minutes * 60000).toISOString();
  const to = new Date(c + minutes * 60000 + 1).toISOString();
  return { kind: 'time', column, from, to, label: `± ${minutes} min around ${utcIsoToZonedInput(centerIso, zone).replace('T', ' ')} (${zoneLabel(zone)})` };
}

function AroundFilter({ column, onDone, initial }: { column: ColumnInfo; onDone: () => void; initial: string | null }) {
  const zone = useAppState((s) => s.timeZone);
  const [center, setCenter] = useState(initial ? utcIsoToZonedInput(initial, zone).replace('T', ' ') : '');
  const [minutes, setMinutes] = useState('5');
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      className="filter-form"
      onSubmit={(e) => {
        e.preventDefault();
        const at = center.trim() ? parseZonedInput(center, zone, 'Moment') : null;
        const n = Number(minutes);
        if (!at) return setError(`Type a moment as ${TIME_INPUT_FORMAT} (or select a row first to use its time)`);
        if (!at.ok) return setError(at.error);
        const iso = at.iso;
        if (!Number.isFinite(n) || n <= 0) return setError('Minutes must be a positive number');
        applyCondition(aroundCondition(column.name, iso, n, zone));
        onDone();
      }}
    >
      <label>
        Moment ({zoneLabel(zone)})
        <input className="mono" value={center} onChange={(e) => setCenter(e.target.value)} placeholder="2026-10-01 14:30:00" spellCheck={false} aria-label="Moment" />
      </label>
      <label>
        ± minutes
        <input inputMode="numeric" value={minutes} onChange={(e) => setMinutes(e.target.value)} aria-label="Minutes either side" />
      </label>
      {error && <div className="error-line">{error}</div>}
      <div className="form-actions">
        <button type="submit" className="primary">
          Apply
        </button>
      </div>
    </form>
  );
}

interface ValueCount {
  value: string | null;
  count: number;
}

/** The filter without this column's own values list, so its counts show what ticking more would add. */
function filterWithoutColumnValues(filter: FilterState, column: string): FilterState {
  return { ...filter, conditions: filter.conditions.filter((c) => !(c.kind === 'values' && c.column === column)) };
}

function ValuesFilter({ column, onDone }: { column: ColumnInfo; onDone: () => void }) {
  const filter = useAppState((s) => s.filter);
  const existing = filter.conditions.find((c): c is Extract<Condition, { kind: 'values' }> => c.kind === 'values' && c.column === column.name);
  const [search, setSearch] = useState('');
  const [values, setValues] = useState<ValueCount[]>([]);
  const [distinct, setDistinct] = useState(0);
  const [picked, setPicked] = useState<Set<string | null>>(new Set(existing?.values ?? []));
  const [exclude, setExclude] = useState(existing?.exclude ?? false);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const base = useMemo(() => filterWithoutColumnValues(filter, column.name), [filter, column.name]);

  useEffect(() => {
    let live = true;
    setLoading(true);
    const t = setTimeout(() => {
      api
        .distinctValues({ column: column.name, filter: base, search: search || undefined, limit: 500 })
        .then((r) => {
          if (!live) return;
          setValues(r.values);
          setDistinct(r.distinct);
          setError(null);
        })
        .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)))
        .finally(() => live && setLoading(false));
      // A pause only between typed keys: the list asked on opening goes out at once.
    }, search ? 150 : 0);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [column.name, base, search]);

  const toggle = (v: string | null) =>
    setPicked((p) => {
      const n = new Set(p);
      if (n.has(v)) n.delete(v);
      else n.add(v);
      return n;
    });

  return (
    <div className="filter-form values-filter">
      <input autoFocus value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Search values" aria-label="Search values" />
      <div className="values-meta muted small">
        {loading ? 'Counting…' : `${distinct.toLocaleString('en-US')} distinct value${distinct === 1 ? '' : 's'}${distinct > values.length ? `, top ${values.length} shown` : ''}`}
        <span className="spacer" />
        <button className="link" onClick={() => setPicked(new Set([...picked, ...values.map((v) => v.value)]))}>
          Tick shown
        </button>
        <button className="link" onClick={() => setPicked(new Set())}>
          None
        </button>
        <button className="link" onClick={() => setPicked(new Set(values.map((v) => v.value).filter((v) => !picked.has(v))))}>
          Invert ticks
        </button>
      </div>
      {error && <div className="error-line">{error}</div>}
      <ul className="values-list" role="listbox" aria-label={`Values of ${column.label}`} aria-multiselectable="true">
        {values.map((v) => (
          <li key={v.value ?? '\u0000null'} role="option" aria-selected={picked.has(v.value)}>
            <label>
              <input type="checkbox" checked={picked.has(v.value)} onChange={() => toggle(v.value)} />
              <span className={v.value === null ? 'value muted' : 'value'}>{v.value === null ? '(empty)' : v.value === '' ? '(blank)' : v.value}</span>
              <span className="count">{v.count.toLocaleString('en-US')}</span>
            </label>
          </li>
        ))}
      </ul>
      <label>
        <input type="checkbox" checked={exclude} onChange={(e) => setExclude(e.target.checked)} /> Exclude the ticked values (invert)
      </label>
      <div className="form-actions">
        <span className="muted small">{picked.size} ticked</span>
        <button
          className="primary"
          disabled={picked.size === 0}
          onClick={() => {
            const conds = getState().filter.conditions.filter((c) => !(c.kind === 'values' && c.column === column.name));
            setState((s) => ({ filter: { ...s.filter, conditions: [...conds, { kind: 'values', column: column.name, values: [...picked], ...(exclude ? { exclude } : {}) }] } }));
            onDone();
          }}
        >
          Apply
        </button>
      </div>
    </div>
  );
}
