import type { CliCommand } from '../command';
import { UsageError } from '../command';
import type { ReportOptions } from '../../engine/report/findingsReport';
import { CaseSession } from '../../engine/case/caseSession';
import { generateReport } from '../../engine/report/generateReport';
import { parseOptions, required } from './custodyArgs';
import { noteReadOnly } from './readOnlyNote';

export const reportCommand: CliCommand = {
  name: 'report',
  usage: 'report --case DIR --out FILE.html [--force] [--confirmed-only] [--include-dismissed] [--rows-per-finding N]',
  summary: 'Write the self-contained HTML case report (executive summary, findings, sources and hashes, counts, timeline, map, tags, queries, audit log); an existing file is replaced only with --force, evidence and case files never.',
  async run(argv) {
    const { values, flags } = parseOptions(argv, ['case', 'out', 'rows-per-finding'], ['force', 'confirmed-only', 'include-dismissed']);
    const options: ReportOptions = { confirmedOnly: flags.has('confirmed-only'), includeDismissed: flags.has('include-dismissed') };
    const rows = values.get('rows-per-finding');
    if (rows !== undefined) {
      const n = Number(rows);
      if (!Number.isInteger(n) || n < 0 || n > 10_000) throw new UsageError(`--rows-per-finding wants a whole number from 0 to 10000, got ${rows}`);
      options.rowsPerFinding = n;
    }
    const session = await CaseSession.open(required(values, 'case'), { access: 'read' });
    try {
      const started = Date.now();
      const r = await generateReport(session, required(values, 'out'), { ...options, replace: flags.has('force') });
      console.log(`Report written to ${r.path} (${r.bytes} bytes, SHA-256 ${r.sha256}) in ${Date.now() - started} ms`);
      noteReadOnly(session, 'this report');
      return 0;
    } finally {
      session.close();
    }
  },
};
