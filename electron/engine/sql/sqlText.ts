/**
 * A small SQL lexer for the two things the console needs from text: how many top-level
 * statements a text holds, and the statement an EXPLAIN wraps. It is never the guard on
 * its own: whatever it finds is handed back to DuckDB, which parses and types it.
 */

export { statementAt, statementRanges } from './sqlStatements';

/** Skip whitespace and comments from `i`. */
function skipTrivia(sql: string, i: number): number {
  for (;;) {
    while (i < sql.length && /\s/.test(sql[i]!)) i++;
    if (sql.startsWith('--', i)) {
      while (i < sql.length && sql[i] !== '\n' && sql[i] !== '\r') i++;
    } else if (sql.startsWith('/*', i)) {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 2;
    } else return i;
  }
}

function wordAt(sql: string, i: number): string {
  return /^[A-Za-z_]+/.exec(sql.slice(i))?.[0] ?? '';
}

/**
 * The statement an EXPLAIN [ANALYZE] [(options)] wraps, or null when the text does not
 * start that way. EXPLAIN ANALYZE executes its statement, so the console re-checks it.
 */
export function explainedStatement(sql: string): string | null {
  let i = skipTrivia(sql, 0);
  if (wordAt(sql, i).toUpperCase() !== 'EXPLAIN') return null;
  i = skipTrivia(sql, i + 'EXPLAIN'.length);
  const w = wordAt(sql, i).toUpperCase();
  if (w === 'ANALYZE' || w === 'ANALYSE') i = skipTrivia(sql, i + w.length);
  if (sql[i] === '(') {
    const close = sql.indexOf(')', i);
    if (close < 0) return null;
    i = skipTrivia(sql, close + 1);
  }
  return sql.slice(i);
}
