// Every value that reaches the report is text from evidence or from the analyst
// (user agents, failure reasons, names, notes, SQL). It is always escaped, never markup.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Bidi controls reorder the text around them (`admin\u202Egnp.exe` reads "adminexe.png")
 * and zero-width characters hide inside names: each is shown as a marked placeholder
 * (the same names the app uses, renderer/text/visibleText.tsx). The case data is unchanged.
 */
const HIDDEN_CONTROLS: Readonly<Record<string, string>> = {
  '\u200B': 'ZWSP', '\u200C': 'ZWNJ', '\u200D': 'ZWJ', '\u200E': 'LRM', '\u200F': 'RLM',
  '\u202A': 'LRE', '\u202B': 'RLE', '\u202C': 'PDF', '\u202D': 'LRO', '\u202E': 'RLO',
  '\u2066': 'LRI', '\u2067': 'RLI', '\u2068': 'FSI', '\u2069': 'PDI', '\uFEFF': 'BOM',
};

/**
 * Text for an HTML text node: markup escaped, invisible controls shown as ⟨NAME⟩
 * placeholders, styled (`.hidden-char`) in HTML and plain inside SVG, whose text and
 * title elements take no markup.
 */
export function esc(value: unknown, where: 'html' | 'svg' = 'html'): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text
    .replace(/[&<>"']/g, (c) => ESCAPES[c]!)
    .replace(/[\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g, (c) => {
      const mark = `&#x27E8;${HIDDEN_CONTROLS[c]}&#x27E9;`;
      return where === 'svg' ? mark : `<span class="hidden-char" title="an invisible character in the data">${mark}</span>`;
    });
}

/** A table from trusted header labels and escaped cell values; `mono` columns render in monospace. */
export function table(headers: string[], rows: unknown[][], opts: { mono?: number[]; numeric?: number[]; nowrap?: number[]; cls?: string } = {}): string {
  const mono = new Set(opts.mono ?? []);
  const numeric = new Set(opts.numeric ?? []);
  const nowrap = new Set(opts.nowrap ?? []);
  const cellClass = (i: number) => {
    const c = [mono.has(i) ? 'mono' : '', numeric.has(i) ? 'num' : '', nowrap.has(i) ? 'nowrap' : ''].filter(Boolean).join(' ');
    return c ? ` class="${c}"` : '';
  };
  const head = headers.map((h, i) => `<th${cellClass(i)}>${esc(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((v, i) => `<td${cellClass(i)}>${esc(v)}</td>`).join('')}</tr>`).join('\n');
  return `<div class="table-wrap"><table${opts.cls ? ` class="${opts.cls}"` : ''}><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

export function sqlBlock(sql: string): string {
  return `<pre class="sql">${esc(sql.trim())}</pre>`;
}

export function fmtInt(n: number): string {
  return n.toLocaleString('en-US');
}
