import type { CliCommand } from '../command';
import { UsageError } from '../command';
import { CaseSession } from '../../engine/case/caseSession';
import { exportWhere } from '../../engine/export/exportWhere';
import { allowColumn } from '../../engine/query/filterSql';
import { noteReadOnly } from './readOnlyNote';

function parse(argv: string[]): Map<string, string> {
  const known = ['case', 'where', 'out', 'format', 'columns', 'time-zone'];
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const name = a.replace(/^--/, '');
    if (a === '--force') {
      out.set('force', 'yes');
      continue;
    }
    if (!a.startsWith('--') || !known.includes(name)) throw new UsageError(`Unknown argument: ${a}`);
    const v = argv[++i];
    if (v === undefined) throw new UsageError(`${a} needs a value`);
    out.set(name, v);
  }
  return out;
}

export const exportCommand: CliCommand = {
  name: 'export',
  usage: 'export --case DIR --where "PREDICATE" --out FILE [--format csv|json|xlsx] [--time-zone ZONE] [--columns a,b,c] [--force]',
  summary: 'Write the rows matching a read-only SQL predicate to a new CSV (formula-safe), JSON or Excel .xlsx file (text cells only, date-times in --time-zone, default UTC), with a manifest of hashes beside it; an existing file is replaced only with --force.',
  async run(argv) {
    const o = parse(argv);
    const dir = o.get('case');
    const predicate = o.get('where');
    const outFile = o.get('out');
    if (!dir) throw new UsageError('--case is required');
    if (predicate === undefined) throw new UsageError('--where is required (use --where "TRUE" for every row)');
    if (!outFile) throw new UsageError('--out is required');
    const byName = /\.(json|xlsx)$/i.exec(outFile)?.[1];
    const format = (o.get('format') ?? byName ?? 'csv').toLowerCase();
    if (format !== 'csv' && format !== 'json' && format !== 'xlsx') throw new UsageError(`--format must be csv, json or xlsx, not ${format}`);
    if (o.has('time-zone') && format !== 'xlsx') throw new UsageError('--time-zone applies to --format xlsx only (CSV and JSON times are ISO-8601 UTC)');
    const columns = o.get('columns')?.split(',').map((c) => c.trim()).filter(Boolean);
    try {
      columns?.forEach((c) => allowColumn(c));
    } catch (err) {
      throw new UsageError(err instanceof Error ? err.message : String(err));
    }
    const session = await CaseSession.open(dir, { access: 'read' });
    try {
      const r = await exportWhere(session, { predicate, outFile, format, columns, replace: o.has('force'), timeZone: o.get('time-zone') });
      console.log(`Exported ${r.rows.toLocaleString('en-US')} rows to ${r.file}`);
      console.log(`SHA-256 ${r.sha256}  (${r.bytes.toLocaleString('en-US')} bytes)`);
      console.log(`Manifest ${r.manifestFile}`);
      noteReadOnly(session, 'this export');
      return 0;
    } finally {
      session.close();
    }
  },
};
