// The one module that loads DuckDB (other modules import only its types from the package):
// the allocator's configuration has to be in place before the library loads.
import './allocatorConfig';
import type * as DuckDB from '@duckdb/node-api';

// A require call, not an import: a bundler puts the imports of external packages above all
// bundled code, which would load the library before ./allocatorConfig has run.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const api = require('@duckdb/node-api') as typeof DuckDB;

export const { DuckDBInstance, StatementType, version } = api;
export type DuckDBInstance = DuckDB.DuckDBInstance;
export type StatementType = DuckDB.StatementType;
export type { DuckDBConnection, DuckDBPreparedStatement, DuckDBResultReader, DuckDBValue, Json } from '@duckdb/node-api';
