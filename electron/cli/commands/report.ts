import type { CliCommand } from '../command';
import { UsageError } from '../command';
import type { ReportOptions } from '../../engine/report/findingsReport';
import { CaseSession } from '../../engine/case/caseSession';
import { generateReport } from '../../engine/report/generateReport';
import { parseOptions, required } from './custodyArgs';

export const reportCommand: CliCommand = {
  name: 'report',
  usage: 'report --case DIR --out FILE.html [--confirmed-only] [--include-dismissed] [--rows-per-finding N]',
  summary: 'Write the self-contained HTML case report (sources and hashes, counts, timeline, map, findings, tags, queries, audit log).',
  async run(argv) {
    const flags = new Set(['--confirmed-only', '--include-dismissed']);
    const options: ReportOptions = {};
    const rest: string[] = [];
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i]!;
      if (a === '--confirmed-only') options.confirmedOnly = true;
      else if (a === '--include-dismissed') options.includeDismissed = true;
      else if (a === '--rows-per-finding') {
        const n = Number(argv[++i]);
        if (!Number.isInteger(n) || n < 0 || n > 10_000) throw new UsageError(`--rows-per-finding wants a whole number from 0 to 10000, got ${argv[i] ?? 'nothing'}`);
        options.rowsPerFinding = n;
      } else if (!flags.has(a)) rest.push(a);
    }
    const { values } = parseOptions(rest, ['case', 'out']);
    const session = await CaseSession.open(required(values, 'case'));
    try {
      const started = Date.now();
      const r = await generateReport(session, required(values, 'out'), options);
      console.log(`Report written to ${r.path} (${r.bytes} bytes, SHA-256 ${r.sha256}) in ${Date.now() - started} ms`);
      return 0;
    } finally {
      session.close();
    }
  },
};
