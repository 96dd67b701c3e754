import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { BrowserWindow, Rectangle } from 'electron';

const windowStateSchema = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(400).max(20_000),
  height: z.number().int().min(300).max(20_000),
  maximized: z.boolean(),
});

export type WindowState = z.infer<typeof windowStateSchema>;

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1400, height: 900, maximized: false };
export const WINDOW_STATE_FILE = 'window-state.json';

/** A saved state, or the default when the file is missing, unreadable or not ours. */
export async function loadWindowState(file: string): Promise<WindowState> {
  try {
    const parsed = windowStateSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
    return parsed.success ? parsed.data : DEFAULT_WINDOW_STATE;
  } catch {
    return DEFAULT_WINDOW_STATE;
  }
}

export async function saveWindowState(file: string, state: WindowState): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  await writeFile(tmp, JSON.stringify(state, null, 2));
  await rename(tmp, file);
}

function overlap(a: Rectangle, b: Rectangle): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/**
 * Keep a remembered window reachable: when the display it was on is gone (a laptop
 * undocked), forget the position so the window opens centred, and never make it larger
 * than the biggest work area.
 */
export function fitToDisplays(state: WindowState, workAreas: Rectangle[]): WindowState {
  if (!workAreas.length) return state;
  const maxW = Math.max(...workAreas.map((a) => a.width));
  const maxH = Math.max(...workAreas.map((a) => a.height));
  const width = Math.min(state.width, maxW);
  const height = Math.min(state.height, maxH);
  if (state.x === undefined || state.y === undefined) return { width, height, maximized: state.maximized };
  const rect = { x: state.x, y: state.y, width, height };
  // At least a third of the window (and its title bar) must be on some display.
  const visible = workAreas.some((a) => overlap(rect, a) >= (width * height) / 3 && state.y! >= a.y && state.y! < a.y + a.height);
  return visible ? { ...rect, maximized: state.maximized } : { width, height, maximized: state.maximized };
}

/** The state to remember for a window: its normal (unmaximised) bounds and whether it is maximised. */
export function captureWindowState(win: Pick<BrowserWindow, 'getNormalBounds' | 'isMaximized'>): WindowState {
  const b = win.getNormalBounds();
  return {
    x: Math.round(b.x),
    y: Math.round(b.y),
    width: Math.max(400, Math.round(b.width)),
    height: Math.max(300, Math.round(b.height)),
    maximized: win.isMaximized(),
  };
}

/** Save the window's state shortly after it moves or resizes, and when it closes. */
export function trackWindowState(win: BrowserWindow, save: (state: WindowState) => void, delayMs = 400): void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const later = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      if (!win.isDestroyed() && !win.isMinimized() && !win.isFullScreen()) save(captureWindowState(win));
    }, delayMs);
  };
  for (const event of ['resize', 'move', 'maximize', 'unmaximize'] as const) win.on(event as 'resize', later);
  win.on('close', () => {
    if (timer) clearTimeout(timer);
    if (!win.isFullScreen() && !win.isMinimized()) save(captureWindowState(win));
  });
}
