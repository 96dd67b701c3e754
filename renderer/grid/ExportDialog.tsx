import { useEffect, useState } from 'react';
import { api, desktop } from '../api/client';
import { getState } from '../state/store';
import { Modal } from './Popover';

interface Result {
  file: string;
  manifestFile: string;
  rows: number;
  sha256: string;
  bytes: number;
}

/** Export the current view; the engine streams the rows to disk, the UI only names the place. */
export function ExportDialog({ columns, count, onClose }: { columns: string[]; count: number; onClose: () => void }) {
  const [format, setFormat] = useState<'csv' | 'json'>('csv');
  const [folder, setFolder] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void api.exportDefaults({}).then((d) => setFolder((f) => f || d.folder));
  }, []);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      const { filter, sort } = getState();
      setResult(await api.exportView({ filter, sort, columns, format, folder: folder || undefined }));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal title="Export the current view" onClose={onClose}>
      <div className="export-form">
        <p className="muted">
          {count.toLocaleString('en-US')} rows, {columns.length} visible columns, in the grid's sort order. Times are written as ISO-8601 UTC. A manifest with the case's sources, the filter
          and the file's SHA-256 is written beside the export. CSV cells that a spreadsheet would run as a formula are prefixed with a single quote.
        </p>
        <fieldset>
          <legend>Format</legend>
          <label>
            <input type="radio" name="fmt" checked={format === 'csv'} onChange={() => setFormat('csv')} /> CSV
          </label>
          <label>
            <input type="radio" name="fmt" checked={format === 'json'} onChange={() => setFormat('json')} /> JSON
          </label>
        </fieldset>
        <label>
          Folder
          <span className="folder-row">
            <input value={folder} onChange={(e) => setFolder(e.target.value)} aria-label="Export folder" className="mono" />
            {desktop && (
              <button type="button" onClick={() => void desktop!.pickFolder().then((f) => f && setFolder(f))}>
                Choose…
              </button>
            )}
          </span>
        </label>
        {error && (
          <div className="error-line" role="alert">
            {error}
          </div>
        )}
        {result && (
          <div className="export-result" role="status" aria-label="Export result">
            <div>
              Wrote <strong>{result.rows.toLocaleString('en-US')}</strong> rows ({result.bytes.toLocaleString('en-US')} bytes)
            </div>
            <div className="mono small" data-export-file={result.file}>
              {result.file}
            </div>
            <div className="mono small">SHA-256 {result.sha256}</div>
            <div className="mono small">Manifest {result.manifestFile}</div>
          </div>
        )}
        <div className="form-actions">
          <button onClick={onClose}>Close</button>
          <button className="primary" onClick={() => void run()} disabled={busy}>
            {busy ? 'Exporting…' : 'Export'}
          </button>
        </div>
      </div>
    </Modal>
  );
}
