import type { CliCommand } from '../command';
import { CaseSession } from '../../engine/case/caseSession';
import { generateReport } from '../../engine/report/generateReport';
import { parseOptions, required } from './custodyArgs';

export const reportCommand: CliCommand = {
  name: 'report',
  usage: 'report --case DIR --out FILE.html',
  summary: 'Write the self-contained HTML case report (sources and hashes, counts, timeline, map, findings, tags, queries, audit log).',
  async run(argv) {
    const { values } = parseOptions(argv, ['case', 'out']);
    const session = await CaseSession.open(required(values, 'case'));
    try {
      const started = Date.now();
      const r = await generateReport(session, required(values, 'out'));
      console.log(`Report written to ${r.path} (${r.bytes} bytes, SHA-256 ${r.sha256}) in ${Date.now() - started} ms`);
      return 0;
    } finally {
      session.close();
    }
  },
};
