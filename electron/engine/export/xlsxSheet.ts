import type { Writable } from 'node:stream';
import type ExcelJS from 'exceljs';
import type { ColumnType } from '../schema/canonical';
import { ExcelClock } from './excelTime';

// One worksheet of sign-ins, streamed row by row (exceljs's WorkbookWriter), so a large
// export never holds the workbook in memory. Text is written as inline strings only and no
// cell is ever given a formula, so a user agent like =HYPERLINK(…) stays the text it is.

export interface XlsxColumn {
  name: string;
  type: ColumnType;
  /** The grid's title for the column. */
  title: string;
}

export interface XlsxLayout {
  columns: XlsxColumn[];
  /** 'UTC' or an IANA zone: the wall clock times are shown on. */
  timeZone: string;
  /**
   * Colour rules: fill colour ('#rrggbb') by rule index. When given, each row of the query
   * carries one more value after the columns, the index of the first rule the row meets
   * (NULL for none), and the row is filled with that rule's colour.
   */
  fills?: Record<number, string>;
}

export interface XlsxSheetResult {
  rows: number;
  /** Cells longer than Excel's 32,767 characters, cut there (the CSV and JSON exports keep them whole). */
  truncatedCells: number;
}

/** Rows as DuckDB hands them out, chunk by chunk. */
export interface RowChunks {
  fetchChunk(): Promise<{ rowCount: number; getRows(): unknown[][] } | null>;
}

const EXCEL_MAX_TEXT = 32_767;
const DATE_FORMAT = 'yyyy-mm-dd hh:mm:ss.000';
const ISO_SUFFIX = ' (UTC, ISO 8601)';
const MIN_WIDTH = 6;
const MAX_WIDTH = 60;
/** Anything excelText changes: an underscore (a possible _xHHHH_), a control, a non-character, a surrogate. */
const NEEDS_ESCAPE = /[_\x00-\x08\x0b-\x1f\ufffe\uffff\ud800-\udfff]/;

/**
 * Text as an OOXML string holds it: characters XML 1.0 cannot carry (controls, and CR,
 * which XML readers turn into LF) are written as _xHHHH_, which Excel reads back as the
 * character; text that already looks like such an escape gets its underscore escaped.
 */
export function excelText(value: string): string {
  // Nearly every value needs none of it: one scan decides.
  if (!NEEDS_ESCAPE.test(value)) return value;
  return value
    .replace(/_(x[0-9A-Fa-f]{4}_)/g, '_x005F_$1')
    .replace(/[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff]/g, (c) => `_x${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`)
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/** An inline rich-text string: exceljs writes it as t="inlineStr", a text cell that is never evaluated. */
function textCell(text: string): ExcelJS.CellRichTextValue {
  return { richText: [{ text }] };
}

function fillOf(colour: string): ExcelJS.Fill {
  const hex = /^#?([0-9a-f]{6})$/i.exec(colour.trim())?.[1];
  if (!hex) throw new Error(`Not a colour: ${colour.slice(0, 20)} (write it as #rrggbb)`);
  return { type: 'pattern', pattern: 'solid', fgColor: { argb: `FF${hex.toUpperCase()}` } };
}

interface SheetColumn {
  title: string;
  /** Which value of the query row it reads. */
  source: number;
  kind: 'time' | 'iso' | 'number' | 'text';
}

function sheetColumns(layout: XlsxLayout): SheetColumn[] {
  return layout.columns.flatMap((c, i): SheetColumn[] => {
    if (c.type === 'TIMESTAMP')
      return [
        { title: c.title, source: i, kind: 'time' },
        { title: `${c.title.replace(/\s*\(.*\)$/, '')}${ISO_SUFFIX}`, source: i, kind: 'iso' },
      ];
    const numeric = c.type === 'INTEGER' || c.type === 'BIGINT' || c.type === 'DOUBLE';
    return [{ title: c.title, source: i, kind: numeric ? 'number' : 'text' }];
  });
}

/** A width in characters from the title and the first rows' values: wide enough, never huge. */
function widthOf(col: SheetColumn, sample: unknown[][]): number {
  if (col.kind === 'time') return Math.max(col.title.length + 2, DATE_FORMAT.length + 2);
  const lengths = sample.map((r) => String(r[col.source] ?? '').length).sort((a, b) => a - b);
  // The 90th percentile, so one very long value does not make the column huge.
  const typical = lengths.length ? lengths[Math.min(lengths.length - 1, Math.floor(lengths.length * 0.9))]! : 0;
  return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, col.title.length + 2, typical + 2));
}

