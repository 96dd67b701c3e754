/**
 * A forgiving reader for JSON exports DuckDB refuses: several pages or arrays concatenated,
 * hand-saved pages with trailing commas, files cut off mid-record. It finds each record
 * (array elements, elements of a page's `value` or a diagnostic blob's `records`, or bare
 * objects), parses each on its own, and reports the ones it cannot read with their record
 * and line numbers. Duplicate keys resolve the way JSON.parse does: last one wins.
 */
export interface TolerantRecord {
  record: number;
  line: number;
  /** Parsed record, or undefined when it could not be read. */
  value?: unknown;
  /** Original text of the record. */
  text: string;
  error?: string;
  repaired?: string;
}

const WS = new Set([' ', '\t', '\r', '\n', '\uFEFF']);

function skipWs(s: string, i: number): number {
  while (i < s.length && WS.has(s[i]!)) i++;
  return i;
}

/** Index just past the JSON value starting at i, or -1 if the text ends inside it. */
export function valueEnd(s: string, i: number): number {
  const ch = s[i];
  if (ch === '"') return stringEnd(s, i);
  if (ch === '{' || ch === '[') {
    let depth = 0;
    for (let k = i; k < s.length; k++) {
      const c = s[k];
      if (c === '"') {
        k = stringEnd(s, k);
        if (k < 0) return -1;
        k--;
      } else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) return k + 1;
      }
    }
    return -1;
  }
  let k = i;
  while (k < s.length && !WS.has(s[k]!) && s[k] !== ',' && s[k] !== ']' && s[k] !== '}') k++;
  return k;
}

function stringEnd(s: string, i: number): number {
  for (let k = i + 1; k < s.length; k++) {
    const c = s[k];
    if (c === '\\') k++;
    else if (c === '"') return k + 1;
  }
  return -1;
}

/** Remove commas that directly precede a closing bracket, outside strings. */
export function stripTrailingCommas(text: string): string {
  let out = '';
  for (let k = 0; k < text.length; k++) {
    const c = text[k]!;
    if (c === '"') {
      const end = stringEnd(text, k);
      const stop = end < 0 ? text.length : end;
      out += text.slice(k, stop);
      k = stop - 1;
    } else if (c === ',') {
      const next = skipWs(text, k + 1);
      if (text[next] === ']' || text[next] === '}') continue;
      out += c;
    } else out += c;
  }
  return out;
}

/** Where a container object keeps its records: `value` (Graph page) or `records` (diagnostic blob). */
function containerArrayStart(s: string, objStart: number): number {
  let i = skipWs(s, objStart + 1);
  while (i < s.length && s[i] !== '}') {
    if (s[i] !== '"') return -1;
    const keyEnd = stringEnd(s, i);
    if (keyEnd < 0) return -1;
    const key = s.slice(i + 1, keyEnd - 1);
    i = skipWs(s, keyEnd);
    if (s[i] !== ':') return -1;
    i = skipWs(s, i + 1);
    if ((key === 'value' || key === 'records') && s[i] === '[') return i;
    const end = valueEnd(s, i);
    if (end < 0) return -1;
    i = skipWs(s, end);
    if (s[i] === ',') i = skipWs(s, i + 1);
  }
  return -1;
}

/**
 * Deepest nesting a record may have on this path: JSON.parse and JSON.stringify recurse, and a
 * few thousand levels overflow the stack (losing the whole file). Sign-in records nest under ten.
 */
export const MAX_JSON_DEPTH = 1000;

/** How deep arrays and objects nest in a JSON text (outside strings). */
export function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c === 34) {
      const end = stringEnd(text, k);
      if (end < 0) break;
      k = end - 1;
    } else if (c === 123 || c === 91) {
      if (++depth > max) max = depth;
    } else if (c === 125 || c === 93) depth--;
  }
  return max;
}

