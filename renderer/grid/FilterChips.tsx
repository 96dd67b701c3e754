import type { Condition } from '../../electron/api/schemas/filter';
import { clearFilter, removeCondition, setSearch, useAppState } from '../state/store';
import type { ColumnInfo } from './columnSets';
import type { TagInfo } from './gridTypes';

const OPS: Record<string, string> = {
  contains: 'contains',
  equals: '=',
  startsWith: 'starts with',
  endsWith: 'ends with',
  regex: '~',
  empty: 'is empty',
  notEmpty: 'is not empty',
};

export function conditionText(c: Condition, label: (col: string) => string, tags: Map<number, TagInfo>): string {
  const q = (v: string | null | undefined) => (v === null || v === undefined ? '(empty)' : `“${v}”`);
  switch (c.kind) {
    case 'text':
      return `${label(c.column)} ${c.negate ? 'not ' : ''}${OPS[c.op]}${c.op === 'empty' || c.op === 'notEmpty' ? '' : ` ${q(c.value)}`}`;
    case 'number':
      return `${label(c.column)} ${c.negate ? 'outside ' : ''}${c.min ?? '−∞'} … ${c.max ?? '∞'}`;
    case 'time':
      return `${label(c.column)} ${c.label ?? `${c.from ?? '…'} → ${c.to ?? '…'}`}`;
    case 'values': {
      const shown = c.values.slice(0, 3).map(q).join(', ');
      const more = c.values.length > 3 ? ` +${c.values.length - 3}` : '';
      return `${label(c.column)} ${c.exclude ? '∉' : '∈'} ${shown}${more}`;
    }
    case 'tag':
      return `${c.exclude ? 'Not tagged' : 'Tagged'} ${c.tagIds.map((id) => tags.get(id)?.name ?? `#${id}`).join(' or ')}`;
    case 'finding':
      return `Finding: ${c.label ?? c.findingId}`;
    case 'rows':
      return c.label ?? `${c.rowIds.length} picked rows`;
    case 'sweep':
      return c.label ?? (c.line === undefined ? 'IOC sweep: all hits' : `IOC sweep: line ${c.line}`);
  }
}

/** Active filters as removable chips; one button clears everything. */
export function FilterChips({ columns, tags }: { columns: ColumnInfo[]; tags: Map<number, TagInfo> }) {
  const filter = useAppState((s) => s.filter);
  const label = (col: string) => columns.find((c) => c.name === col)?.label ?? col;
  if (!filter.conditions.length && !filter.search) return null;
  return (
    <div className="chips" role="list" aria-label="Active filters">
      {filter.search && (
        <span className="chip search" role="listitem">
          <span className="chip-text">Search “{filter.search}”</span>
          <button className="plain" aria-label="Remove search" onClick={() => setSearch('')}>
            ×
          </button>
        </span>
      )}
      {filter.conditions.map((c, i) => {
        const text = conditionText(c, label, tags);
        return (
          <span key={i} className={`chip ${c.kind}`} role="listitem" title={text}>
            <span className="chip-text">{text}</span>
            <button className="plain" aria-label={`Remove filter ${text}`} onClick={() => removeCondition(i)}>
              ×
            </button>
          </span>
        );
      })}
      <button className="link clear-all" onClick={clearFilter}>
        Clear all
      </button>
    </div>
  );
}
