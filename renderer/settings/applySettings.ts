import type { UserSettings } from '../../electron/api/methods/settings';
import { getState, setState, subscribe } from '../state/store';
import { api } from '../api/client';

/** Theme: 'system' follows prefers-color-scheme; light/dark pin the palette (theme.css). */
export function applyTheme(theme: UserSettings['theme']): void {
  const root = document.documentElement;
  if (theme === 'system') delete root.dataset.theme;
  else root.dataset.theme = theme;
}

export function applySettings(s: UserSettings): void {
  applyTheme(s.theme);
  if (getState().timeZone !== s.timeZone) setState({ timeZone: s.timeZone });
}

/**
 * Load the saved settings once at start, and keep the time zone saved when it is
 * changed anywhere in the UI (the top bar's zone picker included), so the profile
 * file stays the one place it lives.
 */
export function bootSettings(onError: (message: string) => void): () => void {
  let saved: string | null = null;
  void api
    .getSettings({})
    .then((s) => {
      saved = s.settings.timeZone;
      applySettings(s.settings);
    })
    .catch((e: unknown) => onError(`Settings could not be loaded: ${e instanceof Error ? e.message : String(e)}`));
  return subscribe(() => {
    const zone = getState().timeZone;
    if (saved === null || zone === saved) return;
    saved = zone;
    void api.updateSettings({ patch: { timeZone: zone } }).catch((e: unknown) => onError(`Time zone not saved: ${e instanceof Error ? e.message : String(e)}`));
  });
}