/** Whether a JSON value can start at i; anything else is text that is no JSON. */
function valueStarts(s: string, i: number): boolean {
  if (/[-0-9"{[]/.test(s[i]!)) return true;
  return s.startsWith('true', i) || s.startsWith('false', i) || s.startsWith('null', i);
}

/**
 * Text that is no JSON runs to the end of its line (less a separating comma): one rejected
 * record per garbage line, not one per word.
 */
function garbageEnd(s: string, i: number): number {
  const lf = s.indexOf('\n', i);
  let end = lf < 0 ? s.length : lf;
  while (end > i && WS.has(s[end - 1]!)) end--;
  if (end > i + 1 && s[end - 1] === ',') end--;
  return end;
}

export function readTolerant(s: string, onRecord: (r: TolerantRecord) => void, limit = Infinity): void {
  let record = 0;
  let lineAt = 0;
  let line = 1;
  const lineOf = (pos: number): number => {
    for (let k = lineAt; k < pos; k++) if (s.charCodeAt(k) === 10) line++;
    lineAt = Math.max(lineAt, pos);
    return line;
  };
  const emit = (start: number, end: number): void => {
    record++;
    const truncated = end < 0;
    const text = s.slice(start, truncated ? s.length : end);
    const r: TolerantRecord = { record, line: lineOf(start), text };
    const depth = truncated ? 0 : nestingDepth(text);
    if (truncated) r.error = 'the file ends inside this record (truncated JSON)';
    else if (depth > MAX_JSON_DEPTH) r.error = `the record is nested ${depth} levels deep, deeper than the limit of ${MAX_JSON_DEPTH}`;
    else {
      try {
        r.value = JSON.parse(text);
      } catch (err) {
        const fixed = stripTrailingCommas(text);
        try {
          r.value = JSON.parse(fixed);
          r.repaired = 'trailing comma removed';
        } catch {
          r.error = `invalid JSON: ${err instanceof Error ? err.message : String(err)}`;
        }
      }
    }
    onRecord(r);
  };
  const elements = (arrStart: number): number => {
    let i = skipWs(s, arrStart + 1);
    while (i < s.length && record < limit) {
      if (s[i] === ']') return i + 1;
      if (s[i] === ',') {
        i = skipWs(s, i + 1);
        continue;
      }
      if (!valueStarts(s, i)) {
        const end = garbageEnd(s, i);
        emit(i, end);
        i = skipWs(s, end);
        continue;
      }
      const end = valueEnd(s, i);
      emit(i, end);
      if (end < 0) return -1;
      i = skipWs(s, end);
    }
    return -1;
  };
  let i = skipWs(s, 0);
  while (i < s.length && record < limit) {
    const c = s[i];
    if (c === ',') {
      i = skipWs(s, i + 1);
      continue;
    }
    if (c === '[') {
      const end = elements(i);
      if (end < 0) return;
      i = skipWs(s, end);
    } else if (c === '{') {
      const arr = containerArrayStart(s, i);
      if (arr >= 0) {
        const afterArr = elements(arr);
        if (afterArr < 0) return;
        const end = valueEnd(s, i);
        if (end < 0) return;
        i = skipWs(s, end);
      } else {
        const end = valueEnd(s, i);
        emit(i, end);
        if (end < 0) return;
        i = skipWs(s, end);
      }
    } else {
      const end = valueStarts(s, i) ? valueEnd(s, i) : garbageEnd(s, i);
      emit(i, end < 0 ? s.length : end);
      i = skipWs(s, end < 0 ? s.length : end);
    }
  }
}

/** The first record that parses in a (possibly cut-off) head of a file, for sniffing. */
export function firstRecord(head: string): Record<string, unknown> | null {
  let found: Record<string, unknown> | null = null;
  let seen = 0;
  readTolerant(
    head,
    (r) => {
      seen++;
      if (!found && r.value && typeof r.value === 'object' && !Array.isArray(r.value)) found = r.value as Record<string, unknown>;
    },
    50,
  );
  void seen;
  return found;
}
