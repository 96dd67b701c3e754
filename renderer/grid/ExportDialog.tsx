import { useEffect, useState } from 'react';
import { api, desktop } from '../api/client';
import { getState } from '../state/store';
import { Modal } from './Popover';
import { resolveZone } from '../state/timeZone';

interface Result {
  file: string;
  manifestFile: string;
  rows: number;
  sha256: string;
  bytes: number;
  download?: { fileName: string; mime: string; text: string };
}

/** What the export writes besides the rows; one object so that more options (formats) slot in. */
interface ExportOptions {
  format: 'csv' | 'json' | 'xlsx';
  headerTitles: boolean;
  annotations: boolean;
  only: 'view' | 'selected';
}

/** Browser mode: hand the written file to the browser's downloads as well. */
function offerDownload(d: NonNullable<Result['download']>): void {
  const url = URL.createObjectURL(new Blob([d.text], { type: `${d.mime};charset=utf-8` }));
  const a = document.createElement('a');
  a.href = url;
  a.download = d.fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Export the current view; the engine streams the rows to disk, the UI only names the place. */
export function ExportDialog({ columns, count, selected, onClose }: { columns: string[]; count: number; selected: number[] | 'all'; onClose: () => void }) {
  const selectedCount = selected === 'all' ? count : selected.length;
  const [options, setOptions] = useState<ExportOptions>({ format: 'csv', headerTitles: false, annotations: false, only: selected === 'all' || selected.length === 0 ? 'view' : 'selected' });
  const set = <K extends keyof ExportOptions>(k: K, v: ExportOptions[K]) => setOptions((o) => ({ ...o, [k]: v }));
  const format = options.format;
  const setFormat = (f: ExportOptions['format']) => set('format', f);
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
      const rowIds = options.only === 'selected' && selected !== 'all' ? selected : undefined;
      const r = await api.exportView({ filter, sort, columns, format, folder: folder || undefined, headerTitles: options.headerTitles, annotations: options.annotations, rowIds, download: !desktop && format !== 'xlsx', timeZone: format === 'xlsx' ? resolveZone(timeZone) : undefined });
      setResult(r);
      if (r.download) offerDownload(r.download);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal title="Export the current view" onClose={onClose}>
      <div className="export-form">
        <p className="muted" data-testid="export-intro">
          {count.toLocaleString('en-US')} rows, {columns.length} visible columns, in the grid's sort order.{' '}
          {format === 'xlsx'
            ? `Times are Excel date-times in ${resolveZone(getState().timeZone)}, with the ISO-8601 UTC time as text in the column beside.`
            : 'Times are written as ISO-8601 UTC.'}{' '}
          A manifest with the case's sources, the filter and the file's SHA-256 is written beside the export.
          {format === 'csv' && ' CSV cells that a spreadsheet would run as a formula are prefixed with a single quote.'}
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
            Every text cell is plain text, never a formula; rows keep the colour rules' fills.
          </p>
        )}
        <fieldset>
          <legend>Rows</legend>
          <label>
            <input type="radio" name="only" checked={options.only === 'view'} onChange={() => set('only', 'view')} /> All {count.toLocaleString('en-US')} in the view
          </label>
          <label>
            <input type="radio" name="only" checked={options.only === 'selected'} disabled={selected === 'all' || selected.length === 0} onChange={() => set('only', 'selected')} /> The{' '}
            {selectedCount.toLocaleString('en-US')} selected
          </label>
        </fieldset>
        <fieldset>
          <legend>Columns</legend>
          <label>
            <input type="checkbox" checked={options.headerTitles} onChange={(e) => set('headerTitles', e.target.checked)} /> Column titles as headers (CSV), e.g. "IP address" for ip_address
          </label>
          <label>
            <input type="checkbox" checked={options.annotations} onChange={(e) => set('annotations', e.target.checked)} /> Tags and notes as two more columns
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
            {!desktop && (
              <div className="small">
                {result.download ? (
                  <>
                    Also offered as a browser download ({result.download.fileName}); the hashed copy above stays in the case.{' '}
                    <button className="link" onClick={() => result.download && offerDownload(result.download)}>
                      Download again
                    </button>
                  </>
                ) : (
                  'Too large to hand to the browser: open the file above from this machine.'
                )}
              </div>
            )}
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
