import type { CaseSession } from '../case/caseSession';
import { quoteIdent } from '../db/database';
import { CANONICAL_COLUMNS, SIGNINS_TABLE } from '../schema/canonical';

const remembered = new WeakMap<CaseSession, { version: number; filled: ReadonlySet<string> }>();

/**
 * Columns holding at least one value, remembered until the case's data changes. One EXISTS
 * per column stops at its first value, so a filled column costs a row group and only the
 * truly empty ones are read to the end; counting every column read all of them (3.7 s
 * against 0.4 s at 1M rows).
 */
export async function filledColumns(session: CaseSession): Promise<ReadonlySet<string>> {
  const hit = remembered.get(session);
  if (hit && hit.version === session.dataVersion) return hit.filled;
  const version = session.dataVersion;
  const probes = CANONICAL_COLUMNS.map((c) => `EXISTS (SELECT 1 FROM ${SIGNINS_TABLE} WHERE ${quoteIdent(c.name)} IS NOT NULL) AS ${quoteIdent(c.name)}`);
  const row = await session.db.one(`SELECT ${probes.join(', ')}`);
  const filled = new Set(CANONICAL_COLUMNS.filter((c) => row?.[c.name] === true).map((c) => c.name));
  remembered.set(session, { version, filled });
  return filled;
}
