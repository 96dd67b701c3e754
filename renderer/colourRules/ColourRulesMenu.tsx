import { useState } from 'react';
import { api } from '../api/client';
import { RULE_COLOURS, RULE_PALETTE, type ColourRuleInfo, type RuleColour } from '../../electron/api/methods/views';
import type { FilterState } from '../../electron/api/schemas/filter';
import { getState } from '../state/store';
import { Popover } from '../grid/Popover';
import type { TagInfo } from '../grid/gridTypes';
import { conditionFromText } from './ruleText';
import './colourRules.css';

type Source = 'text' | 'filter' | 'tag' | 'finding';

function ColourPick({ value, onChange, label }: { value: RuleColour; onChange: (c: RuleColour) => void; label: string }) {
  return (
    <span className="swatches" role="radiogroup" aria-label={label}>
      {RULE_COLOURS.map((c) => (
        <button
          type="button"
          key={c}
          role="radio"
          aria-checked={c === value}
          aria-label={RULE_PALETTE[c].label}
          title={RULE_PALETTE[c].label}
          className={`swatch rule-${c}${c === value ? ' on' : ''}`}
          style={{ background: RULE_PALETTE[c].swatch }}
          onClick={() => onChange(c)}
        />
      ))}
    </span>
  );
}

/** Colour rules in priority order: add one, turn one on or off, recolour, reorder, delete. */
export function ColourRulesMenu({
  anchor,
  rules,
  tags,
  columns,
  onChange,
  onClose,
}: {
  anchor: DOMRect;
  rules: ColourRuleInfo[];
  tags: TagInfo[];
  columns: ReadonlySet<string>;
  onChange: (rules: ColourRuleInfo[]) => void;
  onClose: () => void;
}) {
  const [source, setSource] = useState<Source>('text');
  const [text, setText] = useState('');
  const [tagId, setTagId] = useState<number | null>(tags[0]?.tagId ?? null);
  const [name, setName] = useState('');
  const [colour, setColour] = useState<RuleColour>('orange');
  const [error, setError] = useState<string | null>(null);

  const run = async (fn: () => Promise<ColourRuleInfo[]>) => {
    try {
      setError(null);
      onChange(await fn());
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  const condition = (): FilterState | null => {
    if (source === 'text') return text.trim() ? conditionFromText(text, columns) : null;
    if (source === 'filter') {
      const f = getState().filter;
      return f.conditions.length || f.search?.trim() ? structuredClone(f) : null;
    }
    if (source === 'tag') return tagId === null ? null : { conditions: [{ kind: 'tag', tagIds: [tagId] }] };
    return { conditions: [{ kind: 'finding', label: 'any finding' }] };
  };
  const ready = condition() !== null;

  return (
    <Popover anchor={anchor} onClose={onClose} label="Colour rules" className="rules-pop">
      <p className="muted small">A row takes the colour of the first rule it meets, top to bottom.</p>
      <ol className="rules-list" aria-label="Colour rules">
        {rules.map((r, i) => (
          <li key={r.id} className={r.enabled ? '' : 'off'} data-rule={r.name}>
            <label className="inline" title={r.enabled ? 'Turn this rule off' : 'Turn this rule on'}>
              <input type="checkbox" checked={r.enabled} aria-label={`Rule ${r.name} on`} onChange={(e) => void run(() => api.updateColourRule({ id: r.id, enabled: e.target.checked }))} />
            </label>
            <span className="rule-swatch" style={{ background: RULE_PALETTE[r.colour].swatch }} aria-hidden="true" />
            <span className="rule-text">
              <span className="rule-name">{r.name}</span>
              <span className="muted">
                {r.conditionText} · {r.enabled ? `${r.rows.toLocaleString('en-US')} rows` : 'off'}
              </span>
            </span>
            <select value={r.colour} aria-label={`Colour of ${r.name}`} onChange={(e) => void run(() => api.updateColourRule({ id: r.id, colour: e.target.value as RuleColour }))}>
              {RULE_COLOURS.map((c) => (
                <option key={c} value={c}>
                  {RULE_PALETTE[c].label}
                </option>
              ))}
            </select>
            <button className="plain" aria-label={`Move ${r.name} up`} disabled={i === 0} onClick={() => void run(() => api.moveColourRule({ id: r.id, to: i - 1 }))}>
              ↑
            </button>
            <button className="plain" aria-label={`Move ${r.name} down`} disabled={i === rules.length - 1} onClick={() => void run(() => api.moveColourRule({ id: r.id, to: i + 1 }))}>
              ↓
            </button>
            <button className="plain" aria-label={`Delete ${r.name}`} disabled={r.builtin !== null} title={r.builtin ? 'A default rule: turn it off instead' : 'Delete'} onClick={() => void run(() => api.deleteColourRule({ id: r.id }))}>
              ×
            </button>
          </li>
        ))}
      </ol>
      <form
        className="rules-add"
        onSubmit={(e) => {
          e.preventDefault();
          const c = condition();
          if (!c) return;
          void run(async () => {
            const out = await api.addColourRule({ name: name.trim(), condition: c, colour });
            setName('');
            setText('');
            return out;
          });
        }}
      >
        <h3>Add a rule</h3>
        <label className="inline">
          When
          <select value={source} onChange={(e) => setSource(e.target.value as Source)} aria-label="Rule condition kind">
            <option value="text">the row matches…</option>
            <option value="filter">the row matches the current filter</option>
            <option value="tag">the row has the tag…</option>
            <option value="finding">the row is in any finding</option>
          </select>
        </label>
        {source === 'text' && (
          <input
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="status = failure   or   ip:185.220.101.0/24   or   words"
            aria-label="Rule condition"
            spellCheck={false}
            autoFocus
          />
        )}
        {source === 'tag' &&
          (tags.length ? (
            <select value={tagId ?? ''} onChange={(e) => setTagId(Number(e.target.value))} aria-label="Rule tag">
              {tags.map((t) => (
                <option key={t.tagId} value={t.tagId}>
                  {t.name}
                </option>
              ))}
            </select>
          ) : (
            <p className="muted small">The case has no tags yet.</p>
          ))}
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder="Name (optional)" aria-label="Rule name" maxLength={120} />
        <ColourPick value={colour} onChange={setColour} label="Rule colour" />
        <button type="submit" className="primary" disabled={!ready}>
          Add rule
        </button>
        {error && (
          <p className="rules-error" role="alert">
            {error}
          </p>
        )}
      </form>
    </Popover>
  );
}

/** The enabled rules as a strip of swatches above the grid. */
export function ColourLegend({ rules, onOpen }: { rules: ColourRuleInfo[]; onOpen: (rect: DOMRect) => void }) {
  const on = rules.filter((r) => r.enabled);
  if (!on.length) return null;
  return (
    <div className="rules-legend" aria-label="Colour legend">
      {on.map((r) => (
        <button key={r.id} className="legend-item" title={`${r.conditionText} — ${r.rows.toLocaleString('en-US')} rows`} onClick={(e) => onOpen(e.currentTarget.getBoundingClientRect())}>
          <span className="rule-swatch" style={{ background: RULE_PALETTE[r.colour].swatch }} aria-hidden="true" />
          {r.name}
        </button>
      ))}
    </div>
  );
}
