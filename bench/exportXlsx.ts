import { join } from 'node:path';
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { BenchContext } from './benchContext';
import { CaseSession } from '../electron/engine/case/caseSession';
import { exportView } from '../electron/engine/export/exportView';
import { PRESETS } from '../renderer/grid/columnSets';
import type { FilterState, SortSpec } from '../electron/api/schemas/filter';

const TARGET_ROWS = 100_000;

/** Wall clock and this process's CPU time (DuckDB's threads included) of one run. */
async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; cpuMs: number; value: T }> {
  const cpu = process.cpuUsage();
  const t = performance.now();
  const value = await fn();
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - t, cpuMs: (used.user + used.system) / 1000, value };
}

/**
 * exceljs on its own, with no Signet code: `rows` rows of `columns` short strings through the
 * same streaming writer, written as plain strings (t="str", exceljs's cheapest text cell) or
 * as inline strings (t="inlineStr", the text cell an export writes so that nothing is ever a
 * formula or a formula's result). What exceljs costs per cell, whatever Signet does around it.
 */
async function excelJsAlone(rows: number, columns: number, inline: boolean): Promise<number> {
  let bytes = 0;
  const stream = new Writable({ write: (chunk: Buffer, _enc, done) => ((bytes += chunk.length), done()) });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: false, useSharedStrings: false });
  const sheet = workbook.addWorksheet('s');
  for (let r = 0; r < rows; r++) {
    const values: ExcelJS.CellValue[] = [];
    for (let c = 0; c < columns; c++) {
      const text = `value ${r} in column ${c}`;
      values.push(inline ? { richText: [{ text }] } : text);
    }
    sheet.addRow(values).commit();
  }
  sheet.commit();
  await workbook.commit();
  return bytes;
}

/**
 * The Excel export of a view (the issue's target: 100,000 rows ≤ 10 s) with the grid's
 * default columns, sorted by time, against the CSV export of the same view in the same run,
 * and against exceljs alone writing as many cells.
 */
export default async function exportXlsxBench(ctx: BenchContext): Promise<void> {
  const session = await CaseSession.open(ctx.caseDir);
  try {
    const total = Number(await session.db.scalar('SELECT count(*) FROM signins'));
    const rows = Math.min(total, TARGET_ROWS);
    const maxRowId = Number(await session.db.scalar(`SELECT max(row_id) FROM (SELECT row_id FROM signins ORDER BY row_id LIMIT ${rows})`));
    const filter: FilterState = { conditions: [{ kind: 'number', column: 'row_id', max: maxRowId }] };
    const sort: SortSpec = [{ column: 'time_utc', dir: 'desc' }];
    const columns = PRESETS.find((p) => p.id === 'portal')!.columns([]);
    // The sheet has one more column than the view: the ISO text beside the time column.
    const sheetColumns = columns.length + 1;
    const folder = join(ctx.workDir, 'exports');
    const run = (format: 'csv' | 'xlsx') => timed(() => exportView(session, { filter, sort, columns, format, folder, timeZone: 'Europe/Berlin' }));
    const csv = await run('csv');
    ctx.report({ name: 'export: baseline CSV export of the view', ms: Math.round(csv.ms), cpuMs: Math.round(csv.cpuMs), rows: csv.value.rows, bytes: csv.value.bytes, columns: columns.length });
    const plain = await timed(() => excelJsAlone(rows, sheetColumns, false));
    ctx.report({ name: `export: exceljs alone, ${rows.toLocaleString('en-US')} rows × ${sheetColumns} plain strings`, ms: Math.round(plain.ms), cpuMs: Math.round(plain.cpuMs), bytes: plain.value });
    const inline = await timed(() => excelJsAlone(rows, sheetColumns, true));
    ctx.report({ name: `export: exceljs alone, ${rows.toLocaleString('en-US')} rows × ${sheetColumns} inline strings`, ms: Math.round(inline.ms), cpuMs: Math.round(inline.cpuMs), bytes: inline.value });
    const xlsx = await run('xlsx');
    ctx.report({
      name: 'export: Excel (.xlsx) export of the view',
      ms: Math.round(xlsx.ms),
      cpuMs: Math.round(xlsx.cpuMs),
      baselineMs: Math.round(csv.ms),
      ratio: Number((xlsx.ms / csv.ms).toFixed(1)),
      vsExcelJsPlainStrings: Number((xlsx.cpuMs / plain.cpuMs).toFixed(2)),
      vsExcelJsInlineStrings: Number((xlsx.cpuMs / inline.cpuMs).toFixed(2)),
      target: `≤ 10000 ms on ${TARGET_ROWS.toLocaleString('en-US')} rows${rows < TARGET_ROWS ? ` (this run: ${rows.toLocaleString('en-US')})` : ''}`,
      rows: xlsx.value.rows,
      bytes: xlsx.value.bytes,
      columns: columns.length,
    });
  } finally {
    session.close();
  }
}
