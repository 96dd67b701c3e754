/**
 * Spreadsheet programs run a cell that starts with = + - @ as a formula. Tab, CR and LF
 * are used to smuggle one past naive checks; Excel also reads the fullwidth forms
 * (＝ ＋ － ＠, as typed with an East Asian input method) and the small forms (﹦ ﹢ ﹣ ﹫)
 * as their ASCII selves; and several programs trim leading spaces, no-break spaces,
 * zero-width characters and a byte-order mark before deciding. A leading single quote
 * makes the cell plain text in Excel, LibreOffice and Sheets, and is visible to a reader.
 */
const FORMULA_START = /^(?:[\t\r\n]|[\s\u00a0\u200b-\u200f\u2060\ufeff]*[=+\-@\uff1d\uff0b\uff0d\uff20\ufe66\ufe62\ufe63\ufe6b])/;

export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}
