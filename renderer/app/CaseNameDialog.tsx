import { useState } from 'react';

function parts(path: string): string[] {
  return path.split(/[\\/]/).filter(Boolean);
}

/** The name a new case of these files gets unless the user types another: their folder, else the first file. */
export function suggestedCaseName(paths: readonly string[]): string {
  const first = paths[0] ?? '';
  const folder = (p: string) => parts(p).slice(0, -1).join('/');
  if (paths.length > 1 && paths.every((p) => folder(p) === folder(first))) {
    const name = parts(first).slice(-2, -1)[0];
    if (name) return name;
  }
  return parts(first).pop() ?? 'case';
}

/** Asked once, when several files start a new case: what the case is called (renamable later on the Case tab). */
export function CaseNameDialog({ paths, onSubmit, onCancel }: { paths: string[]; onSubmit: (name: string) => void; onCancel: () => void }) {
  const [name, setName] = useState(() => suggestedCaseName(paths));
  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-label="Name the new case">
      <form
        className="progress-card"
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim()) onSubmit(name.trim());
        }}
      >
        <strong>Name the new case</strong>
        <span className="muted">
          {paths.length.toLocaleString('en-US')} files go into a new case. Its name titles the window, Recent and the report; the Case tab can change it later.
        </span>
        <input autoFocus onFocus={(e) => e.currentTarget.select()} value={name} maxLength={200} onChange={(e) => setName(e.target.value)} aria-label="Case name" />
        <div className="picker-actions">
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          <button className="primary" type="submit" disabled={!name.trim()}>
            Import
          </button>
        </div>
      </form>
    </div>
  );
}
