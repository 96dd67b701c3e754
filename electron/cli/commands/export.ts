import type { CliCommand } from '../command';
import { UsageError } from '../command';
import { CaseSession } from '../../engine/case/caseSession';
import { exportWhere } from '../../engine/export/exportWhere';
import { allowColumn } from '../../engine/query/filterSql';
import { noteReadOnly } from './readOnlyNote';

function parse(argv: string[]): Map<string, string> {
  const known = ['case', 'where', 'out', 'format', 'columns'];
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
  usage: 'export --case DIR --where "PREDICATE" --out FILE [--format csv|json] [--columns a,b,c] [--force]',
  summary: 'Write the rows matching a read-only SQL predicate to a new CSV (formula-safe) or JSON file, with a manifest of hashes beside it; an existing file is replaced only with --force.',
  async run(argv) {
    const o = parse(argv);
    const dir = o.get('case');
    const predicate = o.get('where');
    const outFile = o.get('out');
    if (!dir) throw new UsageError('--case is required');
    if (predicate === undefined) throw new UsageError('--where is required (use --where "TRUE" for every row)');
    if (!outFile) throw new UsageError('--out is required');
    const format = (o.get('format') ?? (outFile.toLowerCase().endsWith('.json') ? 'json' : 'csv')).toLowerCase();
    if (format !== 'csv' && format !== 'json') throw new UsageError(`--format must be csv or json, not ${format}`);
    const columns = o.get('columns')?.split(',').map((c) => c.trim()).filter(Boolean);
    try {
      columns?.forEach((c) => allowColumn(c));
    } catch (err) {
      throw new UsageError(err instanceof Error ? err.message : String(err));
    }
    const session = await CaseSession.open(dir, { access: 'read' });
    try {
      const r = await exportWhere(session, { predicate, outFile, format, columns, replace: o.has('force') });
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
