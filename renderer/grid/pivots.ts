import type { Condition } from '../../electron/api/schemas/filter';
import { addCondition, setState } from '../state/store';

type Row = Record<string, unknown>;

/** Filter to (or exclude) exactly this cell's value, replacing any values list on the column. */
export function pivotValue(column: string, value: unknown, exclude: boolean): void {
  const v = value === null || value === undefined ? null : typeof value === 'object' ? JSON.stringify(value) : String(value);
  const c: Condition = { kind: 'values', column, values: [v], ...(exclude ? { exclude } : {}) };
  addCondition(c, !exclude);
}

export const ENTITY_PIVOTS = [
  { column: 'ip_address', label: 'this IP address' },
  { column: 'user_principal_name', label: 'this user' },
  { column: 'session_id', label: 'this session' },
  { column: 'correlation_id', label: 'this correlation ID' },
] as const;

/** "Show everything from this IP / user / session": one condition, replacing the filter. */
export function pivotEntity(column: string, row: Row): void {
  const v = row[column];
  if (v === null || v === undefined || v === '') return;
  setState({ filter: { conditions: [{ kind: 'values', column, values: [String(v)] }] } });
}
