import type { ReactNode } from 'react';
import './visibleText.css';

/**
 * Evidence text may carry invisible characters that change what a reader sees: bidi
 * controls reorder the text around them (`admin\u202Egnp.exe` reads as "adminexe.png"),
 * zero-width characters hide inside names. Wherever Signet shows evidence text, these are
 * replaced by a marked placeholder such as ⟨RLO⟩, so nothing is reordered or hidden. The
 * data itself is never changed: copies, exports and the database keep the original.
 */
const CONTROL_NAMES: Readonly<Record<string, { short: string; name: string }>> = {
  '\u200B': { short: 'ZWSP', name: 'zero width space' },
  '\u200C': { short: 'ZWNJ', name: 'zero width non-joiner' },
  '\u200D': { short: 'ZWJ', name: 'zero width joiner' },
  '\u200E': { short: 'LRM', name: 'left-to-right mark' },
  '\u200F': { short: 'RLM', name: 'right-to-left mark' },
  '\u202A': { short: 'LRE', name: 'left-to-right embedding' },
  '\u202B': { short: 'RLE', name: 'right-to-left embedding' },
  '\u202C': { short: 'PDF', name: 'pop directional formatting' },
  '\u202D': { short: 'LRO', name: 'left-to-right override' },
  '\u202E': { short: 'RLO', name: 'right-to-left override' },
  '\u2066': { short: 'LRI', name: 'left-to-right isolate' },
  '\u2067': { short: 'RLI', name: 'right-to-left isolate' },
  '\u2068': { short: 'FSI', name: 'first strong isolate' },
  '\u2069': { short: 'PDI', name: 'pop directional isolate' },
  '\uFEFF': { short: 'BOM', name: 'zero width no-break space (byte-order mark)' },
};

const HIDDEN = /[\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/;
const HIDDEN_ALL = /[\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g;

export function hasHiddenControls(text: string): boolean {
  return HIDDEN.test(text);
}

/** The text with each control as ⟨NAME⟩: for places that take only a string (chart labels, titles). */
export function visiblePlain(text: string): string {
  return HIDDEN.test(text) ? text.replace(HIDDEN_ALL, (c) => `⟨${CONTROL_NAMES[c]!.short}⟩`) : text;
}

/** React nodes for the text: plain runs as text, each control as a styled placeholder. */
export function visibleNodes(text: string): ReactNode {
  if (!HIDDEN.test(text)) return text;
  const out: ReactNode[] = [];
  let run = '';
  for (const ch of text) {
    const control = CONTROL_NAMES[ch];
    if (!control) {
      run += ch;
      continue;
    }
    if (run) out.push(run);
    run = '';
    const code = `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    out.push(
      <span key={out.length} className="hidden-char" data-control={control.short} title={`${code} ${control.name}: an invisible character in the data`}>
        ⟨{control.short}⟩
      </span>,
    );
  }
  if (run) out.push(run);
  // An isolate keeps whatever direction the text has from leaking into its neighbours.
  return <bdi className="visible-text">{out}</bdi>;
}

/** Evidence text as the analyst should see it. */
export function VisibleText({ text }: { text: string }) {
  return <>{visibleNodes(text)}</>;
}
