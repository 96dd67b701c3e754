import type { CliCommand } from '../command';
import { UsageError } from '../command';
import { CaseSession } from '../../engine/case/caseSession';
import { disposeConsole, resultPage, runReadOnlyQuery, QueryFailure } from '../../engine/sql/readOnlyQuery';
import { resultCsv, resultJson } from '../../engine/sql/resultExport';

interface QueryArgs {
  dir: string;
  format: 'json' | 'csv';
  timeoutMs: number | undefined;
  sql: string;
}

function parse(argv: string[]): QueryArgs {
  let dir: string | undefined;
  let format = 'json';
  let timeoutMs: number | undefined;
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--case' || a === '--format' || a === '--timeout') {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      if (a === '--case') dir = v;
      else if (a === '--format') format = v.toLowerCase();
      else {
        const s = Number(v);
        if (!Number.isFinite(s) || s < 1) throw new UsageError('--timeout is a number of seconds (at least 1)');
        timeoutMs = Math.round(s * 1000);
      }
    } else if (a === '--') words.push(...argv.slice(i + 1)), (i = argv.length);
    else if (a.startsWith('--')) throw new UsageError(`Unknown argument: ${a}`);
    else words.push(a);
  }
  if (!dir) throw new UsageError('--case is required');
  if (format !== 'json' && format !== 'csv') throw new UsageError(`--format must be json or csv, not ${format}`);
  const sql = words.join(' ').trim();
  if (!sql) throw new UsageError('Give the SQL to run, e.g. "SELECT status, count(*) FROM signins GROUP BY ALL"');
  return { dir, format, timeoutMs, sql };
}

export const queryCommand: CliCommand = {
  name: 'query',
  usage: 'query --case DIR [--format json|csv] [--timeout SECONDS] "SQL"',
  summary: 'Run one read-only SQL statement over a case (same guard as the SQL console) and print the rows as JSON objects or formula-safe CSV.',
  run: (argv) => runQuery(argv, { out: (t) => process.stdout.write(t), err: (t) => console.error(t) }),
};

export interface QueryOutput {
  out(text: string): void;
  err(text: string): void;
}

/** The command with its output streams passed in (tests capture them). */
export async function runQuery(argv: string[], io: QueryOutput): Promise<number> {
  const args = parse(argv);
  const session = await CaseSession.open(args.dir, { access: 'read' });
  try {
    let result;
    try {
      // The CLI streams pages to its output, so any size of result is kept for it.
      result = await runReadOnlyQuery(session, args.sql, { source: 'cli', pageSize: 1000, timeoutMs: args.timeoutMs, resultByteCap: Number.POSITIVE_INFINITY });
    } catch (err) {
      if (!(err instanceof QueryFailure)) throw err;
      const where = err.line ? ` (line ${err.line}${err.column ? `, column ${err.column}` : ''})` : '';
      io.err(`${err.message}${where}`);
      return 1;
    }
    const names = result.columns.map((c) => c.name);
    const types = result.columns.map((c) => c.type);
    // Pages of 1000 rows keep memory flat for any size of result.
    let first = true;
    if (args.format === 'json') io.out('[');
    for (let start = 0; start < result.total || (start === 0 && args.format === 'csv'); ) {
      // Whole values; a page of large rows holds fewer of them (the first page may be cut for display, so it is read again).
      const atStart = start === 0;
      const rows = atStart && result.notice === null ? result.rows : (await resultPage(session, result.resultId, start, start + 1000, [], { whole: true })).rows;
      start += Math.max(1, rows.length);
      if (args.format === 'csv') {
        const text = resultCsv(names, rows);
        io.out(atStart ? text : text.slice(text.indexOf('\r\n') + 2));
      } else if (rows.length) {
        const body = resultJson(names, rows, types).trim().slice(1, -1).trim();
        io.out(`${first ? '\n' : ',\n'}${body}`);
        first = false;
      }
      if (result.total === 0) break;
    }
    if (args.format === 'json') io.out(first ? ']\n' : '\n]\n');
    return 0;
  } finally {
    await disposeConsole(session);
    session.close();
  }
}
