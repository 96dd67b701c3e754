import type { Database } from '../db/database';
import { createSigninsTableSql, RETYPED_COLUMNS, SIGNINS_TABLE, upgradeSigninsTableSql, WIDENED_SIGNIN_COLUMNS } from './canonical';
import { IMPORT_TABLES } from '../import/schema';
import { ANNOTATION_TABLES } from '../annotations/schema';
import { FINDING_TABLES } from '../findings/schema';
import { SWEEP_TABLES } from '../sweep/sweep';
import { SAVED_VIEW_TABLES } from '../savedViews/savedViews';
import { COLOUR_RULE_TABLES } from '../colourRules/colourRules';
import { SQL_TABLES } from '../sql/schema';
import { CUSTODY_TABLES } from '../custody/schema';

/**
 * Every table a case holds. Each capability contributes its own idempotent DDL, so that
 * opening an older case upgrades it in place.
 */
const CASE_TABLES: string[] = [createSigninsTableSql(), ...upgradeSigninsTableSql(), ...IMPORT_TABLES, ...ANNOTATION_TABLES, ...FINDING_TABLES, ...SQL_TABLES, ...CUSTODY_TABLES, ...SWEEP_TABLES, ...SAVED_VIEW_TABLES, ...COLOUR_RULE_TABLES];

export async function ensureCaseSchema(db: Database): Promise<void> {
  for (const ddl of CASE_TABLES) await db.run(ddl);
  await widenColumns(db);
}

/** Widen only the columns a case still has at their old type: altering rewrites the column. */
async function widenColumns(db: Database): Promise<void> {
  const narrow = await db.all<{ column_name: string; data_type: string }>(
    `SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ? AND schema_name = 'main' AND database_name = current_database()`,
    [SIGNINS_TABLE],
  );
  for (const w of WIDENED_SIGNIN_COLUMNS) {
    if (narrow.some((c) => c.column_name === w.name && c.data_type === w.from)) {
      await db.run(`ALTER TABLE ${SIGNINS_TABLE} ALTER COLUMN "${w.name}" SET DATA TYPE ${w.to}`);
    }
  }
  // Columns whose values changed kind (text to a flag) convert their old values.
  for (const col of RETYPED_COLUMNS) {
    if (narrow.some((c) => c.column_name === col.name && c.data_type === col.was)) {
      await db.run(`ALTER TABLE ${SIGNINS_TABLE} ALTER COLUMN "${col.name}" SET DATA TYPE ${col.type} USING ${col.using}`);
    }
  }
}
