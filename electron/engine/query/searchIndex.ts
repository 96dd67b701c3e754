import type { Database } from '../db/database';
import { SIGNINS_TABLE } from '../schema/canonical';
import { SEARCH_TABLE, searchTextExpr } from './filterSql';

const building = new WeakMap<Database, Promise<void>>();

async function refresh(db: Database): Promise<void> {
  await db.run(`CREATE TABLE IF NOT EXISTS ${SEARCH_TABLE} (row_id BIGINT, t VARCHAR)`);
  const s = await db.one<{ n: string; m: string | null }>(`SELECT count(*) AS n, max(row_id) AS m FROM ${SIGNINS_TABLE}`);
  const x = await db.one<{ n: string; m: string | null }>(`SELECT count(*) AS n, max(row_id) AS m FROM ${SEARCH_TABLE}`);
  if (s?.n === x?.n && s?.m === x?.m) return;
  // Imports only append rows with higher row ids, so catch up by appending; anything
  // else (rows removed, ids reused) rebuilds the whole table.
  const indexed = Number(x?.n ?? 0);
  const below = indexed ? Number(await db.scalar(`SELECT count(*) FROM ${SIGNINS_TABLE} WHERE row_id <= ?`, [x?.m ?? 0])) : 0;
  if (indexed && below === indexed) {
    await db.run(`INSERT INTO ${SEARCH_TABLE} SELECT row_id, ${searchTextExpr()} FROM ${SIGNINS_TABLE} WHERE row_id > ?`, [x?.m ?? 0]);
  } else {
    await db.run(`CREATE OR REPLACE TABLE ${SEARCH_TABLE} AS SELECT row_id, ${searchTextExpr()} AS t FROM ${SIGNINS_TABLE}`);
  }
}

/**
 * Global search reads one lower-cased text per row instead of ILIKE over every text
 * column. The table lives in the case database (never the evidence), is built on first
 * use and caught up after imports; the check is two cheap counts.
 */
export function ensureSearchIndex(db: Database): Promise<void> {
  const running = building.get(db);
  if (running) return running;
  const p = refresh(db).finally(() => building.delete(db));
  building.set(db, p);
  return p;
}