/**
 * exceljs is a third of the modules an engine start would load; only an Excel export needs
 * it, so it is loaded on the first one. A CommonJS module seen through import() is its default.
 */
async function loadExcelJs(): Promise<typeof ExcelJS> {
  const mod: { default?: typeof ExcelJS } & typeof ExcelJS = await import('exceljs');
  return mod.default ?? mod;
}

/**
 * Write `rows` (values as text, times as ISO-8601 UTC, in layout.columns order) as one
 * worksheet to `out`: a frozen header row in the grid's titles with an autofilter, times as
 * Excel date-times in the chosen zone with an ISO text column beside them, numbers as numbers.
 */
export async function writeXlsxSheet(out: Writable, rows: RowChunks, layout: XlsxLayout): Promise<XlsxSheetResult> {
  const clock = new ExcelClock(layout.timeZone);
  const cols = sheetColumns(layout);
  const ruleAt = layout.fills ? layout.columns.length : -1;
  const { stream } = await loadExcelJs();
  const workbook = new stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'Signet';
  workbook.lastModifiedBy = 'Signet';
  const sheet = workbook.addWorksheet('Sign-ins', { views: [{ state: 'frozen', xSplit: 0, ySplit: 1, topLeftCell: 'A2', activeCell: 'A2' }] });

  // One style object per column and per (column, rule), given to every cell and row: exceljs
  // remembers the number of a style object it has seen, and works out the style of every
  // object it has not (the fresh empty style each new cell and row starts with) from scratch.
  const headerStyle: Partial<ExcelJS.Style> = { font: { bold: true }, fill: fillOf('#d9e1f2'), alignment: { vertical: 'middle' } };
  const rowStyle: Partial<ExcelJS.Style> = {};
  const baseStyles: Partial<ExcelJS.Style>[] = cols.map((c) => (c.kind === 'time' ? { numFmt: DATE_FORMAT } : {}));
  const ruleStyles = new Map<number, Partial<ExcelJS.Style>[]>();
  for (const [index, colour] of Object.entries(layout.fills ?? {})) {
    const fill = fillOf(colour);
    ruleStyles.set(Number(index), baseStyles.map((s) => ({ ...s, fill })));
  }

  let truncatedCells = 0;
  const text = (v: unknown): ExcelJS.CellRichTextValue => {
    let s = String(v);
    if (s.length > EXCEL_MAX_TEXT) {
      truncatedCells++;
      s = s.slice(0, EXCEL_MAX_TEXT);
    }
    return textCell(excelText(s));
  };
  const cellValue = (col: SheetColumn, v: unknown): ExcelJS.CellValue => {
    if (v === null || v === undefined) return null;
    switch (col.kind) {
      case 'time':
        return clock.serial(String(v)) ?? text(v);
      case 'iso':
        return text(v);
      case 'number': {
        const n = Number(v);
        // Beyond 2^53 a number would change; such a value stays exact as text.
        return Number.isFinite(n) && (Number.isSafeInteger(n) || !Number.isInteger(n)) && String(v).trim() !== '' ? n : text(v);
      }
      case 'text':
        return text(v);
    }
  };

  const first = await rows.fetchChunk();
  const sample = first && first.rowCount > 0 ? first.getRows().slice(0, 1000) : [];
  sheet.columns = cols.map((c, i) => ({ key: `c${i}`, width: widthOf(c, sample) }));
  const header = sheet.addRow(cols.map((c) => textCell(excelText(c.title))));
  header.eachCell((cell) => (cell.style = headerStyle));
  header.commit();
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: cols.length } };

  let count = 0;
  for (let chunk = first; chunk && chunk.rowCount > 0; chunk = await rows.fetchChunk()) {
    for (const r of chunk.getRows()) {
      const rule = ruleAt >= 0 && r[ruleAt] !== null && r[ruleAt] !== undefined ? Number(r[ruleAt]) : null;
      const styles = (rule !== null && ruleStyles.get(rule)) || baseStyles;
      const row = sheet.addRow(cols.map((c) => cellValue(c, r[c.source])));
      // The row's own style (a property exceljs's typings leave out).
      (row as unknown as { style: Partial<ExcelJS.Style> }).style = rowStyle;
      for (let i = 0; i < cols.length; i++) row.getCell(i + 1).style = styles[i]!;
      row.commit();
      count++;
    }
  }
  sheet.commit();
  await workbook.commit();
  return { rows: count, truncatedCells };
}
