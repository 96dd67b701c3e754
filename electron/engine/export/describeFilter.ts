import type { Condition, FilterState, SortSpec } from '../query/filterModel';
import { canonicalColumn } from '../schema/canonical';

const label = (column: string): string => canonicalColumn(column)?.label ?? column;
const q = (v: string | null): string => (v === null ? '(empty)' : JSON.stringify(v));

/** One condition in words, as a manifest or report shows it. */
export function describeCondition(c: Condition): string {
  switch (c.kind) {
    case 'text': {
      const ops: Record<typeof c.op, string> = {
        contains: 'contains',
        equals: 'equals',
        startsWith: 'starts with',
        endsWith: 'ends with',
        regex: 'matches regex',
        empty: 'is empty',
        notEmpty: 'is not empty',
      };
      const value = c.op === 'empty' || c.op === 'notEmpty' ? '' : ` ${q(c.value ?? '')}`;
      return `${label(c.column)} ${c.negate ? 'NOT ' : ''}${ops[c.op]}${value}${c.caseSensitive ? ' (case-sensitive)' : ''}`;
    }
    case 'number': {
      const range = c.min !== undefined && c.max !== undefined ? `between ${c.min} and ${c.max}` : c.min !== undefined ? `≥ ${c.min}` : c.max !== undefined ? `≤ ${c.max}` : 'any';
      return `${label(c.column)} ${c.negate ? 'NOT ' : ''}${range}`;
    }
    case 'time':
      return `${label(c.column)} ${c.label ?? `from ${c.from ?? '…'} to ${c.to ?? '…'} (UTC instants)`}`;
    case 'values':
      return `${label(c.column)} ${c.exclude ? 'is not' : 'is'} one of ${c.values.slice(0, 20).map(q).join(', ')}${c.values.length > 20 ? ` and ${c.values.length - 20} more` : ''}`;
    case 'tag':
      return `${c.exclude ? 'not tagged' : 'tagged'} with tag id ${c.tagIds.join(', ')}`;
    case 'finding':
      return c.findingId === undefined ? 'rows in any finding' : `rows of finding ${c.label ?? c.findingId}`;
    case 'rows':
      return c.label ?? `${c.rowIds.length} picked rows`;
    case 'sweep':
      return c.label ?? `hits of IOC sweep ${c.sweepId}${c.line === undefined ? '' : `, indicator on line ${c.line}`}`;
  }
}

export function describeFilter(filter: FilterState): string {
  const parts = filter.conditions.map(describeCondition);
  if (filter.search?.trim()) parts.push(`search ${JSON.stringify(filter.search.trim())}`);
  return parts.length ? parts.join(' AND ') : 'all rows';
}

export function describeSort(sort: SortSpec): string {
  return sort.length ? sort.map((s) => `${label(s.column)} ${s.dir}`).join(', ') : 'row order';
}
