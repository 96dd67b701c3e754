/**
 * Spreadsheet programs run a cell that starts with one of these as a formula (tab and
 * carriage return are used to smuggle one past naive checks). A leading single quote
 * makes the cell plain text in Excel, LibreOffice and Sheets, and is visible to a reader.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}
