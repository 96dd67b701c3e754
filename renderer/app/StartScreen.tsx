import { useEffect, useState } from 'react';
import { api, desktop } from '../api/client';
import { FilePicker } from './FilePicker';
import { SignetMark } from '../about/SignetMark';
import { useAppState } from '../state/store';
import { formatInstant, zoneLabel } from '../state/timeZone';
import './startScreen.css';

interface Props {
  onOpenPaths(paths: string[]): void;
  onOpenCase(dir: string): void;
  onDemo(): void;
}

type Recent = Awaited<ReturnType<typeof api.recentCases>>[number];

const FORMATS = ['Entra portal CSV (all generations)', 'Graph JSON', 'NDJSON / Event Hub', 'Log Analytics', '.gz and .zip'];

function openedWhen(iso: string, zone: string): string {
  return Number.isNaN(Date.parse(iso)) ? '' : `${formatInstant(iso, zone, false).slice(0, 16)} ${zoneLabel(zone)}`;
}

export function StartScreen({ onOpenPaths, onOpenCase, onDemo }: Props) {
  const [recent, setRecent] = useState<Recent[] | null>(null);
  const [picking, setPicking] = useState(false);
  const zone = useAppState((s) => s.timeZone);

  useEffect(() => {
    void api
      .recentCases({})
      .then(setRecent)
      .catch(() => setRecent([]));
  }, []);

  const open = async () => {
    if (desktop) {
      const paths = await desktop.pickFiles();
      if (paths.length) onOpenPaths(paths);
    } else setPicking(true);
  };

  return (
    // Drops are taken window-wide (settings/useFileDrop.ts), so folders and cases work everywhere.
    <div className="start-screen">
      <div className="start-card">
        <div className="start-hero">
          <SignetMark size={64} />
          <div>
            <h1>Signet</h1>
            <p>Open exported Microsoft Entra ID sign-in logs, sort and filter millions of rows, query them with SQL, and follow every finding back to the exact rows.</p>
          </div>
        </div>
        <div className="start-grid">
          <section className="start-panel" aria-label="Open evidence">
            <h2>Open evidence</h2>
            <div className="drop-zone">
              <svg width="34" height="34" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden="true">
                <path d="M4 15v3a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-3" strokeLinecap="round" />
                <path d="M12 4v11M7.5 10.5 12 15l4.5-4.5" strokeLinecap="round" strokeLinejoin="round" />
              </svg>
              <div>{desktop ? 'Drop export files or folders here' : 'Choose export files on this machine'}</div>
              <div className="actions">
                <button className="primary" onClick={() => void open()}>
                  Open files…
                </button>
                <button onClick={onDemo}>Open demo case</button>
              </div>
              {desktop && (
                <div className="muted">
                  or press <span className="kbd">Ctrl</span> <span className="kbd">O</span>
                </div>
              )}
            </div>
            <div className="formats" aria-label="Supported formats">
              {FORMATS.map((f) => (
                <span key={f}>{f}</span>
              ))}
            </div>
          </section>
          <section className="start-panel" aria-label="Recent cases">
            <h2>Recent</h2>
            {recent && recent.length > 0 ? (
              <ul className="recent-list">
                {recent.slice(0, 8).map((r) => (
                  <li key={r.dir}>
                    <button onClick={() => onOpenCase(r.dir)} title={r.dir}>
                      <span className="name">{r.name}</span>
                      <span className="when">{openedWhen(r.openedAt, zone)}</span>
                      <span className="dir">{r.dir}</span>
                    </button>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="recent-empty">{recent ? 'No cases yet. Cases you open appear here.' : 'Loading…'}</p>
            )}
          </section>
        </div>
        <div className="start-promise">
          <svg width="16" height="16" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden="true">
            <rect x="3" y="7" width="10" height="7" rx="1.5" />
            <path d="M5.5 7V5a2.5 2.5 0 0 1 5 0v2" />
          </svg>
          <span>Evidence files are read, hashed and never changed. Nothing leaves this machine: no network, no telemetry, no updates.</span>
        </div>
      </div>
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
