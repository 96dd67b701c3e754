import { useEffect, useState } from 'react';
import { api } from '../api/client';

type Listing = Awaited<ReturnType<typeof api.listDirectory>>;

/** Browser mode has no native dialog: browse the machine's folders through the engine. */
export function FilePicker({ onPick, onCancel }: { onPick(paths: string[]): void; onCancel(): void }) {
  const [listing, setListing] = useState<Listing | null>(null);
  const [path, setPath] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);

  const go = (p?: string) =>
    api
      .listDirectory(p ? { path: p } : {})
      .then((l) => {
        setListing(l);
        setPath(l.path);
        setError(null);
      })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));

  useEffect(() => {
    void go();
  }, []);

  return (
    <div className="overlay" role="dialog" aria-label="Open files">
      <div className="picker">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void go(path);
          }}
        >
          <input aria-label="Folder or file path" value={path} onChange={(e) => setPath(e.target.value)} />
          <button type="submit">Go</button>
        </form>
        {error && <div className="error-line">{error}</div>}
        <ul className="picker-list">
          {listing?.parent && (
            <li>
              <button className="link" onClick={() => void go(listing.parent!)}>
                ..
              </button>
            </li>
          )}
          {listing?.entries.map((e) => (
            <li key={e.path}>
              {e.kind === 'dir' ? (
                <button className="link" onClick={() => void go(e.path)}>
                  {e.name}/
                </button>
              ) : (
                <label>
                  <input
                    type="checkbox"
                    checked={chosen.includes(e.path)}
                    onChange={(ev) => setChosen((c) => (ev.target.checked ? [...c, e.path] : c.filter((x) => x !== e.path)))}
                  />{' '}
                  {e.name} <span className="muted">{(e.bytes / 1024).toFixed(0)} KB</span>
                </label>
              )}
            </li>
          ))}
        </ul>
        <div className="picker-actions">
          <button className="primary" disabled={!chosen.length} onClick={() => onPick(chosen)}>
            Open {chosen.length || ''} file{chosen.length === 1 ? '' : 's'}
          </button>
          <button onClick={onCancel}>Cancel</button>
        </div>
      </div>
    </div>
  );
}
