import { useEffect, useState } from 'react';
import { api } from '../api/client';
import type { AboutInfo } from '../../electron/api/methods/settings';
import { ShellDialog } from '../settings/ShellDialog';
import { SignetMark } from './SignetMark';
import './about.css';

/** Browser mode runs in the user's browser: its engine version comes from the page itself. */
function browserChromium(): string | null {
  return /Chrom(?:e|ium)\/([\d.]+)/.exec(navigator.userAgent)?.[1] ?? null;
}

function versionRows(a: AboutInfo): [string, string][] {
  const chromium = a.chromium ?? browserChromium();
  return [
    ['Signet', a.signet],
    ['Electron', a.electron ?? (a.mode === 'browser' ? 'not used (browser mode)' : 'unknown')],
    [a.mode === 'browser' ? 'Browser (Chromium)' : 'Chromium', chromium ?? 'unknown'],
    ['Node.js', a.node],
    ['V8 (engine)', a.v8],
    ['DuckDB', a.duckdb],
    ['Platform', `${a.platform} ${a.arch}`],
    ['Data folder', a.dataDir],
  ];
}

async function copy(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

export function AboutDialog({ onClose }: { onClose(): void }) {
  const [about, setAbout] = useState<AboutInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState<boolean | null>(null);

  useEffect(() => {
    api
      .about({})
      .then(setAbout)
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, []);

  const rows = about ? versionRows(about) : [];
  return (
    <ShellDialog
      title="About Signet"
      onClose={onClose}
      footer={
        <>
          <span className="status muted" role="status">
            {copied === true ? 'Copied.' : copied === false ? 'Copy is not available here; select the text instead.' : ''}
          </span>
          <button disabled={!about} onClick={() => void copy(rows.map(([k, v]) => `${k}: ${v}`).join('\n')).then(setCopied)}>
            Copy versions
          </button>
          <button className="primary" onClick={onClose}>
            Close
          </button>
        </>
      }
    >
      <div className="about-hero">
        <SignetMark size={64} />
        <div>
          <h3>Signet {about?.signet ?? ''}</h3>
          <p className="muted">Offline viewer for exported Microsoft Entra ID sign-in logs.</p>
        </div>
      </div>
      {error && <div className="error-text">{error}</div>}
      {about && (
        <>
          <section aria-label="Versions">
            <h4 className="about-section-title">Versions</h4>
            <table className="about-table">
              <tbody>
                {rows.map(([k, v]) => (
                  <tr key={k}>
                    <th scope="row">{k}</th>
                    <td>{v}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <p className="about-offline">
            Signet makes no network connections: no update checks, no telemetry, no crash reports, no online maps or fonts. Evidence files are read, hashed and never
            changed.
          </p>
          <section aria-label="Bundled data">
            <h4 className="about-section-title">Bundled data and licences</h4>
            <ul className="about-data">
              {about.bundledData.map((d) => (
                <li key={d.name}>
                  <span className="licence">{d.licence}</span>
                  <div className="name">{d.name}</div>
                  <div className="meta">
                    {d.usedFor} · version {d.version}
                  </div>
                  <div className="meta">{d.source}</div>
                </li>
              ))}
            </ul>
          </section>
        </>
      )}
    </ShellDialog>
  );
}
