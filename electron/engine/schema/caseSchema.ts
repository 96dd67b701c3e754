import type { Database } from '../db/database';
import { createSigninsTableSql, RETYPED_COLUMNS, SIGNINS_TABLE, upgradeSigninsTableSql } from './canonical';
import { IMPORT_TABLES } from '../import/schema';
import { ANNOTATION_TABLES } from '../annotations/schema';
import { FINDING_TABLES } from '../findings/schema';
import { SQL_TABLES } from '../sql/schema';
import { CUSTODY_TABLES } from '../custody/schema';

/**
 * Every table a case holds. Each capability contributes its own idempotent DDL, so that
 * opening an older case upgrades it in place.
 */
const CASE_TABLES: string[] = [createSigninsTableSql(), ...upgradeSigninsTableSql(), ...IMPORT_TABLES, ...ANNOTATION_TABLES, ...FINDING_TABLES, ...SQL_TABLES, ...CUSTODY_TABLES];

export async function ensureCaseSchema(db: Database): Promise<void> {
  for (const ddl of CASE_TABLES) await db.run(ddl);
  for (const col of RETYPED_COLUMNS) {
    const was = await db.scalar(`SELECT data_type FROM information_schema.columns WHERE table_name = '${SIGNINS_TABLE}' AND column_name = '${col.name}'`);
    if (was === col.was) await db.run(`ALTER TABLE ${SIGNINS_TABLE} ALTER COLUMN "${col.name}" SET DATA TYPE ${col.type} USING ${col.using}`);
  }
}
