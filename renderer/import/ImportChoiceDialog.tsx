import { useState } from 'react';
import { ShellDialog } from '../settings/ShellDialog';
import type { ImportAnswer, PendingChoice } from './pendingChoices';
import './importChoice.css';

type LogType = NonNullable<ImportAnswer['logType']>;

const LOG_TYPE_LABELS: Record<LogType, { label: string; hint: string }> = {
  interactive: { label: 'Interactive', hint: 'User sign-ins where the user typed a password, approved MFA, …' },
  noninteractive: { label: 'Non-interactive', hint: 'User sign-ins a client made on the user’s behalf (token refresh)' },
  serviceprincipal: { label: 'Service principal', hint: 'Applications signing in with their own credentials' },
  managedidentity: { label: 'Managed identity', hint: 'Azure resources signing in with a managed identity' },
};

/** `2026-04-03` as `3 April 2026`: spelled out, so the reading is unmistakable. */
function spelled(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? 'not a date' : d.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

interface Props {
  pending: PendingChoice;
  /** Files still waiting after this one. */
  more: number;
  onChoose(answer: ImportAnswer): void;
  onSkip(): void;
}

/** Ask what the file could not tell (its log, or its day/month order), then import it again with the answer. */
export function ImportChoiceDialog({ pending, more, onChoose, onSkip }: Props) {
  const { choice } = pending;
  const [picked, setPicked] = useState<string | null>(null);
  const title = choice.kind === 'logType' ? 'Which sign-in log is this file?' : 'Which date order does this file use?';
  const choose = () => {
    if (!picked) return;
    onChoose(choice.kind === 'logType' ? { ...pending.given, logType: picked as LogType } : { ...pending.given, dateOrder: picked as 'dmy' | 'mdy' });
  };
  return (
    <ShellDialog
      title={title}
      onClose={onSkip}
      footer={
        <>
          {more > 0 && <span className="status muted">{more} more file{more === 1 ? '' : 's'} to settle after this one</span>}
          <button onClick={onSkip}>Skip this file</button>
          <button className="primary" disabled={!picked} onClick={choose}>
            Import with this choice
          </button>
        </>
      }
    >
      <div className="import-choice">
        <div className="import-choice-file" title={pending.file}>
          <span className="name">{baseName(pending.file)}</span>
          <span className="path">{pending.file}</span>
        </div>
        <p className="why">
          {choice.kind === 'logType'
            ? 'Its columns and its name do not say which log it was downloaded from (the portal writes the same header for both). Choose the log it came from; the choice is recorded as the reason for its log type.'
            : 'Every date in it could be read day first or month first (no day is above 12). Choose how the file was written; the examples below are values from the file.'}
        </p>
        <div className="options" role="radiogroup" aria-label={title}>
          {choice.kind === 'logType'
            ? choice.options.map((o) => (
                <label key={o} className={picked === o ? 'option picked' : 'option'}>
                  <input type="radio" name="import-choice" value={o} checked={picked === o} onChange={() => setPicked(o)} />
                  <span className="label">{LOG_TYPE_LABELS[o].label}</span>
                  <span className="hint">{LOG_TYPE_LABELS[o].hint}</span>
                </label>
              ))
            : (['dmy', 'mdy'] as const).map((o) => (
                <label key={o} className={picked === o ? 'option picked' : 'option'}>
                  <input type="radio" name="import-choice" value={o} checked={picked === o} onChange={() => setPicked(o)} />
                  <span className="label">{o === 'dmy' ? 'Day first (dd/mm/yyyy)' : 'Month first (mm/dd/yyyy)'}</span>
                  <span className="examples">
                    {choice.examples.map((e) => (
                      <span key={e.text} className="example">
                        <code>{e.text}</code> is <strong>{spelled(o === 'dmy' ? e.dayFirst : e.monthFirst)}</strong>
                      </span>
                    ))}
                  </span>
                </label>
              ))}
        </div>
        <details>
          <summary>Message from the import</summary>
          <div className="message">{pending.message}</div>
        </details>
      </div>
    </ShellDialog>
  );
}
