import { ShellDialog } from '../settings/ShellDialog';
import { KIND_LABELS } from '../findings/labels';
import { FINDING_MEANINGS, SEARCH_SYNTAX, SHORTCUTS, type HelpRow } from './helpContent';
import './help.css';

function HelpTable({ rows, label, code }: { rows: readonly HelpRow[]; label: string; code?: boolean }) {
  return (
    <table className="help-table" aria-label={label}>
      <tbody>
        {rows.map(([what, meaning]) => (
          <tr key={what}>
            <th scope="row">{code ? <code>{what}</code> : <kbd>{what}</kbd>}</th>
            <td>{meaning}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** F1 or "?": the search syntax, the keyboard shortcuts and what each finding kind means. */
export function HelpDialog({ onClose }: { onClose(): void }) {
  const kinds = (Object.keys(KIND_LABELS) as (keyof typeof KIND_LABELS)[]).map((k): HelpRow => [KIND_LABELS[k], FINDING_MEANINGS[k]]);
  return (
    <ShellDialog title="Help" onClose={onClose}>
      <section>
        <h3 className="help-title">Search</h3>
        <p className="hint">Terms are combined with AND. The search box of the grid takes:</p>
        <HelpTable rows={SEARCH_SYNTAX} label="Search syntax" code />
      </section>
      <section>
        <h3 className="help-title">Keyboard</h3>
        <HelpTable rows={SHORTCUTS} label="Keyboard shortcuts" />
      </section>
      <section>
        <h3 className="help-title">Finding kinds</h3>
        <HelpTable rows={kinds} label="Finding kinds" code />
      </section>
    </ShellDialog>
  );
}

/** F1 anywhere; "?" when the key would not type into a field. */
export function isHelpKey(e: KeyboardEvent): boolean {
  if (e.key === 'F1') return true;
  if (e.key !== '?' || e.ctrlKey || e.metaKey || e.altKey) return false;
  const t = e.target as HTMLElement | null;
  return !(t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)));
}
