// Colours the timeline uses, per theme. Status colours match across the histogram, the
// lanes and the legend (success green, failure red, interrupted amber); categorical
// colours for top-N stacking are a colour-blind-friendly set readable on light and dark.

export interface TimelinePalette {
  dark: boolean;
  fg: string;
  muted: string;
  grid: string;
  axis: string;
  bg: string;
  panel: string;
  accent: string;
  accentFill: string;
  gapFill: string;
  status: { success: string; failure: string; interrupted: string; other: string };
  categorical: string[];
  other: string;
  tagged: string;
  finding: string;
  spike: string;
}

const LIGHT: TimelinePalette = {
  dark: false,
  fg: '#1b1f24',
  muted: '#5b6470',
  grid: '#e6e9ee',
  axis: '#c3c9d1',
  bg: '#ffffff',
  panel: '#f5f7f9',
  accent: '#2459c6',
  accentFill: 'rgba(36, 89, 198, 0.12)',
  gapFill: 'rgba(91, 100, 112, 0.10)',
  status: { success: '#2e9d5b', failure: '#d93f3a', interrupted: '#e3a21a', other: '#9aa3ad' },
  categorical: ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#2f6f8f', '#a0cbe8', '#ffbe7d', '#8cd17d', '#f1ce63', '#86bcb6', '#d37295', '#fabfd2', '#b6992d', '#499894', '#d4a6c8'],
  other: '#b4bcc6',
  tagged: '#7b3fe4',
  finding: '#c2185b',
  spike: '#1b1f24',
};

const DARK: TimelinePalette = {
  dark: true,
  fg: '#e4e7eb',
  muted: '#9aa3ad',
  grid: '#2a2f36',
  axis: '#444b55',
  bg: '#16191d',
  panel: '#1f2328',
  accent: '#7aa5ff',
  accentFill: 'rgba(122, 165, 255, 0.16)',
  gapFill: 'rgba(154, 163, 173, 0.10)',
  status: { success: '#4cc37a', failure: '#ff6b63', interrupted: '#f2b63c', other: '#7d8793' },
  categorical: ['#6f9fd8', '#ffa04d', '#74c46b', '#ff7a7c', '#8fd3cd', '#f5d85c', '#c99bc0', '#ffb3bd', '#c09a83', '#5aa5c8', '#a0cbe8', '#ffbe7d', '#8cd17d', '#f1ce63', '#86bcb6', '#e68aab', '#fabfd2', '#d1b64b', '#5fbab4', '#d4a6c8'],
  other: '#6b7480',
  tagged: '#b28cff',
  finding: '#ff5fa2',
  spike: '#e4e7eb',
};

export function paletteFor(dark: boolean): TimelinePalette {
  return dark ? DARK : LIGHT;
}

export function statusColor(p: TimelinePalette, code: number): string {
  return [p.status.success, p.status.failure, p.status.interrupted][code] ?? p.status.other;
}
