// The colours a rule may take. A name, not a free colour: each has a row tint for the light
// and the dark theme (dark text stays readable on the light tint, light text on the dark
// one), a strong swatch for legends and timeline marks, and an ARGB fill for spreadsheets.

export const RULE_COLOURS = ['red', 'orange', 'yellow', 'green', 'teal', 'blue', 'purple', 'pink', 'grey'] as const;
export type RuleColour = (typeof RULE_COLOURS)[number];

export interface RuleColourSpec {
  label: string;
  /** Row background on the light theme. */
  light: string;
  /** Row background on the dark theme. */
  dark: string;
  /** Legend swatch and timeline mark, on either theme. */
  swatch: string;
  /** Cell fill for an Excel export (ARGB, the light tint). */
  argb: string;
}

export const RULE_PALETTE: Readonly<Record<RuleColour, RuleColourSpec>> = {
  red: { label: 'Red', light: '#fbe0de', dark: '#4a2220', swatch: '#d93f3a', argb: 'FFFBE0DE' },
  orange: { label: 'Orange', light: '#fde7cf', dark: '#4a3018', swatch: '#e8772e', argb: 'FFFDE7CF' },
  yellow: { label: 'Yellow', light: '#fbf1c4', dark: '#453c14', swatch: '#d6a912', argb: 'FFFBF1C4' },
  green: { label: 'Green', light: '#dcf1e2', dark: '#1d3d27', swatch: '#2e9d5b', argb: 'FFDCF1E2' },
  teal: { label: 'Teal', light: '#d5efee', dark: '#173d3c', swatch: '#1f9a94', argb: 'FFD5EFEE' },
  blue: { label: 'Blue', light: '#dde8fb', dark: '#1e2f4d', swatch: '#3a72d9', argb: 'FFDDE8FB' },
  purple: { label: 'Purple', light: '#ebe1fa', dark: '#33244d', swatch: '#8a55d6', argb: 'FFEBE1FA' },
  pink: { label: 'Pink', light: '#fbdeec', dark: '#4a1f33', swatch: '#d23f86', argb: 'FFFBDEEC' },
  grey: { label: 'Grey', light: '#e6e9ee', dark: '#2f353d', swatch: '#7d8793', argb: 'FFE6E9EE' },
};
