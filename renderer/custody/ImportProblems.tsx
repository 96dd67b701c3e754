import { useEffect, useState } from 'react';
import { api } from '../api/client';
import { useAppState } from '../state/store';
import type { ImportProblemInfo } from '../../electron/api/methods/importProblems';
import './importProblems.css';

const num = (n: number) => n.toLocaleString('en-US');

const OUTCOME_LABEL: Record<ImportProblemInfo['outcome'], string> = {
  refused: 'Refused',
  failed: 'Could not be read',
  imported: 'Imported with problems',
};

/** How many warnings a file shows before "and N more" (the manifest keeps them all). */
const WARNINGS_SHOWN = 8;

/**
 * Per file that did not go in cleanly: why it was refused, which records were rejected
 * (by reason, with counts) and what the importer warned about. User data (file names,
 * reasons quoting a record's value) is rendered as text only.
 */
export function ImportProblemsList({ problems }: { problems: ImportProblemInfo[] }) {
  return (
    <ul className="ip-list">
      {problems.map((p, i) => (
        <li key={`${p.path}-${p.at}-${i}`} className={`ip-file ip-${p.outcome}`} data-outcome={p.outcome}>
          <div className="ip-head">
            <span className={`ip-badge ip-${p.outcome}`}>{OUTCOME_LABEL[p.outcome]}</span>
            <strong className="ip-name" title={p.path}>
              {p.file}
            </strong>
            {p.outcome === 'imported' && (
              <span className="muted">
                read {num(p.read)} = imported {num(p.imported)} + duplicates {num(p.duplicates)} + rejected {num(p.rejected)}
              </span>
            )}
            <span className="muted ip-when">{p.at.replace('T', ' ').slice(0, 19)} UTC</span>
          </div>
          {p.reason && <div className="ip-reason">{p.reason}</div>}
          {p.rejectedReasons.length > 0 && (
            <table className="ip-rejects" aria-label={`Rejected records in ${p.file}`}>
              <thead>
                <tr>
                  <th className="num">Records</th>
                  <th>Reason</th>
                  <th>First</th>
                </tr>
              </thead>
              <tbody>
                {p.rejectedReasons.map((r) => (
                  <tr key={r.reason}>
                    <td className="num">{num(r.count)}</td>
                    <td>{r.reason}</td>
                    <td className="muted" title={r.example}>
                      {r.firstRecord === null ? '—' : `record ${num(r.firstRecord)}`}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {p.warnings.length > 0 && (
            <ul className="ip-warnings" aria-label={`Warnings for ${p.file}`}>
              {p.warnings.slice(0, WARNINGS_SHOWN).map((w, k) => (
                <li key={k}>{w}</li>
              ))}
              {p.warnings.length > WARNINGS_SHOWN && <li className="muted">and {num(p.warnings.length - WARNINGS_SHOWN)} more (manifest.json keeps them all)</li>}
            </ul>
          )}
        </li>
      ))}
    </ul>
  );
}

/** The Case tab's panel: every import problem the case has recorded, whoever started the import. */
export function ImportProblemsPanel() {
  const dataVersion = useAppState((s) => s.dataVersion);
  const [problems, setProblems] = useState<ImportProblemInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    api
      .importProblems({})
      .then((p) => live && setProblems(p))
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [dataVersion]);
  const refused = problems?.filter((p) => p.outcome !== 'imported').length ?? 0;
  const rejected = problems?.reduce((n, p) => n + p.rejected, 0) ?? 0;
  return (
    <section className="cv-card" aria-label="Import problems">
      <div className="cv-row">
        <h3>Import problems</h3>
        {problems && (
          <span className="muted">
            {problems.length ? `${num(refused)} file(s) refused or unreadable · ${num(rejected)} record(s) rejected · ${num(problems.reduce((n, p) => n + p.warnings.length, 0))} warning(s)` : 'None: every file offered to this case was read in full'}
          </span>
        )}
      </div>
      {error && <div className="cv-banner bad">{error}</div>}
      {problems && problems.length > 0 && <ImportProblemsList problems={problems} />}
    </section>
  );
}
