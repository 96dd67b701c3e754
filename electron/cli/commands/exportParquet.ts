import type { CliCommand } from '../command';
import { CaseSession } from '../../engine/case/caseSession';
import { exportParquet } from '../../engine/parquet/exportParquet';
import { parseOptions, required } from './custodyArgs';
import { noteReadOnly } from './readOnlyNote';

export const exportParquetCommand: CliCommand = {
  name: 'export-parquet',
  usage: 'export-parquet --case DIR --out DIR [--force]',
  summary: 'Write every case table as Parquet partitioned by day, with the manifest, row counts and content checksums beside them; --force replaces an earlier Signet Parquet export in that folder.',
  async run(argv) {
    const { values, flags } = parseOptions(argv, ['case', 'out'], ['force']);
    const session = await CaseSession.open(required(values, 'case'), { access: 'read' });
    try {
      const started = Date.now();
      const m = await exportParquet(session, required(values, 'out'), { replace: flags.has('force') });
      for (const t of m.tables) {
        console.log(`${t.name.padEnd(24)} ${String(t.rows).padStart(10)} rows  checksum ${t.checksum}  ${t.files.length} file(s)${t.partitionedBy ? ' by day' : ''}`);
      }
      console.log(`Exported ${m.tables.length} table(s) to ${m.dir} in ${Date.now() - started} ms`);
      noteReadOnly(session, 'this export');
      return 0;
    } finally {
      session.close();
    }
  },
};
