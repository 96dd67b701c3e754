import { useEffect, useState } from 'react';
import type { ThresholdInfoDto } from '../../electron/api/methods/findings';

/** Every detection threshold with its default and where the default comes from. */
export function ThresholdsPanel({
  thresholds,
  busy,
  onApply,
  onClose,
}: {
  thresholds: ThresholdInfoDto[];
  busy: boolean;
  onApply: (changes: Record<string, number | null>) => void;
  onClose: () => void;
}) {
  const [draft, setDraft] = useState<Record<string, string>>({});
  useEffect(() => setDraft(Object.fromEntries(thresholds.map((t) => [t.key, String(t.value)]))), [thresholds]);

  const problems = thresholds
    .map((t) => {
      const raw = draft[t.key] ?? '';
      const v = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(v)) return `${t.label}: enter a number`;
      if (t.integer && !Number.isInteger(v)) return `${t.label}: whole numbers only`;
      if (v < t.min || v > t.max) return `${t.label}: between ${t.min} and ${t.max}`;
      return null;
    })
    .filter((p): p is string => p !== null);
  const changes: Record<string, number> = {};
  for (const t of thresholds) {
    const v = Number(draft[t.key]);
    if (Number.isFinite(v) && v !== t.value) changes[t.key] = v;
  }

  return (
    <div className="fd-thresholds" role="region" aria-label="Detection thresholds">
      <table>
        <thead>
          <tr>
            <th>Threshold</th>
            <th>Value</th>
            <th>Default</th>
            <th>Why this default</th>
          </tr>
        </thead>
        <tbody>
          {thresholds.map((t) => (
            <tr key={t.key} className={Number(draft[t.key]) !== t.default ? 'changed' : ''}>
              <td>
                <div>{t.label}</div>
                <code className="muted">{t.key}</code>
              </td>
              <td>
                <input
                  type="number"
                  aria-label={t.key}
                  value={draft[t.key] ?? ''}
                  min={t.min}
                  max={t.max}
                  step={t.integer ? 1 : 0.1}
                  onChange={(e) => setDraft((d) => ({ ...d, [t.key]: e.target.value }))}
                />{' '}
                <span className="muted">{t.unit}</span>
              </td>
              <td>{t.default}</td>
              <td className="muted">{t.source}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="fd-threshold-actions">
        {problems.length > 0 && (
          <span className="fd-problem" role="alert">
            {problems[0]}
          </span>
        )}
        <button className="plain" onClick={onClose}>
          Close
        </button>
        <button onClick={() => onApply(Object.fromEntries(thresholds.map((t) => [t.key, null])))} disabled={busy}>
          Restore defaults
        </button>
        <button className="primary" disabled={busy || problems.length > 0 || Object.keys(changes).length === 0} onClick={() => onApply(changes)}>
          Apply and recompute
        </button>
      </div>
    </div>
  );
}
