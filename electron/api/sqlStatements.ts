// Statement splitting lives with the SQL console's guard in the engine; the renderer's editor uses it too.
export * from '../engine/sql/sqlStatements';
