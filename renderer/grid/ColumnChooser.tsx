import { useState } from 'react';
import type { ColumnLayout } from '../../electron/api/methods/annotations';
import { PRESETS, presetLayout, type ColumnInfo } from './columnSets';
import { Popover } from './Popover';

/** Show, hide, reorder and pin columns; presets replace the whole layout. */
export function ColumnChooser({
  anchor,
  all,
  layout,
  onChange,
  onClose,
}: {
  anchor: DOMRect;
  all: ColumnInfo[];
  layout: ColumnLayout;
  onChange: (l: ColumnLayout) => void;
  onClose: () => void;
}) {
  const [search, setSearch] = useState('');
  const info = (name: string) => all.find((c) => c.name === name);
  const q = search.trim().toLowerCase();
  const set = (i: number, patch: Partial<ColumnLayout['columns'][number]>) =>
    onChange({ ...layout, preset: undefined, columns: layout.columns.map((c, j) => (j === i ? { ...c, ...patch } : c)) });
  const move = (i: number, d: number) => {
    const j = i + d;
    if (j < 0 || j >= layout.columns.length) return;
    const cols = [...layout.columns];
    [cols[i], cols[j]] = [cols[j]!, cols[i]!];
    onChange({ ...layout, preset: undefined, columns: cols });
  };
  return (
    <Popover anchor={anchor} onClose={onClose} label="Columns" className="chooser">
      <div className="chooser-top">
        <label>
          Column set
          <select
            aria-label="Column set"
            value={layout.preset ?? ''}
            onChange={(e) => e.target.value && onChange({ ...presetLayout(e.target.value, all), autoHideEmpty: layout.autoHideEmpty })}
          >
            <option value="">Custom</option>
            {PRESETS.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
          </select>
        </label>
        <label className="inline">
          <input type="checkbox" checked={layout.autoHideEmpty !== false} onChange={(e) => onChange({ ...layout, autoHideEmpty: e.target.checked })} /> Hide columns
          with no values
        </label>
        <input value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Find a column" aria-label="Find a column" autoFocus />
      </div>
      <ul className="chooser-list" aria-label="Columns">
        {layout.columns.map((c, i) => {
          const meta = info(c.name);
          if (!meta) return null;
          if (q && !meta.label.toLowerCase().includes(q) && !c.name.includes(q)) return null;
          const emptyHidden = meta.empty && layout.autoHideEmpty !== false;
          return (
            <li key={c.name} className={emptyHidden ? 'dim' : ''}>
              <label title={meta.description}>
                <input type="checkbox" checked={!c.hidden} onChange={(e) => set(i, { hidden: !e.target.checked })} aria-label={`Show ${meta.label}`} />
                <span>{meta.label}</span>
                {meta.empty && <span className="muted small"> (no values)</span>}
              </label>
              <span className="chooser-actions">
                <select value={c.pinned ?? ''} onChange={(e) => set(i, { pinned: (e.target.value || null) as 'left' | 'right' | null })} aria-label={`Pin ${meta.label}`}>
                  <option value="">·</option>
                  <option value="left">Pin left</option>
                  <option value="right">Pin right</option>
                </select>
                <button className="plain" onClick={() => move(i, -1)} aria-label={`Move ${meta.label} up`} disabled={i === 0}>
                  ↑
                </button>
                <button className="plain" onClick={() => move(i, 1)} aria-label={`Move ${meta.label} down`} disabled={i === layout.columns.length - 1}>
                  ↓
                </button>
              </span>
            </li>
          );
        })}
      </ul>
    </Popover>
  );
}
