// Every value that reaches the report is text from evidence or from the analyst
// (user agents, failure reasons, names, notes, SQL). It is always escaped, never markup.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function esc(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
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
