import { RULE_COLOURS, RULE_PALETTE } from '../../electron/api/methods/views';

// One stylesheet for every rule colour, written from the engine's palette, so the grid,
// the legend and the export use the same colours. Light and dark follow the app's theme
// (Settings' data-theme, else the system's preference).

function css(): string {
  const out: string[] = [];
  for (const c of RULE_COLOURS) {
    const p = RULE_PALETTE[c];
    out.push(`.rule-${c} { --rule-bg: ${p.light}; --rule-swatch: ${p.swatch}; }`);
    out.push(`:root[data-theme='dark'] .rule-${c} { --rule-bg: ${p.dark}; }`);
    out.push(`@media (prefers-color-scheme: dark) { :root:not([data-theme='light']) .rule-${c} { --rule-bg: ${p.dark}; } }`);
  }
  out.push(`.grid-host .ag-row.rule-row { background-color: var(--rule-bg); box-shadow: inset 4px 0 0 var(--rule-swatch); }`);
  out.push(`.grid-host .ag-row.rule-row.ag-row-selected { background-color: color-mix(in srgb, var(--row-selected) 65%, var(--rule-bg)); }`);
  return out.join('\n');
}

let installed = false;

/** Add the rule colours' stylesheet to the page once. */
export function installRuleStyles(): void {
  if (installed) return;
  installed = true;
  const el = document.createElement('style');
  el.dataset.signet = 'colour-rules';
  el.textContent = css();
  document.head.appendChild(el);
}
