import { CANONICAL_COLUMNS } from '../schema/canonical';
import { withVocabulary } from './vocabulary';

/** Canonical column name → SQL expression over one source record. Missing columns are NULL. */
export type SigninMapping = Partial<Record<string, string>>;

/** Columns the importer fills itself rather than from a shape's mapping. */
const PROVENANCE = new Set(['row_id', 'source_id', 'source_file', 'source_record', 'source_shape', 'raw', 'request_conflict', 'copy_conflict', 'graph_calls']);

export const MAPPED_COLUMNS: string[] = CANONICAL_COLUMNS.map((c) => c.name).filter((n) => !PROVENANCE.has(n));

/**
 * The select list for the mapped canonical columns, in MAPPED_COLUMNS order. Enumerated
 * columns go through their vocabulary (vocabulary.ts) here, so every shape's spellings end
 * as the same canonical values.
 */
/** What a column holds when a shape has no source for it. */
const DEFAULTS: SigninMapping = { sign_in_count: '1' };

export function mappedSelect(m: SigninMapping): string {
  for (const k of Object.keys(m)) {
    if (!MAPPED_COLUMNS.includes(k)) throw new Error(`mapping names unknown canonical column ${k}`);
  }
  return MAPPED_COLUMNS.map((name) => `${m[name] ? withVocabulary(name, m[name]!) : (DEFAULTS[name] ?? 'NULL')} AS "${name}"`).join(',\n  ');
}

export const INSERT_COLUMNS = ['row_id', ...MAPPED_COLUMNS, 'source_id', 'source_file', 'source_record', 'source_shape', 'raw', 'record_hash'];

/** Maps a (SigninLogs-style) category or table name to a canonical log type. */
export function logTypeCase(expr: string): string {
  return `CASE lower(${expr})
    WHEN 'signinlogs' THEN 'interactive'
    WHEN 'noninteractiveusersigninlogs' THEN 'noninteractive'
    WHEN 'aadnoninteractiveusersigninlogs' THEN 'noninteractive'
    WHEN 'serviceprincipalsigninlogs' THEN 'serviceprincipal'
    WHEN 'microsoftserviceprincipalsigninlogs' THEN 'serviceprincipal'
    WHEN 'aadserviceprincipalsigninlogs' THEN 'serviceprincipal'
    WHEN 'managedidentitysigninlogs' THEN 'managedidentity'
    WHEN 'aadmanagedidentitysigninlogs' THEN 'managedidentity'
    WHEN 'adfssigninlogs' THEN 'adfs'
  END`;
}
