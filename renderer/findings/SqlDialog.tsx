import { useEffect, useRef, useState } from 'react';

/** The SQL behind a finding, read-only and copyable, to paste into the SQL console. */
export function SqlDialog({ title, sql, onClose }: { title: string; sql: string; onClose: () => void }) {
  const [copied, setCopied] = useState(false);
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(sql);
      setCopied(true);
    } catch {
      // Clipboard access can be refused; select the text so Ctrl+C works.
      const pre = ref.current?.querySelector('pre');
      if (pre) window.getSelection()?.selectAllChildren(pre);
    }
  };
  return (
    <dialog ref={ref} className="fd-dialog" aria-label="Finding SQL" onClose={onClose} onCancel={onClose}>
      <header>
        <h2>SQL behind “{title}”</h2>
        <button className="plain" onClick={onClose} aria-label="Close">
          ✕
        </button>
      </header>
      <p className="muted">Reads only the case’s tables. Paste it into the SQL console to re-run the detector and list this finding’s rows.</p>
      <pre className="fd-sql" data-testid="finding-sql">
        {sql}
      </pre>
      <footer>
        <span className="muted" aria-live="polite">
          {copied ? 'Copied to the clipboard' : ''}
        </span>
        <button className="primary" onClick={() => void copy()}>
          Copy SQL
        </button>
        <button onClick={onClose}>Close</button>
      </footer>
    </dialog>
  );
}
