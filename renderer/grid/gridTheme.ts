import { themeQuartz } from 'ag-grid-community';

/**
 * The grid takes its colours from the app's CSS variables, which follow the OS light or
 * dark preference, so one theme object serves both schemes. Dense rows: this is a tool
 * for reading many records at once.
 */
export const gridTheme = themeQuartz.withParams({
  backgroundColor: 'var(--bg)',
  foregroundColor: 'var(--fg)',
  textColor: 'var(--fg)',
  headerBackgroundColor: 'var(--panel)',
  headerTextColor: 'var(--fg)',
  borderColor: 'var(--border)',
  accentColor: 'var(--accent)',
  chromeBackgroundColor: 'var(--panel)',
  oddRowBackgroundColor: 'var(--row-alt)',
  rowHoverColor: 'var(--row-hover)',
  selectedRowBackgroundColor: 'var(--row-selected)',
  browserColorScheme: 'inherit',
  fontFamily: 'var(--font)',
  fontSize: 12,
  headerFontSize: 12,
  headerFontWeight: 600,
  rowHeight: 26,
  headerHeight: 30,
  spacing: 4,
  cellHorizontalPadding: 8,
  wrapperBorderRadius: 0,
  wrapperBorder: false,
  columnBorder: true,
});
