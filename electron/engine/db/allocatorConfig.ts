/**
 * DuckDB's bundled jemalloc hands freed pages back to the system after one second
 * (dirty_decay_ms:1000). A long import frees and allocates tens of megabytes per chunk of
 * rows, so pages went back and were faulted in again all the time: on a 1,000,000-record
 * Graph JSON import, 15-21 of about 65 CPU seconds were kernel time in page faults. Keeping
 * freed pages for ten seconds lets the next chunks reuse them; they still go back to the
 * system, ten seconds after they were freed instead of one. Peak memory of 1M-row imports
 * stayed within 1.3x of DuckDB's own raw read. jemalloc reads this variable once, when the
 * library loads, so this module must run before '@duckdb/node-api' is first imported (see
 * ./duckdb.ts). A value the user set is left alone.
 */
const VARIABLE = 'DUCKDB_JE_MALLOC_CONF';
export const ALLOCATOR_CONF = 'dirty_decay_ms:10000,muzzy_decay_ms:0';

if (process.env[VARIABLE] === undefined) process.env[VARIABLE] = ALLOCATOR_CONF;
