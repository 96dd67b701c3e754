import { useEffect, useState } from 'react';
import { api } from '../api/client';
import type { Condition } from '../../electron/api/schemas/filter';
import { addCondition, useAppState } from '../state/store';
import { formatInstant, zoneLabel } from '../state/timeZone';
import { formatZonedInput, parseZonedInput, presetRange, PRESETS, TIME_INPUT_FORMAT, type PresetId } from '../state/timeInput';
import { FilterForm } from './FilterForm';
import './timeRange.css';

type TimeCondition = Extract<Condition, { kind: 'time' }>;

/**
 * The time range filter as responders type it: ISO order, 24-hour, in the display zone
 * (never the browser's US-format picker), checked as they type, with presets relative to
 * the case's own data.
 */
export function TimeRangeFilter({ column, onDone, selectedTime }: { column: string; onDone: () => void; selectedTime: string | null }) {
  const zone = useAppState((s) => s.timeZone);
  const existing = useAppState((s) => s.filter.conditions.find((c): c is TimeCondition => c.kind === 'time' && c.column === column));
  const [from, setFrom] = useState(() => (existing?.from ? formatZonedInput(Date.parse(existing.from), zone) : ''));
  const [to, setTo] = useState(() => (existing?.to ? formatZonedInput(Date.parse(existing.to), zone) : ''));
  const [error, setError] = useState<string | null>(null);
  const [latest, setLatest] = useState<string | null>(null);
  // The selected row may be outside the grid's loaded pages: then its time is asked for.
  const selectedRowId = useAppState((s) => s.selectedRowId);
  const [anchor, setAnchor] = useState<string | null>(selectedTime);
  // Until that answer is in, "This day" would silently fall back to the latest sign-in's day.
  const [anchorPending, setAnchorPending] = useState(!selectedTime && selectedRowId !== null);
  const zl = zoneLabel(zone);

  useEffect(() => {
    let live = true;
    void api
      .caseInfo({})
      .then((i) => live && setLatest(i?.lastUtc ?? null))
      .catch(() => undefined);
    if (!selectedTime && selectedRowId !== null) {
      void api
        .getRows({ filter: { conditions: [{ kind: 'rows', rowIds: [selectedRowId] }] }, sort: [], start: 0, end: 1, columns: ['row_id', column] })
        .then((r) => {
          const t = r.rows[0]?.[column];
          if (live && typeof t === 'string') setAnchor(t);
        })
        .catch(() => undefined)
        .finally(() => live && setAnchorPending(false));
    }
    return () => {
      live = false;
    };
  }, [selectedTime, selectedRowId, column]);

  const fromP = from.trim() ? parseZonedInput(from, zone, 'From') : null;
  const toP = to.trim() ? parseZonedInput(to, zone, 'To') : null;

  const apply = () => {
    if (fromP && !fromP.ok) return setError(fromP.error);
    if (toP && !toP.ok) return setError(toP.error);
    if (!fromP && !toP) return setError(`Give a start, an end, or both (${TIME_INPUT_FORMAT}, in ${zl})`);
    if (fromP?.ok && toP?.ok && toP.ms <= fromP.ms) return setError('To must be after From (the end is exclusive)');
    const f = fromP?.ok ? fromP : undefined;
    const t = toP?.ok ? toP : undefined;
    const label = `${f ? formatZonedInput(f.ms, zone) : '…'} → ${t ? formatZonedInput(t.ms, zone) : '…'} (${zl})`;
    addCondition({ kind: 'time', column, ...(f ? { from: f.iso } : {}), ...(t ? { to: t.iso } : {}), label }, true);
    onDone();
  };

  const preset = (id: PresetId) => {
    if (!latest) return;
    const r = presetRange(id, latest, zone, id === 'day' ? anchor : null);
    const name = PRESETS.find((p) => p.id === id)!.label;
    const what = id === 'day' ? `${name} (${anchor ? 'selected row' : 'latest sign-in'})` : `${name} of the case`;
    addCondition({ kind: 'time', column, from: new Date(r.fromMs).toISOString(), to: new Date(r.toMs).toISOString(), label: `${what}: ${r.from} → ${r.to} (${zl})` }, true);
    onDone();
  };

  const hint = (p: ReturnType<typeof parseZonedInput> | null) =>
    p === null ? null : p.ok ? (zone === 'UTC' ? null : <span className="muted">= {formatInstant(p.iso, 'UTC', false)} UTC</span>) : <span className="error-line">{p.error}</span>;

  return (
    <FilterForm className="time-range" onApply={apply}>
      <div className="time-presets" role="group" aria-label="Time presets">
        {PRESETS.map((p) => (
          <button type="button" key={p.id} title={p.title} disabled={!latest || (p.id === 'day' && anchorPending)} onClick={() => preset(p.id)}>
            {p.label}
          </button>
        ))}
      </div>
      <p className="muted small">
        {latest ? (
          <>
            Latest sign-in {formatInstant(latest, zone, false)} ({zl}). Presets end there, not now.
          </>
        ) : (
          'Presets are relative to the latest sign-in of the case.'
        )}
      </p>
      <label>
        From
        <input
          autoFocus
          className="mono"
          value={from}
          onChange={(e) => {
            setFrom(e.target.value);
            setError(null);
          }}
          placeholder="2026-10-01 14:30"
          spellCheck={false}
          aria-label={`From (${zl})`}
          aria-invalid={fromP?.ok === false}
        />
        {hint(fromP)}
      </label>
      <label>
        To (exclusive)
        <input
          className="mono"
          value={to}
          onChange={(e) => {
            setTo(e.target.value);
            setError(null);
          }}
          placeholder="2026-10-01 18:00"
          spellCheck={false}
          aria-label={`To (${zl})`}
          aria-invalid={toP?.ok === false}
        />
        {hint(toP)}
      </label>
      <p className="muted small">
        {TIME_INPUT_FORMAT}, 24-hour, in {zl}.
      </p>
      {error && (
        <div className="error-line" role="alert">
          {error}
        </div>
      )}
    </FilterForm>
  );
}
