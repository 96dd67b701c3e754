import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api/client';
import type { ResultOf } from '../../electron/api/contract';
import type { Condition } from '../../electron/engine/query/filterModel';
import { useAppState } from '../state/store';
import { formatInstant } from '../state/timeZone';
import './sweep.css';

type SweepResult = ResultOf<'runSweep'>;
type SweepSummary = ResultOf<'listSweeps'>[number];

const PLACEHOLDER = `# One indicator a line; # starts a comment
185.220.101.0/24
2001:db8::/32
attacker@evil.example
29d9ed98-a469-4536-ade2-f981bc1d605e
ua:python-requests
asn:AS8075
country:RU`;

/**
 * IOC sweep: paste or open an indicator list, see per indicator how many sign-ins, accounts
 * and which time span it hit (zero-hit indicators too), and follow one or all to the grid.
 */
export function SweepView({ onShowRows }: { onShowRows: (c: Condition) => void }) {
  const zone = useAppState((s) => s.timeZone);
  const dataVersion = useAppState((s) => s.dataVersion);
  const [list, setList] = useState('');
  const [tag, setTag] = useState('');
  const [tagHits, setTagHits] = useState(false);
  const [result, setResult] = useState<SweepResult | null>(null);
  const [history, setHistory] = useState<SweepSummary[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    void api.listSweeps({}).then(setHistory).catch(() => setHistory([]));
  }, [dataVersion, result]);

  const run = useCallback(async () => {
    setBusy(true);
    setError(null);
    try {
      setResult(await api.runSweep({ list, tag: tagHits && tag.trim() ? tag.trim() : null }));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }, [list, tag, tagHits]);

  const openFile = useCallback(async (file: File | undefined) => {
    if (!file) return;
    setList(await file.text());
  }, []);

  const hit = result ? result.indicators.filter((x) => x.rows > 0).length : 0;
  return (
    <div className="sweep">
      <section className="sweep-input" aria-label="Indicator list">
        <h2>IOC sweep</h2>
        <p className="muted">
          Addresses and CIDR ranges (IPv4 and IPv6) match as addresses; UPNs and GUIDs (user, app, resource, request, correlation, session ids) exactly;{' '}
          <code>ua:</code> matches a part of the user agent; <code>app:</code>, <code>asn:</code> and <code>country:</code> say what a value is.
        </p>
        <textarea aria-label="Indicators, one a line" spellCheck={false} value={list} placeholder={PLACEHOLDER} onChange={(e) => setList(e.target.value)} />
        <div className="sweep-actions">
          <button onClick={() => fileInput.current?.click()}>Open list…</button>
          <input ref={fileInput} type="file" accept=".txt,.csv,.ioc,text/plain" hidden onChange={(e) => void openFile(e.target.files?.[0])} />
          <label className="sweep-tag">
            <input type="checkbox" checked={tagHits} onChange={(e) => setTagHits(e.target.checked)} /> Tag all hits as
            <input aria-label="Tag name" value={tag} placeholder="IOC hit" onChange={(e) => setTag(e.target.value)} disabled={!tagHits} />
          </label>
          <button className="primary" disabled={busy || !list.trim()} onClick={() => void run()}>
            {busy ? 'Sweeping…' : 'Sweep'}
          </button>
        </div>
        {error && <p className="error-line" role="alert">{error}</p>}
        {history.length > 0 && (
          <details className="sweep-history">
            <summary>Earlier sweeps of this case ({history.length})</summary>
            <ul>
              {history.map((h) => (
                <li key={h.id}>
                  <button className="plain" onClick={() => onShowRows({ kind: 'sweep', sweepId: h.id, label: `IOC sweep: ${h.name}`.slice(0, 300) })}>
                    {h.name}
                  </button>{' '}
                  <span className="muted">
                    {formatInstant(h.createdAt, zone)} · {h.rows.toLocaleString('en-US')} rows · list SHA-256 <span className="mono">{h.sha256.slice(0, 16)}…</span>
                  </span>
                </li>
              ))}
            </ul>
          </details>
        )}
      </section>
      <section className="sweep-results" aria-label="Sweep results">
        {!result ? (
          <p className="placeholder">Paste indicators or open a list, then Sweep. Every sweep is recorded in the audit log with the list's SHA-256.</p>
        ) : (
          <>
            <div className="sweep-summary">
              <strong>
                {hit} of {result.indicators.length} indicator{result.indicators.length === 1 ? '' : 's'} hit {result.rows.toLocaleString('en-US')} sign-in
                {result.rows === 1 ? '' : 's'}
              </strong>
              {result.tag && <span className="muted"> · {result.tagged.toLocaleString('en-US')} newly tagged “{result.tag}”</span>}
              <button disabled={result.rows === 0} onClick={() => onShowRows({ kind: 'sweep', sweepId: result.id, label: `IOC sweep: all ${result.rows} hits`.slice(0, 300) })}>
                Show all hits in the grid
              </button>
            </div>
            {result.problems.length > 0 && (
              <div className="banner warn" role="status">
                {result.problems.length} line{result.problems.length === 1 ? ' was' : 's were'} skipped:
                <ul>
                  {result.problems.map((p) => (
                    <li key={p.line}>
                      line {p.line}: {p.reason}
                    </li>
                  ))}
                </ul>
              </div>
            )}
            <table className="sweep-table">
              <thead>
                <tr>
                  <th>Line</th>
                  <th>Indicator</th>
                  <th>Type</th>
                  <th className="num">Sign-ins</th>
                  <th className="num">Accounts</th>
                  <th className="num">Successes</th>
                  <th>First</th>
                  <th>Last</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {result.indicators.map((x) => (
                  <tr key={x.line} className={x.rows ? 'hit' : 'miss'}>
                    <td className="num">{x.line}</td>
                    <td className="mono">{x.indicator}</td>
                    <td>{x.type}</td>
                    <td className="num">{x.rows.toLocaleString('en-US')}</td>
                    <td className="num">{x.users.toLocaleString('en-US')}</td>
                    <td className="num">{x.successes.toLocaleString('en-US')}</td>
                    <td className="nowrap">{x.first_utc ? formatInstant(x.first_utc, zone) : '—'}</td>
                    <td className="nowrap">{x.last_utc ? formatInstant(x.last_utc, zone) : '—'}</td>
                    <td>
                      <button
                        className="plain"
                        disabled={x.rows === 0}
                        onClick={() => onShowRows({ kind: 'sweep', sweepId: result.id, line: x.line, label: `IOC ${x.indicator}`.slice(0, 300) })}
                      >
                        Show rows
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>
    </div>
  );
}
