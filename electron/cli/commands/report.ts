import type { CliCommand } from '../command';
import { CaseSession } from '../../engine/case/caseSession';
import { generateReport } from '../../engine/report/generateReport';
import { parseOptions, required } from './custodyArgs';
import { noteReadOnly } from './readOnlyNote';

export const reportCommand: CliCommand = {
  name: 'report',
  usage: 'report --case DIR --out FILE.html [--force]',
  summary: 'Write the self-contained HTML case report (sources and hashes, counts, timeline, map, findings, tags, queries, audit log); an existing file is replaced only with --force, evidence and case files never.',
  async run(argv) {
    const { values, flags } = parseOptions(argv, ['case', 'out'], ['force']);
    const session = await CaseSession.open(required(values, 'case'), { access: 'read' });
    try {
      const started = Date.now();
      const r = await generateReport(session, required(values, 'out'), { replace: flags.has('force') });
      console.log(`Report written to ${r.path} (${r.bytes} bytes, SHA-256 ${r.sha256}) in ${Date.now() - started} ms`);
      noteReadOnly(session, 'this report');
      return 0;
    } finally {
      session.close();
    }
  },
};
