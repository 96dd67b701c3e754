/** A DuckDB error as the console shows it: the message and, when DuckDB names one, where. */
export interface SqlErrorPosition {
  message: string;
  line: number | null;
  column: number | null;
}

/**
 * DuckDB reports positions as a context block ("LINE 3:   foo" followed by a caret line)
 * and sometimes as "at position N". The context line may be shortened with "...", so the
 * shown fragment is located in the real line to get the column.
 */
export function errorPosition(raw: string, sql: string, lineShift = 0): SqlErrorPosition {
  const lines = raw.split('\n');
  const idx = lines.findIndex((l) => /^LINE \d+: /.test(l));
  if (idx >= 0) {
    const head = /^LINE (\d+): /.exec(lines[idx]!)!;
    const lineNo = Math.max(1, Number(head[1]) - lineShift);
    const shown = lines[idx]!.slice(head[0].length);
    const caretLine = lines[idx + 1] ?? '';
    const caret = caretLine.indexOf('^');
    const message = lines.slice(0, idx).join('\n').trim();
    if (caret >= 0) {
      let rel = caret - head[0].length;
      let fragment = shown;
      if (fragment.startsWith('...')) {
        fragment = fragment.slice(3);
        rel -= 3;
      }
      if (fragment.endsWith('...')) fragment = fragment.slice(0, -3);
      const realLine = sql.split('\n')[lineNo - 1] ?? '';
      const at = realLine.indexOf(fragment.slice(0, Math.max(1, Math.min(fragment.length, 40))));
      const column = (at >= 0 ? at : 0) + Math.max(0, rel) + 1;
      return { message, line: lineNo, column };
    }
    return { message, line: lineNo, column: null };
  }
  const pos = /at position (\d+)/i.exec(raw) ?? /at or near .* at position (\d+)/i.exec(raw);
  if (pos) {
    const offset = Math.min(Number(pos[1]), sql.length);
    const before = sql.slice(0, offset).split('\n');
    return { message: raw.trim(), line: before.length, column: before[before.length - 1]!.length + 1 };
  }
  return { message: raw.trim(), line: null, column: null };
}
