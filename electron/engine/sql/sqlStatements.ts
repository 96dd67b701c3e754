// Splitting SQL text into top-level statements: the console's editor uses it to find the
// statement under the cursor, the engine to count statements. Pure text work shared by
// both sides of the API; never the guard on its own (DuckDB parses whatever is sent).

/** Offsets [start, end) of each non-empty top-level statement. */
export function statementRanges(sql: string): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  let start = 0;
  let meaningful = false;
  let i = 0;
  const push = (end: number) => {
    if (meaningful) out.push({ start, end });
    meaningful = false;
  };
  while (i < sql.length) {
    const ch = sql[i]!;
    const next = sql[i + 1];
    if (ch === '-' && next === '-') {
      // DuckDB ends a line comment at LF or at a lone CR.
      while (i < sql.length && sql[i] !== '\n' && sql[i] !== '\r') i++;
    } else if (ch === '/' && next === '*') {
      let depth = 1;
      i += 2;
      while (i < sql.length && depth > 0) {
        if (sql[i] === '/' && sql[i + 1] === '*') (depth++, (i += 2));
        else if (sql[i] === '*' && sql[i + 1] === '/') (depth--, (i += 2));
        else i++;
      }
    } else if (ch === "'" || ch === '"') {
      meaningful = true;
      const backslash = ch === "'" && i > 0 && /[eE]/.test(sql[i - 1]!) && !/[A-Za-z0-9_]/.test(sql[i - 2] ?? ' ');
      i++;
      while (i < sql.length) {
        if (backslash && sql[i] === '\\') i += 2;
        else if (sql[i] === ch && sql[i + 1] === ch) i += 2;
        else if (sql[i] === ch) {
          i++;
          break;
        } else i++;
      }
    } else if (ch === '$' && /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.test(sql.slice(i, i + 65)) && !/[A-Za-z0-9_]/.test(sql[i - 1] ?? ' ')) {
      meaningful = true;
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i, i + 65))![0];
      const close = sql.indexOf(tag, i + tag.length);
      i = close < 0 ? sql.length : close + tag.length;
    } else if (ch === ';') {
      push(i);
      i++;
      start = i;
    } else {
      if (!/\s/.test(ch)) meaningful = true;
      i++;
    }
  }
  push(sql.length);
  return out;
}

/** The statement under a cursor offset (or the nearest one before it). */
export function statementAt(sql: string, offset: number): { start: number; end: number } | null {
  const ranges = statementRanges(sql);
  if (!ranges.length) return null;
  for (const r of ranges) if (offset <= r.end + 1 && offset >= r.start) return r;
  const before = ranges.filter((r) => r.end <= offset);
  return before[before.length - 1] ?? ranges[0]!;
}
