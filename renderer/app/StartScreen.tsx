import { useEffect, useState } from 'react';
import { api, desktop } from '../api/client';
import { FilePicker } from './FilePicker';

interface Props {
  onOpenPaths(paths: string[]): void;
  onOpenCase(dir: string): void;
  onDemo(): void;
}

export function StartScreen({ onOpenPaths, onOpenCase, onDemo }: Props) {
  const [recent, setRecent] = useState<{ dir: string; name: string; openedAt: string }[]>([]);
  const [picking, setPicking] = useState(false);
  const [dragging, setDragging] = useState(false);

  useEffect(() => {
    void api.recentCases({}).then(setRecent);
  }, []);

  const open = async () => {
    if (desktop) {
      const paths = await desktop.pickFiles();
      if (paths.length) onOpenPaths(paths);
    } else setPicking(true);
  };

  const onDrop = (e: React.DragEvent) => {
    e.preventDefault();
    setDragging(false);
    if (!desktop) return;
    const paths = [...e.dataTransfer.files].map((f) => desktop!.pathForFile(f)).filter(Boolean);
    if (paths.length) onOpenPaths(paths);
  };

  return (
    <div
      className={dragging ? 'start dragging' : 'start'}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <h1>Signet</h1>
      <p className="muted">Open exported Entra ID sign-in logs (CSV, JSON, NDJSON, .gz, .zip). Evidence is read, hashed and never changed; nothing leaves this machine.</p>
      <div className="start-actions">
        <button className="primary" onClick={() => void open()}>
          Open files…
        </button>
        <button onClick={onDemo}>Open demo case</button>
      </div>
      {desktop && <p className="muted">or drop files here</p>}
      {recent.length > 0 && (
        <section aria-label="Recent cases">
          <h2>Recent</h2>
          <ul className="recent">
            {recent.map((r) => (
              <li key={r.dir}>
                <button className="link" onClick={() => onOpenCase(r.dir)} title={r.dir}>
                  {r.name}
                </button>
                <span className="muted"> {r.dir}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {picking && (
        <FilePicker
          onCancel={() => setPicking(false)}
          onPick={(paths) => {
            setPicking(false);
            onOpenPaths(paths);
          }}
        />
      )}
    </div>
  );
}
