import type { Database } from '../db/database';
import { createSigninsTableSql, upgradeSigninsTableSql } from './canonical';
import { IMPORT_TABLES } from '../import/schema';
import { ANNOTATION_TABLES } from '../annotations/schema';
import { FINDING_TABLES } from '../findings/schema';
import { SWEEP_TABLES } from '../sweep/sweep';
import { SQL_TABLES } from '../sql/schema';
import { CUSTODY_TABLES } from '../custody/schema';

/**
 * Every table a case holds. Each capability contributes its own idempotent DDL, so that
 * opening an older case upgrades it in place.
 */
const CASE_TABLES: string[] = [createSigninsTableSql(), ...upgradeSigninsTableSql(), ...IMPORT_TABLES, ...ANNOTATION_TABLES, ...FINDING_TABLES, ...SQL_TABLES, ...CUSTODY_TABLES, ...SWEEP_TABLES];

export async function ensureCaseSchema(db: Database): Promise<void> {
  for (const ddl of CASE_TABLES) await db.run(ddl);
}
