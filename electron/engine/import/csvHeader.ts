/** The first record of a CSV text: its cells, the delimiter, and how lines end. */
export interface CsvHeader {
  cells: string[];
  delimiter: string;
  crlf: boolean;
  /** True when the header ended inside the text we looked at (a complete first record). */
  complete: boolean;
  /** Characters of the text the record took, with its line end. */
  consumed: number;
}

const DELIMITERS = [',', ';', '\t'];

/** Count delimiter candidates outside quotes on the first line to pick one. */
function pickDelimiter(line: string): string {
  let best = ',';
  let bestCount = 0;
  for (const d of DELIMITERS) {
    let n = 0;
    let quoted = false;
    for (const ch of line) {
      if (ch === '"') quoted = !quoted;
      else if (ch === d && !quoted) n++;
    }
    if (n > bestCount) {
      best = d;
      bestCount = n;
    }
  }
  return best;
}

/** Parse the first CSV record (RFC 4180 quoting) from the head of a file (or of the rest of it, with its delimiter). */
export function parseCsvHeader(text: string, knownDelimiter?: string): CsvHeader {
  const firstLineEnd = text.indexOf('\n');
  const firstLine = firstLineEnd >= 0 ? text.slice(0, firstLineEnd) : text;
  const delimiter = knownDelimiter ?? pickDelimiter(firstLine);
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  let i = 0;
  let complete = false;
  for (; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      complete = true;
      break;
    } else cell += ch;
  }
  if (i >= text.length) complete = !quoted;
  cells.push(cell);
  const crlf = text[i] === '\r' && text[i + 1] === '\n';
  return { cells, delimiter, crlf, complete, consumed: Math.min(text.length, i + (crlf ? 2 : 1)) };
}

/** Trim, collapse inner whitespace, lower-case: how portal headers are matched across generations. */
export function normaliseHeader(name: string): string {
  return name.replace(/^\uFEFF/, '').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** Header names as raw-record keys: BOM dropped, a repeated name numbered ("Name (2)"). */
export function uniqueKeys(cells: string[]): string[] {
  const seen = new Map<string, number>();
  return cells.map((c) => {
    const key = c.replace(/^\uFEFF/, '');
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    return n === 1 ? key : `${key} (${n})`;
  });
}
