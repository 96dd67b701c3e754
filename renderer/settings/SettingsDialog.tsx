import { useEffect, useMemo, useState } from 'react';
import { api, desktop } from '../api/client';
import type { SettingsState, UserSettings } from '../../electron/api/methods/settings';
import { ShellDialog } from './ShellDialog';
import { applySettings } from './applySettings';

interface Props {
  onClose(): void;
  /** Opens the Findings view, where detection thresholds are tuned (only while a case is open). */
  onOpenFindings?: () => void;
}

const THEMES: { value: UserSettings['theme']; label: string }[] = [
  { value: 'system', label: 'System' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

function zones(): string[] {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (key: string) => string[] };
  return (intl.supportedValuesOf?.('timeZone') ?? []).filter((z) => z !== 'UTC');
}

/** User preferences, saved in the profile's settings.json through the engine. */
export function SettingsDialog({ onClose, onOpenFindings }: Props) {
  const [state, setLoaded] = useState<SettingsState | null>(null);
  const [draft, setDraft] = useState<UserSettings | null>(null);
  const [limitText, setLimitText] = useState('');
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const allZones = useMemo(zones, []);
  const localZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

  useEffect(() => {
    api
      .getSettings({})
      .then((s) => {
        setLoaded(s);
        setDraft(s.settings);
        setLimitText(s.settings.duckdbMemoryLimitMb === null ? '' : String(s.settings.duckdbMemoryLimitMb));
      })
      .catch((e: unknown) => setStatus({ kind: 'error', text: e instanceof Error ? e.message : String(e) }));
  }, []);

  const set = <K extends keyof UserSettings>(key: K, value: UserSettings[K]) => setDraft((d) => (d ? { ...d, [key]: value } : d));

  const save = async () => {
    if (!draft) return;
    const limit = limitText.trim() === '' ? null : Number(limitText);
    if (limit !== null && (!Number.isInteger(limit) || limit < 256)) {
      setStatus({ kind: 'error', text: 'Memory limit: a whole number of MiB, at least 256 (or empty for DuckDB’s default).' });
      return;
    }
    setSaving(true);
    try {
      const next = await api.updateSettings({ patch: { ...draft, duckdbMemoryLimitMb: limit } });
      setLoaded(next);
      setDraft(next.settings);
      applySettings(next.settings);
      // Saved: the dialog has done its job (an error keeps it open, with the message).
      onClose();
    } catch (e) {
      setStatus({ kind: 'error', text: e instanceof Error ? e.message : String(e) });
    } finally {
      setSaving(false);
    }
  };

  const browse = async () => {
    const dir = await desktop?.pickFolder();
    if (dir) set('defaultCaseFolder', dir);
  };

  return (
    <ShellDialog
      title="Settings"
      onClose={onClose}
      footer={
        <>
          <span className={`status ${status?.kind === 'error' ? 'error-text' : status ? 'ok-text' : 'muted'}`} role="status">
            {status?.text ?? (state ? `Stored in ${state.file}` : 'Loading…')}
          </span>
          <button onClick={onClose}>Close</button>
          <button className="primary" disabled={!draft || saving} onClick={() => void save()}>
            Save
          </button>
        </>
      }
    >
      {draft && (
        <>
          <fieldset>
            <legend>Display</legend>
            <label className="field-label" htmlFor="settings-tz">
              Time zone
            </label>
            <div>
              <select id="settings-tz" value={draft.timeZone} onChange={(e) => set('timeZone', e.target.value)}>
                <option value="UTC">UTC</option>
                <option value="local">This machine ({localZone})</option>
                {allZones.map((z) => (
                  <option key={z} value={z}>
                    {z}
                  </option>
                ))}
              </select>
              <p className="hint">How times are shown everywhere. Evidence is stored and exported in UTC.</p>
            </div>
            <span className="field-label" id="settings-theme">
              Theme
            </span>
            <div className="segmented" role="radiogroup" aria-labelledby="settings-theme">
              {THEMES.map((t) => (
                <label key={t.value}>
                  <input type="radio" name="theme" value={t.value} checked={draft.theme === t.value} onChange={() => set('theme', t.value)} />
                  {t.label}
                </label>
              ))}
            </div>
          </fieldset>
          <fieldset>
            <legend>Cases</legend>
            <label className="field-label" htmlFor="settings-folder">
              Default case folder
            </label>
            <div>
              <div className="row">
                <input
                  id="settings-folder"
                  type="text"
                  placeholder="The app's data folder"
                  value={draft.defaultCaseFolder ?? ''}
                  onChange={(e) => set('defaultCaseFolder', e.target.value.trim() ? e.target.value : null)}
                />
                {desktop && <button onClick={() => void browse()}>Browse…</button>}
              </div>
              <p className="hint">Where a new case folder (database and manifest) is created when you open files.</p>
            </div>
            <label className="field-label" htmlFor="settings-memory">
              DuckDB memory limit
            </label>
            <div>
              <div className="row">
                <input id="settings-memory" type="number" min={256} step={256} placeholder="Default" value={limitText} onChange={(e) => setLimitText(e.target.value)} />
                <span className="muted">MiB</span>
              </div>
              <p className="hint">
                Empty: DuckDB’s default (80% of RAM). Applied to the open case at once and to every case you open.
                {state?.caseMemoryLimit ? ` Open case now: ${state.caseMemoryLimit}.` : ''}
              </p>
            </div>
          </fieldset>
          <fieldset>
            <legend>Findings</legend>
            <span className="field-label">Detection thresholds</span>
            <div>
              <div className="row">
                {onOpenFindings ? (
                  <button
                    onClick={() => {
                      onClose();
                      onOpenFindings();
                    }}
                  >
                    Open Findings…
                  </button>
                ) : (
                  <span className="muted">Open a case to tune them.</span>
                )}
              </div>
              <p className="hint">Thresholds (failed-sign-in bursts, travel speed, …) are set next to the findings they change.</p>
            </div>
          </fieldset>
        </>
      )}
    </ShellDialog>
  );
}
