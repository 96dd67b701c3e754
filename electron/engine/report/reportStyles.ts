// Inline stylesheet of the report: print-first, follows the reader's light or dark setting,
// no fonts or images fetched. Identifiers and addresses never break inside the token.
export const REPORT_CSS = `
:root { color-scheme: light dark; --fg: #1b1f24; --muted: #5b6470; --border: #d5dae0; --panel: #f5f7f9; --bg: #fff; --accent: #2459c6; --ok: #1d7a3e; --bad: #b3261e; --warn: #b35c00; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e4e8ee; --muted: #9aa4b0; --border: #3a424d; --panel: #1f252d; --bg: #14181d; --accent: #6b9bff; --ok: #4cc37a; --bad: #ff6b61; --warn: #f0a040; }
  figure svg path[fill="#eef3f8"] { fill: #1c2530; }
  figure svg path[fill="#d9dee4"] { fill: #3a4552; }
  figure svg g[font-size] { fill: var(--fg); }
}
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: var(--bg); font: 13px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, 'Liberation Sans', sans-serif; }
main { max-width: 1100px; margin: 0 auto; padding: 28px 32px 48px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--accent); }
h3 { font-size: 14px; margin: 18px 0 6px; }
p { margin: 6px 0; }
.muted, .generated { color: var(--muted); }
.mono, pre, code { font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, 'Liberation Mono', monospace; font-size: 11.5px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; font-size: 12px; }
th, td { border: 1px solid var(--border); padding: 3px 6px; text-align: left; vertical-align: top; overflow-wrap: break-word; }
td.mono, .token { white-space: nowrap; }
.table-wrap { overflow-x: auto; max-width: 100%; }
.exec { border: 1px solid var(--border); border-radius: 6px; padding: 10px 14px; background: var(--panel); }
.exec .lead { font-size: 15px; font-weight: 600; }
.exec-findings { margin: 6px 0 10px; padding-left: 18px; }
.sev { display: inline-block; min-width: 54px; text-align: center; padding: 0 6px; margin-right: 6px; border-radius: 8px; font-size: 11px; font-weight: 600; text-transform: uppercase; color: #fff; background: var(--muted); }
.sev.high { background: var(--bad); }
.sev.medium { background: var(--warn); }
.sev.low { background: var(--accent); }
details { margin: 4px 0 8px; }
details > summary { cursor: pointer; color: var(--accent); }
dl.metrics { grid-template-columns: max-content 1fr; background: var(--panel); padding: 6px 10px; border-radius: 4px; }
th { background: var(--panel); font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.nowrap { white-space: nowrap; }
dl.summary { display: grid; grid-template-columns: max-content 1fr; gap: 3px 16px; margin: 8px 0; }
dl.summary dt { color: var(--muted); }
dl.summary dd { margin: 0; overflow-wrap: anywhere; }
pre.sql { background: var(--panel); border: 1px solid var(--border); border-radius: 4px; padding: 8px 10px; white-space: pre-wrap; overflow-wrap: anywhere; margin: 6px 0 12px; }
figure { margin: 8px 0 4px; border: 1px solid var(--border); border-radius: 6px; padding: 8px; }
figure svg { display: block; }
figcaption { color: var(--muted); font-size: 12px; margin-top: 4px; }
.finding { border: 1px solid var(--border); border-left: 4px solid var(--accent); border-radius: 4px; padding: 8px 12px; margin: 12px 0; }
.finding.high, .finding.critical { border-left-color: var(--bad); }
.finding.medium { border-left-color: var(--warn); }
.badge { display: inline-block; padding: 0 6px; border-radius: 8px; background: var(--panel); border: 1px solid var(--border); font-size: 11px; margin-right: 4px; }
.empty { color: var(--muted); font-style: italic; }
.hidden-char { display: inline-block; direction: ltr; unicode-bidi: isolate; margin: 0 1px; padding: 0 3px; border: 1px dashed var(--bad); border-radius: 3px; color: var(--bad); font-family: ui-monospace, monospace; font-size: 0.8em; font-weight: 600; }
nav.toc ol { columns: 2; margin: 6px 0; }
@page { size: A4; margin: 14mm; }
@media print {
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  figure, .finding, tr { break-inside: avoid; }
  thead { display: table-header-group; }
  nav.toc { display: none; }
  details > *:not(summary) { display: block; }
  .table-wrap { overflow: visible; }
}
`;
