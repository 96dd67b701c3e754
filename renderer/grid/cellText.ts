import { formatInstant } from '../state/timeZone';

/** What a cell shows, as plain text (also what copy puts on the clipboard). */
export function cellText(value: unknown, type: string, zone: string): string {
  if (value === null || value === undefined) return '';
  if (type === 'TIMESTAMP') return formatInstant(String(value), zone);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
