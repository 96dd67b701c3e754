import { useCallback, useEffect, useMemo, useState } from 'react';
import { desktop } from '../api/client';
import { SettingsDialog } from './SettingsDialog';
import { AboutDialog } from '../about/AboutDialog';
import { HelpDialog, isHelpKey } from '../help/HelpDialog';
import { bootSettings } from './applySettings';
import { useFileDrop } from './useFileDrop';
import './theme.css';
import './dialog.css';

interface Props {
  /** Shown in Settings as the way to the findings thresholds (only while a case is open). */
  onOpenFindings?: () => void;
  onError(message: string): void;
  /** Files and folders dropped anywhere on the window. */
  onOpenPaths(paths: string[]): void;
  onOpenCase(dir: string): void;
}

/**
 * The top bar's Settings and About buttons and their panels. Also applies the saved
 * settings at start, answers the desktop menu's Settings… and About Signet, and takes
 * files and folders dropped on the window.
 */
export function ShellPanels({ onOpenFindings, onError, onOpenPaths, onOpenCase }: Props) {
  const [panel, setPanel] = useState<'settings' | 'about' | 'help' | null>(null);
  const close = useCallback(() => setPanel(null), []);
  const dropTargets = useMemo(() => ({ onOpenPaths, onOpenCase, onError }), [onOpenPaths, onOpenCase, onError]);
  const dropping = useFileDrop(dropTargets);

  useEffect(() => bootSettings(onError), [onError]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!isHelpKey(e)) return;
      e.preventDefault();
      setPanel((p) => (p === 'help' ? null : 'help'));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  useEffect(
    () =>
      desktop?.onMenu((command) => {
        if (command === 'settings' || command === 'about') setPanel(command);
      }),
    [],
  );

  return (
    <span className="shell-buttons">
      <button className="icon-button" title="Settings" aria-label="Settings" onClick={() => setPanel('settings')}>
        <svg viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.4" aria-hidden="true">
          <circle cx="8" cy="8" r="2.2" />
          <path d="M8 1.5v2M8 12.5v2M1.5 8h2M12.5 8h2M3.4 3.4l1.4 1.4M11.2 11.2l1.4 1.4M3.4 12.6l1.4-1.4M11.2 4.8l1.4-1.4" strokeLinecap="round" />
        </svg>
      </button>
      <button className="icon-button" title="Help: search syntax, shortcuts, finding kinds (F1)" aria-label="Help" onClick={() => setPanel('help')}>
        <svg viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.4" aria-hidden="true">
          <circle cx="8" cy="8" r="6.3" />
          <path d="M6.2 6.2a1.9 1.9 0 1 1 2.6 1.8c-.5.2-.8.6-.8 1.1v.5M8 11.4v.2" strokeLinecap="round" />
        </svg>
      </button>
      <button className="icon-button" title="About Signet" aria-label="About Signet" onClick={() => setPanel('about')}>
        <svg viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.4" aria-hidden="true">
          <circle cx="8" cy="8" r="6.3" />
          <path d="M8 7.2v4M8 4.6v.2" strokeLinecap="round" />
        </svg>
      </button>
      {panel === 'settings' && <SettingsDialog onClose={close} onOpenFindings={onOpenFindings} />}
      {panel === 'about' && <AboutDialog onClose={close} />}
      {panel === 'help' && <HelpDialog onClose={close} />}
      {dropping && (
        <div className="drop-overlay" aria-hidden="true">
          <div>Drop exports or a case folder to open them</div>
        </div>
      )}
    </span>
  );
}
