import { useEffect, useState } from 'react';
import { api, desktop } from '../api/client';
import { getState } from '../state/store';
import { Modal } from './Popover';
import { resolveZone, zoneLabel } from '../state/timeZone';

interface Result {
  file: string;
  manifestFile: string;
  rows: number;
  sha256: string;
  bytes: number;
}

/** Export the current view; the engine streams the rows to disk, the UI only names the place. */
export function ExportDialog({ columns, count, selectedRowIds = [], onClose }: { columns: string[]; count: number; selectedRowIds?: number[]; onClose: () => void }) {
  const [format, setFormat] = useState<'csv' | 'json' | 'xlsx'>('csv');
  const [onlySelected, setOnlySelected] = useState(false);
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
      const { filter, sort, timeZone } = getState();
      const picked = onlySelected && selectedRowIds.length > 0;
      const view = picked ? { ...filter, conditions: [...filter.conditions, { kind: 'rows' as const, rowIds: selectedRowIds, label: `${selectedRowIds.length} selected rows` }] } : filter;
      setResult(await api.exportView({ filter: view, sort, columns, format, folder: folder || undefined, timeZone: format === 'xlsx' ? resolveZone(timeZone) : undefined }));
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
          <label>
            <input type="radio" name="fmt" checked={format === 'xlsx'} onChange={() => setFormat('xlsx')} /> Excel (.xlsx)
          </label>
        </fieldset>
        {format === 'xlsx' && (
          <p className="muted small" data-testid="xlsx-note">
            Dates as Excel date-times in {zoneLabel(getState().timeZone)}, with the ISO-8601 UTC time in the column beside; every text cell is plain text, never a formula.
          </p>
        )}
        {selectedRowIds.length > 0 && (
          <label className="check-row">
            <input type="checkbox" checked={onlySelected} onChange={(e) => setOnlySelected(e.target.checked)} /> Only the {selectedRowIds.length.toLocaleString('en-US')} selected rows
          </label>
        )}
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
