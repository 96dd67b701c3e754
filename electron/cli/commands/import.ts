import { resolve } from 'node:path';
import type { CliCommand } from '../command';
import { UsageError } from '../command';
import { CaseSession } from '../../engine/case/caseSession';
import { importFiles, type FileImportSummary, type ImportOptions } from '../../engine/import/importFiles';
import { LOG_TYPES, type DateOrder, type LogType } from '../../engine/import/detectShape';
import { APP_VERSION } from '../../appVersion';

function parse(argv: string[]): { caseDir: string; json: boolean; options: ImportOptions; files: string[] } {
  let caseDir: string | undefined;
  let json = false;
  let keepRaw = false;
  let logType: LogType | undefined;
  let dateOrder: DateOrder | undefined;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--case') {
      caseDir = argv[++i];
      if (!caseDir || caseDir.startsWith('--')) throw new UsageError('--case needs a folder');
    } else if (a === '--json') json = true;
    else if (a === '--keep-raw') keepRaw = true;
    else if (a === '--log-type') {
      const v = argv[++i];
      if (!v || !(LOG_TYPES as readonly string[]).includes(v)) throw new UsageError(`--log-type needs one of ${LOG_TYPES.join(', ')}`);
      logType = v as LogType;
    } else if (a === '--date-order') {
      const v = argv[++i];
      if (v !== 'dmy' && v !== 'mdy') throw new UsageError('--date-order needs dmy (day/month/year) or mdy (month/day/year)');
      dateOrder = v;
    }
    else if (a === '--') files.push(...argv.slice(i + 1).map((f) => f));
    else if (a.startsWith('--')) throw new UsageError(`Unknown option: ${a}`);
    else files.push(a);
    if (a === '--') break;
  }
  if (!caseDir) throw new UsageError('--case is required');
  if (files.length === 0) throw new UsageError('name at least one file to import');
  return { caseDir, json, options: { keepRaw, ...(logType ? { logType } : {}), ...(dateOrder ? { dateOrder } : {}) }, files };
}

/**
 * A file that produced nothing readable at all (as opposed to a file with some rejected rows),
 * or one cut short or damaged (a truncated gzip, a zip entry failing its CRC): read only in part.
 */
export function unreadable(s: FileImportSummary): boolean {
  return (s.read === 0 && s.errors.length > 0) || s.incomplete !== undefined;
}

function describe(s: FileImportSummary): string {
  const head = `${s.file}\n  ${s.shape}${s.log_type ? ` (${s.log_type})` : ''}, ${s.bytes} bytes, sha256 ${s.sha256 || '-'}${s.log_type_reason ? `\n  log type from ${s.log_type_reason}` : ''}`;
  const counts = `  read ${s.read} = imported ${s.imported} + duplicates ${s.duplicates} + rejected ${s.rejected}`;
  return [head, counts, ...s.errors.map((e) => `  ! ${e}`)].join('\n');
}

export const importCommand: CliCommand = {
  name: 'import',
  usage: 'import --case DIR [--json] [--keep-raw] [--log-type interactive|noninteractive|serviceprincipal|managedidentity] [--date-order dmy|mdy] FILE...',
  summary:
    'Import exports (CSV, JSON, NDJSON, .gz, .zip) into a case; exit 0 when every file was read, 1 when one could not be read at all or was cut short (truncated gzip, damaged zip entry). --keep-raw copies every original record into the case (slower) instead of reading it back from the evidence. --log-type settles files whose content and name cannot tell their log (the portal\'s interactive and non-interactive downloads share a header); --date-order settles Log Analytics times whose day and month cannot be told apart.',
  async run(argv) {
    const { caseDir, json, options, files } = parse(argv);
    const session = await CaseSession.create(caseDir, APP_VERSION);
    const controller = new AbortController();
    const onSigint = (): void => controller.abort();
    process.once('SIGINT', onSigint);
    try {
      const summaries = await importFiles(session, files.map((f) => resolve(f)), {
        signal: controller.signal,
        progress: () => undefined,
      }, options);
      for (const s of summaries.filter(unreadable)) console.error(s.errors.join('\n'));
      if (json) console.log(JSON.stringify({ case: caseDir, files: summaries }));
      else {
        for (const s of summaries) console.log(describe(s));
        const ok = summaries.filter((s) => !unreadable(s));
        console.log(`${ok.length} of ${summaries.length} file(s) read into ${session.dir}`);
      }
      return summaries.some(unreadable) ? 1 : 0;
    } finally {
      process.off('SIGINT', onSigint);
      session.close();
    }
  },
};
