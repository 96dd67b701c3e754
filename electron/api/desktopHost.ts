import type { CallOutcome } from './contract';

/**
 * What the preload exposes as `window.signet` in the desktop app. `call` carries the
 * one API contract over IPC; the rest are native affordances the browser mode lacks
 * (the UI falls back to its own file picker there).
 */
export interface DesktopBridge {
  call(method: string, args: unknown): Promise<CallOutcome>;
  pickFiles(): Promise<string[]>;
  pickFolder(): Promise<string | null>;
  /** Absolute path of a dropped File (Electron's webUtils). */
  pathForFile(file: File): string;
  /** Subscribe to menu commands (open, close case, ...); returns an unsubscribe function. */
  onMenu(listener: (command: string, arg?: string) => void): () => void;
}
